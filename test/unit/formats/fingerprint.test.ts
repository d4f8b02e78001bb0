import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { lineColumnAt } from '../../../src/formats/safe-xml.js';
import { CCI_LIST, DOCKER_STIG_V2R2, REV5_CATALOG_JSON, REV5_CATALOG_XML, repoRoot, shared } from '../../harness/content.js';
import { thrown } from '../../harness/errors.js';

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

  it('names the root element or keys of unknown content', () => {
    const xml = thrown(() => fingerprint('u.xml', fs.readFileSync(fixture('unknown-kind.xml'))));
    expect(xml.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(xml.message).toContain('u.xml');
    expect(xml.message).toContain('<checklist> in namespace urn:example:not-content');
    const json = thrown(() => fingerprint('u.json', Buffer.from('{"foo": 1, "bar": 2}')));
    expect(json.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(json.message).toContain('"foo", "bar"');
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
  });

  it('computes line and column of an offset', () => {
    expect(lineColumnAt('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});
