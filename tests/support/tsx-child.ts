/**
 * A TypeScript file run in a child Node process through tsx: its stdout piped for the test to
 * read, stderr passed through, and stdin piped too for a child that takes commands.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export function startTsxChild(script: string, args: readonly string[]): ChildProcessByStdio<Writable, Readable, null> {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}
