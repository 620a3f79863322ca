/** The demo hub in a process of its own, as a real server would be: its work does not count as the desk's. */
import { resolve } from 'node:path';
import { startTsxChild } from '../support/tsx-child';

export interface HubProcess {
  baseUrl: string;
  /** The teledermatology service the hub's demo referrals are addressed to. */
  service: string;
  stop(): void;
}

/** The rest of the shared server beside the cases: the hub's own proportions unless given. */
export interface HubShape {
  otherReferrals?: number;
  unreferredPatients?: number;
}

export function startHubProcess(cases: number, seed: number, shape: HubShape = {}): Promise<HubProcess> {
  const cli = resolve(__dirname, '../../electron/hub/cli.ts');
  const child = startTsxChild(cli, [
    '--cases', String(cases), '--seed', String(seed), '--port', '0',
    ...(shape.otherReferrals === undefined ? [] : ['--other-referrals', String(shape.otherReferrals)]),
    ...(shape.unreferredPatients === undefined ? [] : ['--unreferred-patients', String(shape.unreferredPatients)]),
  ]);
  return new Promise((done, fail) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /FHIR R4 base URL: (\S+)/.exec(output)?.[1];
      const service = /DESK_SERVICE=(\S+?)\)/.exec(output)?.[1];
      if (url && service) done({ baseUrl: url, service, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => fail(new Error(`the demo hub exited (${code}) before it was ready`)));
  });
}
