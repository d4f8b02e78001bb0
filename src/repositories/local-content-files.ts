/**
 * Content files read from the local filesystem, with the file named in every error. Apart from the content
 * repository so that the CLI reads its arguments without loading the database layer.
 */
import fs from 'node:fs/promises';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

/** Where imports read content files from (the local filesystem). */
export interface ContentFileSource {
  /** Size in bytes; throws CONTENT_MISSING naming the file when it cannot be read. */
  size(file: string): Promise<number>;
  read(file: string): Promise<Buffer>;
}

function unreadable(file: string, e: unknown): PlimsollError {
  const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
  return new PlimsollError(ErrorCode.CONTENT_MISSING, `${file}: cannot read the file: ${reason}`, [{ file, message: `cannot read the file: ${reason}` }], { cause: e });
}

/** Reads content files from the local filesystem; CONTENT_MISSING names a file that cannot be read. */
export class LocalContentFiles implements ContentFileSource {
  async size(file: string): Promise<number> {
    try {
      const st = await fs.stat(file);
      if (!st.isFile()) throw new Error('not a regular file');
      return st.size;
    } catch (e) {
      throw unreadable(file, e);
    }
  }

  async read(file: string): Promise<Buffer> {
    try {
      return await fs.readFile(file);
    } catch (e) {
      throw unreadable(file, e);
    }
  }
}
