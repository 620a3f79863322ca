/**
 * A TypeScript file run in a child Node process through tsx: its stdout piped for the test to
 * read, stderr passed through, and stdin piped too for a child that takes commands.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

const running = new Set<ChildProcessByStdio<Writable, Readable, null>>();

export function startTsxChild(script: string, args: readonly string[]): ChildProcessByStdio<Writable, Readable, null> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  // A command written to a child that has just died fails here; the test hears of the death from its output.
  child.stdin.on('error', () => undefined);
  return child;
}

/** Kills every child still running: for afterAll, so a test that failed part-way leaves none behind. */
export function stopTsxChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}
