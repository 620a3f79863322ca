/**
 * One teaching export on disk: a folder with a random name that appears whole or not at all.
 * Files are written and flushed into a hidden partial folder, which is then renamed into place,
 * so whoever collects the exports never picks up half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const PARTIAL_PREFIX = '.partial-';

export interface ExportFile {
  name: string;
  bytes: Buffer | string;
}

/** A name that says nothing about the patient, referral, image or day: 128 random bits. */
export const randomImageFileName = (): string => `${randomBytes(16).toString('hex')}.jpg`;

/** Writes the files into a new folder under `exportDir`; returns the folder's path. */
export async function writeExportFolder(exportDir: string, files: readonly ExportFile[]): Promise<string> {
  await mkdir(exportDir, { recursive: true });
  const partial = await mkdtemp(join(exportDir, PARTIAL_PREFIX));
  try {
    for (const file of files) await writeFile(join(partial, file.name), file.bytes, { flush: true });
    const folder = join(exportDir, `teaching-${randomBytes(8).toString('hex')}`);
    await rename(partial, folder);
    return folder;
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Partial folders a crash left behind; call only while no export is being written. */
export async function removePartialExports(exportDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(exportDir);
  } catch {
    return; // no folder yet: nothing left behind
  }
  await Promise.all(names.filter((n) => n.startsWith(PARTIAL_PREFIX)).map((n) => rm(join(exportDir, n), { recursive: true, force: true })));
}
