/**
 * The local file system of the person running the CLI: the files they name on the command line are read
 * here (and passed to the services as content), and the documents they ask for are written here. The
 * server never uses this repository for what a caller names.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContentFile } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { LocalContentFiles } from './local-content-files.js';

export class LocalFiles {
  private readonly files = new LocalContentFiles();

  /** The file's bytes named as given; CONTENT_MISSING naming the path (never its content) when unreadable. */
  async readContent(file: string): Promise<ContentFile> {
    await this.files.size(file);
    return { name: file, bytes: await this.files.read(file) };
  }

  /** Whether `file` names an existing regular file. */
  async isFile(file: string): Promise<boolean> {
    try {
      return (await fs.stat(file)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Writes the whole text (a string, or its parts as they come: a large document is never held whole), replacing
   * the file atomically (creating its directory); BAD_INPUT naming the file when it cannot.
   */
  async writeText(file: string, text: string | AsyncIterable<string>): Promise<string> {
    const abs = path.resolve(file);
    const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fs.mkdir(path.dirname(abs), { recursive: true });
      if (typeof text === 'string') await fs.writeFile(tmp, text, 'utf8');
      else await writeParts(tmp, text);
      await fs.rename(tmp, abs);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${abs}: cannot write the file: ${reason}`, [{ file: abs, message: `cannot write the file: ${reason}` }], { cause: e });
    }
    return abs;
  }
}

/**
 * Writes the parts through one reused buffer. fs.writeFile with parts makes a new Buffer of each: memory outside
 * V8's heap that only a garbage collection frees, and none may come while a large document is written (the 65 MB
 * results of a 1,000-container run added some 40 MB to the CLI's peak RSS that way).
 */
async function writeParts(file: string, parts: AsyncIterable<string>): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    let scratch = Buffer.allocUnsafe(64 * 1024);
    for await (const part of parts) {
      const bytes = Buffer.byteLength(part, 'utf8');
      if (bytes > scratch.length) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
      scratch.write(part, 0, 'utf8');
      for (let at = 0; at < bytes; ) at += (await handle.write(scratch, at, bytes - at)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}
