/**
 * Rules mapped while a data stream is read (`earlyRules`, what an import asks for) against the same data stream
 * mapped after the parse: the benchmarks must be equal, and the Rules mapped early must have let go of their
 * children (else the option does nothing). Rules naming a Value not read yet are mapped late.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchmarkDocument } from '../../../../src/domain/content.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { type XmlElement, elements } from '../../../../src/formats/safe-xml.js';
import { parseDataStreamBenchmarks } from '../../../../src/formats/scap/benchmarks.js';
import { thrown } from '../../../harness/errors.js';

const SSG = '/usr/share/xml/scap/ssg/content';
const DEBIAN = [`${SSG}/ssg-debian12-ds.xml`, `${SSG}/ssg-debian11-ds.xml`, `${SSG}/ssg-debian10-ds.xml`].find((f) => fs.existsSync(f)) ?? `${SSG}/ssg-debian12-ds.xml`;

function parse(file: string, bytes: Buffer, fixes: boolean, earlyRules: boolean): { docs: BenchmarkDocument[]; rules: XmlElement[] } {
  const fp = fingerprint(file, bytes, { dataStream: { fixes, earlyRules } });
  if (fp.kind !== 'data-stream') throw new Error(fp.kind);
  const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file, { fixes }).map((d) => d.doc);
  return { docs, rules: ruleElements(fp.root) };
}

/** Every element named Rule in a tree, in document order. */
function ruleElements(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const c of elements(el)) {
    if (c.local === 'Rule') out.push(c);
    ruleElements(c, out);
  }
  return out;
}

const XCCDF = 'http://checklists.nist.gov/xccdf/1.2';
const collection = (...benchmarks: string[]): Buffer =>
  Buffer.from(`<ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" id="c">
${benchmarks.map((b, i) => `<ds:component id="c${i}">${b}</ds:component>`).join('\n')}
</ds:data-stream-collection>`);
const value = (id: string, v: string): string => `<Value id="${id}" type="string"><title>${id}</title><value>${v}</value></Value>`;
const rule = (id: string, body: string): string => `<Rule id="${id}" severity="low"><title>${id}</title><description>${body}</description><reference href="https://x">CCI-000001</reference></Rule>`;

describe('rules mapped while a data stream is read', () => {
  it.each([
    [DEBIAN, false],
    [DEBIAN, true],
    [`${SSG}/ssg-rhel8-ds.xml`, false],
  ])('give the same benchmark as rules mapped after the parse (%s, fixes %s)', (file, fixes) => {
    const bytes = fs.readFileSync(file);
    const late = parse(file, bytes, fixes, false);
    const early = parse(file, bytes, fixes, true);
    expect(early.docs).toStrictEqual(late.docs);
    expect(late.docs[0]!.rules.length).toBeGreaterThan(300);
    // Mapped early, a Rule holds no children any more: all but those naming a Value read after them.
    const emptied = early.rules.filter((r) => r.children.length === 0).length;
    expect(emptied).toBeGreaterThan(late.docs[0]!.rules.length * 0.9);
    expect(late.rules.every((r) => r.children.length > 0)).toBe(true);
  });

  it('map late a rule that names a Value read after it, and never take a Value of another benchmark', () => {
    const a = `<Benchmark xmlns="${XCCDF}" id="xccdf_a_benchmark_a"><title>a</title><version>1</version>
      ${value('v', 'A')}${rule('ra', 'uses <sub idref="v"/>')}</Benchmark>`;
    const b = `<Benchmark xmlns="${XCCDF}" id="xccdf_b_benchmark_b"><title>b</title><version>1</version>
      <Group id="g1"><title>G1</title>${rule('before', 'uses <sub idref="v"/>')}${value('w', 'W')}${rule('wuser', 'uses <sub idref="w"/>')}</Group>
      <Group id="g2"><title>G2</title>${value('v', 'B')}${rule('after', 'uses <sub idref="v"/>')}
        <Rule id="outer"><title>o</title><Rule id="inner"><title>i</title></Rule></Rule></Group></Benchmark>`;
    const bytes = collection(a, b);
    const late = parse('two.xml', bytes, false, false);
    const early = parse('two.xml', bytes, false, true);
    expect(early.docs).toStrictEqual(late.docs);
    const discussion = (doc: BenchmarkDocument, id: string): string | undefined => doc.rules.find((r) => r.ruleId === id)?.discussion;
    expect(discussion(early.docs[1]!, 'before')).toBe('uses B');
    expect(discussion(early.docs[1]!, 'wuser')).toBe('uses W');
    expect(discussion(early.docs[1]!, 'after')).toBe('uses B');
    expect(discussion(early.docs[0]!, 'ra')).toBe('uses A');
    // `before` names a Value read after it (in its own benchmark): mapped late, it keeps its children; the others were
    // mapped early (the inner Rule, which no walk reaches, went with the outer one's children).
    expect(early.rules.map((r) => [r.attrs.id, r.children.length > 0])).toEqual([
      ['ra', false],
      ['before', true],
      ['wuser', false],
      ['after', false],
      ['outer', false],
    ]);
  });

  it('refuse what rules mapped after the parse refuse, with the same message', () => {
    const dup = `<Benchmark xmlns="${XCCDF}" id="xccdf_a_benchmark_a"><title>a</title><version>1</version>${rule('r', 'x')}${rule('r', 'y')}</Benchmark>`;
    const noId = `<Benchmark xmlns="${XCCDF}" id="xccdf_a_benchmark_a"><title>a</title><version>1</version>${rule('r', 'x')}<Rule severity="low"/></Benchmark>`;
    for (const bytes of [collection(dup), collection(noId)]) {
      const late = thrown(() => parse('bad.xml', bytes, false, false));
      expect(late.code).toBe('CONTENT_INVALID');
      expect(thrown(() => parse('bad.xml', bytes, false, true)).message).toBe(late.message);
    }
  });
});
