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
      await fs.writeFile(tmp, text, 'utf8');
      await fs.rename(tmp, abs);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${abs}: cannot write the file: ${reason}`, [{ file: abs, message: `cannot write the file: ${reason}` }], { cause: e });
    }
    return abs;
  }
}
