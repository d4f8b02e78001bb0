/** LocalFiles.writeText: a whole text or its parts, byte for byte, replacing the file atomically. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFiles } from '../../../src/repositories/local-files.js';

const dirs: string[] = [];
const tmp = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-local-files-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function* partsOf(parts: string[]): AsyncGenerator<string> {
  for (const p of parts) yield p;
}

describe('LocalFiles.writeText', () => {
  it('writes parts of every size (multi-byte characters, parts larger than the first buffer) as their concatenation', async () => {
    const parts = ['{"a": "é’…', '', 'x'.repeat(200_000), '\u{1F600}'.repeat(40_000), '"}\n'];
    const file = path.join(tmp(), 'sub', 'doc.json');
    expect(await new LocalFiles().writeText(file, partsOf(parts))).toBe(path.resolve(file));
    expect(fs.readFileSync(file, 'utf8')).toBe(parts.join(''));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['doc.json']);
  });

  it('replaces an existing file, and leaves nothing behind when the parts fail', async () => {
    const file = path.join(tmp(), 'doc.json');
    const files = new LocalFiles();
    await files.writeText(file, 'old');
    await files.writeText(file, partsOf(['n', 'ew']));
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    async function* failing(): AsyncGenerator<string> {
      yield 'partial';
      throw new Error('the stored document vanished');
    }
    await expect(files.writeText(file, failing())).rejects.toThrow('the stored document vanished');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['doc.json']);
  });
});
