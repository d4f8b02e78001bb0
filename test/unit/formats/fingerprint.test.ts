import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { lineColumnAt } from '../../../src/formats/safe-xml.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, REV5_CATALOG_XML, repoRoot, shared } from '../../harness/content.js';
import { thrown } from '../../harness/errors.js';
import { parseOscalSource } from '../../../src/library/profile-resolution/source-loader.js';

const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'content', name);
const kindOf = (file: string): string => fingerprint(file, fs.readFileSync(file)).kind;

describe('fingerprint', () => {
  it('recognises the shared reference content', () => {
    expect(kindOf(shared(...DOCKER_STIG_V2R2))).toBe('benchmark');
    expect(kindOf(shared(...CCI_LIST))).toBe('cci-list');
    expect(fingerprint('c.json', fs.readFileSync(shared(...REV5_CATALOG_JSON)))).toMatchObject({ kind: 'catalog', format: 'json' });
    expect(fingerprint('c.xml', fs.readFileSync(shared(...REV5_CATALOG_XML)))).toMatchObject({ kind: 'catalog', format: 'xml' });
    expect(kindOf(shared('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.json'))).toBe('profile');
    expect(kindOf(shared('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile.xml'))).toBe('profile');
  });

  it('tells XCCDF 1.1 from 1.2 by namespace', () => {
    const b12 = Buffer.from('<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_x_benchmark_b"/>');
    expect(fingerprint('b.xml', b12)).toMatchObject({ kind: 'benchmark', xccdfVersion: '1.2' });
  });

  it('says what unknown content is not, naming known vocabularies only (never the words of the document)', () => {
    const xml = thrown(() => fingerprint('u.xml', fs.readFileSync(fixture('unknown-kind.xml'))));
    expect(xml.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(xml.message).toContain('u.xml');
    expect(xml.message).toContain('an XML document in another vocabulary');
    expect(xml.message).not.toContain('checklist');
    expect(thrown(() => fingerprint('t.xml', Buffer.from('<Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2"/>'))).message).toContain('<Tailoring> of XCCDF 1.2');
    const json = thrown(() => fingerprint('u.json', Buffer.from('{"foo": 1, "bar": 2}')));
    expect(json.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(json.message).toContain('a JSON object whose 2 root properties are not an OSCAL model');
    expect(json.message).not.toContain('foo');
    const ssp = thrown(() => fingerprint('ssp.json', Buffer.from('{"system-security-plan": {}}')));
    expect(ssp.message).toContain('OSCAL system-security-plan');
    expect(thrown(() => fingerprint('t.txt', Buffer.from('hello'))).code).toBe('CONTENT_UNKNOWN_KIND');
    expect(thrown(() => fingerprint('e.txt', Buffer.from('  \n'))).message).toContain('an empty file');
    // The right element name in the wrong namespace is not the format.
    expect(thrown(() => fingerprint('b.xml', Buffer.from('<Benchmark id="x"/>'))).code).toBe('CONTENT_UNKNOWN_KIND');
  });

  it('reports malformed JSON with line and column', () => {
    const e = thrown(() => fingerprint('m.json', fs.readFileSync(fixture('malformed.json'))));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]).toMatchObject({ file: 'm.json', line: 4, column: 46 });
    const token = thrown(() => fingerprint('t.json', Buffer.from('{\n  "a": 1,\n  "b": rootpw\n}')));
    expect(token.problems[0]).toMatchObject({ line: 3, column: 8, message: 'malformed JSON: unexpected character' });
  });

  /**
   * The class guard: whatever a document holds, the errors about it quote none of it. Each input starts
   * with (or is built around) a canary, the way /etc/shadow starts with "root:$6$…", and goes through the
   * detection and the syntax checks of every format (JSON, XML, YAML).
   */
  describe('errors never echo the document', () => {
    const CANARY = 'CANARY9f2e';
    const inputs: [string, string][] = [
      ['shadow', `${CANARY}:$6$saltsalt$hash:19000:0:99999:7:::\nroot:*:19000:0:99999:7:::\n`],
      ['binary-ish', `\u0001${CANARY}\u0002`],
      ['json-bad-token', `{"a": ${CANARY}}`],
      ['json-bare', `{ ${CANARY} }`],
      ['json-unknown-root', `{"${CANARY}": {"${CANARY}x": 1}}`],
      ['json-trailing', `{"catalog": {}} ${CANARY}`],
      ['json-string', `{"a": "${CANARY}\u0001"}`],
      ['xml-unknown-root', `<${CANARY} xmlns="urn:${CANARY}"/>`],
      ['xml-mismatch', `<a>${CANARY}</${CANARY}>`],
      ['xml-two-roots', `<a/><${CANARY}/>`],
      ['xml-prefix', `<${CANARY}:a/>`],
      ['xml-entity', `<a>&${CANARY};</a>`],
      ['xml-doctype', `<!DOCTYPE ${CANARY}><a/>`],
      ['xml-text-after', `<a/>${CANARY}`],
      ['xml-attr', `<a ${CANARY}/>`],
    ];
    it.each(inputs)('%s', (_name, text) => {
      const e = thrown(() => fingerprint('upload.bin', Buffer.from(text, 'utf8')));
      expect(JSON.stringify({ message: e.message, problems: e.problems })).not.toContain(CANARY);
    });
    const yamlInputs: [string, string][] = [
      ['yaml-flow', `${CANARY}: [`],
      ['yaml-alias', `a: *${CANARY}`],
      ['yaml-scalar', `- ${CANARY}\n${CANARY}: x`],
      ['yaml-quote', `"${CANARY}`],
      ['yaml-indent', `a:\n  - b\n c: ${CANARY}`],
      ['yaml-unknown-root', `${CANARY}: {}`],
    ];
    it.each(yamlInputs)('%s', (_name, text) => {
      const e = thrown(() => parseOscalSource('upload.yaml', Buffer.from(text, 'utf8'), { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) }));
      expect(JSON.stringify({ message: e.message, problems: e.problems })).not.toContain(CANARY);
    });
  });

  it('computes line and column of an offset', () => {
    expect(lineColumnAt('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});
