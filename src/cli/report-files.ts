/**
 * The CLI user's own files for reports: the assessment-results file or bundle they name is read here, the
 * report they ask for is written here (atomically). Errors name the file, never its content.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

/** Whether `file` names an existing regular file. */
export async function isLocalFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The file's bytes; BAD_INPUT naming it when it cannot be read. */
export async function readLocalFile(file: string): Promise<{ name: string; bytes: Uint8Array }> {
  try {
    return { name: file, bytes: await fs.readFile(file) };
  } catch (e) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `${file}: cannot read the file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, [], { cause: e });
  }
}

/** Writes the bytes, replacing the file atomically (creating its directory); returns the absolute path. */
export async function writeLocalFile(file: string, bytes: Uint8Array): Promise<string> {
  const abs = path.resolve(file);
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, abs);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new PlimsollError(ErrorCode.BAD_INPUT, `${abs}: cannot write the file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, [], { cause: e });
  }
  return abs;
}
