/**
 * Hostile and mis-encoded OSCAL documents (#8 §2): deep nesting, invalid UTF-8 and declared encodings, in
 * every format. Each gets CONTENT_INVALID naming the file and the place, never an internal error, never a
 * U+FFFD in stored text, and never a quote of the file's content in the message.
 */
import { describe, expect, it } from 'vitest';
import { parseXml, textContent } from '../../../src/formats/safe-xml.js';
import { decodeUtf8, firstInvalidUtf8 } from '../../../src/formats/text-decoding.js';
import { parseOscalSource } from '../../../src/library/profile-resolution/source-loader.js';
import { OSCAL_SCHEMA_112, shared } from '../../harness/content.js';
import { thrown } from '../../harness/errors.js';

const opts = { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) };
const SECRET = 'TOP-SECRET-MARKER';
const UUID = '74c8ba1e-5cd4-4ad1-bbfd-fc7ac2aab2e5';

function deepPartsXml(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => `<part name="item" id="p${i}"><p>${SECRET}</p>`).join('\n');
  return `<?xml version="1.0"?>\n<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="${UUID}"><metadata><title>t</title><last-modified>2024-01-01T00:00:00Z</last-modified><version>1</version><oscal-version>1.1.2</oscal-version></metadata>
<control id="c-1"><title>c</title>${open}${'</part>'.repeat(depth)}</control></catalog>`;
}

function deepPartsJson(depth: number): string {
  let part = `{"name":"item","prose":"${SECRET}"}`;
  for (let i = 0; i < depth; i += 1) part = `{"name":"item","parts":[\n${part}]}`;
  return `{"catalog":{"uuid":"${UUID}","metadata":{"title":"t","last-modified":"2024-01-01T00:00:00Z","version":"1","oscal-version":"1.1.2"},"controls":[{"id":"c-1","title":"c","parts":[${part}]}]}}`;
}

function deepPartsYaml(depth: number): string {
  const lines = [`catalog:`, `  uuid: ${UUID}`, `  metadata:`, `    title: t`, `    last-modified: "2024-01-01T00:00:00Z"`, `    version: "1"`, `    oscal-version: 1.1.2`, `  controls:`, `    - id: c-1`, `      title: c`, `      parts:`];
  let indent = '        ';
  for (let i = 0; i < depth; i += 1) {
    lines.push(`${indent}- name: item`, `${indent}  parts:`);
    indent += '    ';
  }
  lines.push(`${indent}- name: item`, `${indent}  prose: ${SECRET}`);
  return lines.join('\n');
}

describe('deeply nested OSCAL (parts 1,000 deep)', () => {
  it.each([
    ['deep.xml', () => deepPartsXml(1000)],
    ['deep.json', () => deepPartsJson(1000)],
    ['deep.yaml', () => deepPartsYaml(1000)],
  ])('%s is refused with the line and column where the nesting limit is crossed', (file, make) => {
    const e = thrown(() => parseOscalSource(file, Buffer.from(make()), opts));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: .*nested deeper than the limit of \\d+`));
    expect(e.problems[0]).toMatchObject({ file, line: expect.any(Number), column: expect.any(Number) });
    expect(e.message).not.toContain(SECRET);
  });

  it('YAML flow collections ten thousand deep are refused before the parser sees them', () => {
    const e = thrown(() => parseOscalSource('flow.yaml', Buffer.from(`catalog: ${'['.repeat(10_000)}${']'.repeat(10_000)}`), opts));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]).toMatchObject({ line: 1, column: expect.any(Number) });
  });

  it('moderate nesting (20 levels of parts) is read', () => {
    const src = parseOscalSource('ok.json', Buffer.from(deepPartsJson(20)), opts);
    expect(src.kind).toBe('catalog');
  });
});

describe('invalid UTF-8', () => {
  const withBadByte = (text: string, marker: string): Buffer => {
    const i = Buffer.from(text).indexOf(marker);
    const b = Buffer.from(text);
    b[i] = 0xff;
    return b;
  };

  it('finds the first invalid byte (overlong, surrogate, truncated, out of range)', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo ✓ 𝄞'))).toBe(-1);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Uint8Array.from([0x41, 0x42, 0xe2, 0x9c]))).toBe(2);
    expect(firstInvalidUtf8(Uint8Array.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });

  it.each([
    ['bad.xml', deepPartsXml(1)],
    ['bad.json', deepPartsJson(1)],
    ['bad.yaml', deepPartsYaml(1)],
  ])('%s is refused with the byte offset, line and column, never read as U+FFFD', (file, text) => {
    const bytes = withBadByte(text, SECRET);
    const offset = bytes.indexOf(0xff);
    const line = text.slice(0, text.indexOf(SECRET)).split('\n').length;
    const e = thrown(() => parseOscalSource(file, bytes, opts));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toContain(`invalid UTF-8 at byte ${offset}`);
    expect(e.problems[0]).toMatchObject({ file, line });
    expect(e.message).not.toContain('OP-SECRET');
  });

  it('a byte-order mark is dropped and not counted as content', () => {
    expect(decodeUtf8(Buffer.from('\ufeffabc'), 'f')).toBe('abc');
  });
});

describe('declared XML encodings', () => {
  it('decodes a file declaring ISO-8859-1 as Latin-1', () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>caf'), Buffer.from([0xe9]), Buffer.from(' \u00a7</a>', 'latin1')]);
    expect(textContent(parseXml(bytes, 'latin1.xml'))).toBe('café §');
  });

  it('decodes windows-1252 (its 0x80–0x9f range differs from Latin-1)', () => {
    const bytes = Buffer.concat([Buffer.from("<?xml version='1.0' encoding='windows-1252'?><a>"), Buffer.from([0x93, 0x41, 0x94, 0x80]), Buffer.from('</a>')]);
    expect(textContent(parseXml(bytes, 'cp1252.xml'))).toBe('\u201cA\u201d\u20ac');
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>ü</a>', 'utf16le')]);
    expect(textContent(parseXml(bytes, 'u16.xml'))).toBe('ü');
  });

  it('refuses an encoding Node does not know, naming it, at line 1', () => {
    const e = thrown(() => parseXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>'), 'k.xml'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toMatch(/^k\.xml:1:1: the XML declaration names the encoding "x-klingon", which is not supported/);
  });

  it('refuses a declared UTF-16 without a byte-order mark', () => {
    const e = thrown(() => parseXml(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a/>'), 'u.xml'));
    expect(e.message).toContain('no UTF-16 byte-order mark');
  });

  it('a file declaring UTF-8 with Latin-1 bytes is refused at the byte', () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<a>caf'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    const e = thrown(() => parseXml(bytes, 'mixed.xml'));
    expect(e.message).toMatch(/^mixed\.xml:2:7: invalid UTF-8 at byte 45 \(0xe9\)/);
  });
});

describe('messages never quote content', () => {
  it('malformed JSON names the place and the kind of error only', () => {
    const e = thrown(() => parseOscalSource('m.json', Buffer.from(`{"catalog": {"uuid": ${SECRET}}}`), opts));
    expect(e.message).toMatch(/^m\.json:1:\d+: malformed JSON/);
    expect(e.message).not.toContain('SECRET');
  });

  it('a file that is neither JSON nor XML is named without its bytes', () => {
    const e = thrown(() => parseOscalSource('x.txt', Buffer.from(`${SECRET} plain text`), opts));
    expect(e.message).not.toContain('SECRET');
  });
});
