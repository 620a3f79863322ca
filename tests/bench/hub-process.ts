/** The demo hub in a process of its own, as a real server would be: its work does not count as the desk's. */
import { resolve } from 'node:path';
import { startTsxChild } from '../support/tsx-child';

export interface HubProcess {
  baseUrl: string;
  stop(): void;
}

export function startHubProcess(cases: number, seed: number): Promise<HubProcess> {
  const cli = resolve(__dirname, '../../electron/hub/cli.ts');
  const child = startTsxChild(cli, ['--cases', String(cases), '--seed', String(seed), '--port', '0']);
  return new Promise((done, fail) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /FHIR R4 base URL: (\S+)/.exec(output)?.[1];
      if (url) done({ baseUrl: url, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => fail(new Error(`the demo hub exited (${code}) before it was ready`)));
  });
}
