/**
 * SSG source data streams (SCAP 1.3) from Debian's ssg-* packages, checked against oracles that share no
 * code with the parser: `oscap info --profiles` (profile ids and titles), `oscap xccdf generate guide
 * --profile` (the rules OpenSCAP selects for a profile) and regular expressions over the file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchmarkDocument } from '../../../../src/domain/content.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { parseDataStreamBenchmarks } from '../../../../src/formats/scap/benchmarks.js';
import { parseDataStreamCollection } from '../../../../src/formats/scap/data-stream.js';
import { parseBenchmark } from '../../../../src/formats/xccdf/parse.js';
import { parseXml } from '../../../../src/formats/safe-xml.js';
import { thrown } from '../../../harness/errors.js';

const SSG = '/usr/share/xml/scap/ssg/content';
const RHEL8 = `${SSG}/ssg-rhel8-ds.xml`;
// Debian 12's data stream when the installed ssg-debian ships it, else the newest Debian one.
const DEBIAN = [`${SSG}/ssg-debian12-ds.xml`, `${SSG}/ssg-debian11-ds.xml`, `${SSG}/ssg-debian10-ds.xml`].find((f) => fs.existsSync(f)) ?? `${SSG}/ssg-debian12-ds.xml`;
const P = 'xccdf_org.ssgproject.content_';

function load(file: string): BenchmarkDocument {
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'data-stream') throw new Error(`${file} fingerprinted as ${fp.kind}`);
  const docs = parseDataStreamBenchmarks(fp.root, fp.collection, file);
  expect(docs).toHaveLength(1);
  return docs[0]!.doc;
}

/** `oscap info --profiles`: one `id:title` line per profile. */
function oscapProfiles(file: string): { id: string; title: string }[] {
  const out = execFileSync('oscap', ['info', '--profiles', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 << 20 });
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => ({ id: l.slice(0, l.indexOf(':')), title: l.slice(l.indexOf(':') + 1) }));
}

/** Rule ids OpenSCAP's HTML guide lists for a profile (one tree leaf per selected rule). */
function oscapGuideRules(file: string, profile: string): Set<string> {
  const html = execFileSync('oscap', ['xccdf', 'generate', 'guide', '--profile', profile, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
  return new Set([...html.matchAll(/guide-tree-leaf-id-(xccdf_[^"\s]+_rule_[^"\s]+)/g)].map((m) => m[1]!));
}

/** Rules a profile selects, by regex: its select elements in order, the last one for an idref winning. */
function regexProfileRules(text: string, profile: string): Set<string> {
  const body = new RegExp(`<xccdf-1\\.2:Profile id="${profile}"[^>]*>([\\s\\S]*?)</xccdf-1\\.2:Profile>`).exec(text)![1]!;
  const sel = new Map<string, boolean>();
  for (const m of body.matchAll(/<xccdf-1\.2:select idref="([^"]+)" selected="(true|false)"/g)) sel.set(m[1]!, m[2] === 'true');
  return new Set([...sel].filter(([id, on]) => on && id.includes('_rule_')).map(([id]) => id));
}

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

describe.each([
  ['RHEL 8', RHEL8, `${P}profile_ospp`],
  ['Debian', DEBIAN, `${P}profile_standard`],
])('SSG data stream %s', (_name, file, guideProfile) => {
  const text = fs.readFileSync(file, 'utf8');
  const doc = load(file);

  it('has the profiles oscap lists, with their titles, in order', () => {
    const oracle = oscapProfiles(file);
    expect(oracle.length).toBeGreaterThan(0);
    expect(doc.profiles.map((p) => ({ id: p.id, title: p.title }))).toEqual(oracle);
  });

  it('has as many rules, groups and values as the file has XCCDF 1.2 Rule, Group and Value elements', () => {
    expect(doc.rules).toHaveLength(count(text, /<xccdf-1\.2:Rule\b/g));
    const groups: number[] = [0];
    const walk = (gs: NonNullable<BenchmarkDocument['groups']>): void => {
      for (const g of gs) {
        groups[0]! += 1;
        walk(g.groups);
      }
    };
    walk(doc.groups!);
    expect(groups[0]).toBe(count(text, /<xccdf-1\.2:Group\b/g));
    expect(doc.values).toHaveLength(count(text, /<xccdf-1\.2:Value\b/g));
    expect(new Set(doc.rules.map((r) => r.ruleId)).size).toBe(doc.rules.length);
  });

  it('reads benchmark metadata and where in the data stream it came from', () => {
    const id = /<xccdf-1\.2:Benchmark id="([^"]+)"/.exec(text)![1];
    const version = /<xccdf-1\.2:version[^>]*>([^<]+)</.exec(text)![1];
    expect(doc).toMatchObject({ benchmarkId: id, version, xccdfVersion: '1.2', status: 'draft' });
    expect(doc.statusDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.dataStream).toMatchObject({ scapVersion: '1.3' });
    expect(doc.dataStream!.componentId).toMatch(/xccdf/);
  });

  it('gives every rule its severity as written, a group path and a check hash', () => {
    const written = new Map([...text.matchAll(/<xccdf-1\.2:Rule [^>]*?id="([^"]+)"[^>]*?severity="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
    for (const r of doc.rules) {
      expect(r.severity).toBe(written.get(r.ruleId) === 'info' ? 'low' : written.get(r.ruleId) ?? 'unknown');
      expect(r.groupPath!.length).toBeGreaterThan(0);
      expect(r.groupPath![r.groupPath!.length - 1]).toBe(r.groupId);
      expect(r.checkContentHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(doc.rules.filter((r) => r.severity === 'medium').length).toBeGreaterThan(doc.rules.length / 2);
  });

  it('selects for each profile the rules its select elements switch on', () => {
    // The regex oracle ignores group selection and rule defaults; that is sound only while SSG leaves
    // every group selected and every rule off by default, which is checked first.
    expect(count(text, /<xccdf-1\.2:Group [^>]*selected="false"/g)).toBe(0);
    expect(count(text, /<xccdf-1\.2:Rule [^>]*selected="true"/g)).toBe(0);
    for (const p of doc.profiles) {
      const oracle = regexProfileRules(text, p.id);
      expect(new Set(p.selectedRuleIds), p.id).toEqual(oracle);
    }
  });

  it(`selects for ${guideProfile.slice(P.length)} the rules OpenSCAP's guide shows`, () => {
    const oracle = oscapGuideRules(file, guideProfile);
    expect(oracle.size).toBeGreaterThan(20);
    expect(new Set(doc.profiles.find((p) => p.id === guideProfile)!.selectedRuleIds)).toEqual(oracle);
  });
});

describe('SSG RHEL 8 rule content', () => {
  const doc = load(RHEL8);
  const rule = (id: string) => doc.rules.find((r) => r.ruleId === `${P}rule_${id}`)!;

  it('extracts SP 800-53 references, CCIs, CCE idents, references and the rationale', () => {
    const tmout = rule('accounts_tmout');
    expect(tmout.sp80053).toEqual([
      { control: 'AC-12', revision: '4' }, { control: 'SC-10', revision: '4' },
      { control: 'AC-2(5)', revision: '4' }, { control: 'CM-6(a)', revision: '4' },
    ]);
    expect(tmout.ccis).toEqual(['CCI-000057', 'CCI-001133', 'CCI-002361']);
    expect(tmout.idents).toEqual([{ system: 'https://nvd.nist.gov/cce/index.cfm', value: 'CCE-80673-7' }]);
    expect(tmout.references).toContainEqual({ href: 'http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-171.pdf', text: '3.1.11' });
    // 800-171 is not 800-53.
    expect(tmout.sp80053!.map((s) => s.control)).not.toContain('3.1.11');
    expect(tmout.rationale).toMatch(/^Terminating an idle session/);
    expect(tmout.groupPath).toEqual([`${P}group_system`, `${P}group_accounts`, `${P}group_accounts-session`]);
    expect(tmout.selected).toBe(false);
  });

  it('renders the XHTML description as text with Value substitutions', () => {
    const tmout = rule('accounts_tmout');
    const value = doc.values!.find((v) => v.id === `${P}value_var_accounts_tmout`)!;
    expect(value.defaultValue).toBe('600');
    expect(tmout.discussion).toContain('Setting the TMOUT option in /etc/profile ensures');
    expect(tmout.discussion).toContain('declare -xr TMOUT=600');
    expect(tmout.discussion).not.toMatch(/<|html:/);
    expect(tmout.valueIds).toContain(value.id);
  });

  it('keeps OVAL and OCIL check references and hashes their identity', () => {
    const tmout = rule('accounts_tmout');
    expect(tmout.checks!.map((c) => c.system)).toEqual(['http://oval.mitre.org/XMLSchema/oval-definitions-5', 'http://scap.nist.gov/schema/ocil/2']);
    expect(tmout.checks![0]).toMatchObject({
      contentRefs: [{ href: 'ssg-rhel8-oval.xml', name: 'oval:ssg-accounts_tmout:def:1' }],
      exports: [{ valueId: `${P}value_var_accounts_tmout`, exportName: 'oval:ssg-var_accounts_tmout:var:1' }],
    });
    expect(tmout.checkContent).toBe('[http://oval.mitre.org/XMLSchema/oval-definitions-5] ssg-rhel8-oval.xml#oval:ssg-accounts_tmout:def:1\n\n[http://scap.nist.gov/schema/ocil/2] ssg-rhel8-ocil.xml#ocil:ssg-accounts_tmout_ocil:questionnaire:1');
  });

  it('keeps fix scripts per system with Values substituted', () => {
    const fixes = rule('accounts_tmout').fixes!;
    expect(fixes.map((f) => f.system)).toEqual(expect.arrayContaining(['urn:xccdf:fix:script:ansible', 'urn:xccdf:fix:script:sh']));
    const ansible = fixes.find((f) => f.system === 'urn:xccdf:fix:script:ansible')!;
    expect(ansible).toMatchObject({ complexity: 'low', disruption: 'low', reboot: false, strategy: 'restrict' });
    expect(ansible.content).toContain("var_accounts_tmout: !!str 600");
    expect(ansible.content).toContain('dupes.found is defined and dupes.found > 1');
  });

  it('takes the STIG id from the DISA STIG reference, else the rule id', () => {
    expect(rule('harden_sshd_macs_openssh_conf_crypto_policy').stigId).toBe('RHEL-08-010020');
    expect(rule('accounts_tmout').stigId).toBe(`${P}rule_accounts_tmout`);
    const withStig = doc.rules.filter((r) => /^RHEL-08-\d{6}$/.test(r.stigId)).length;
    const rulesWithStigRef = fs.readFileSync(RHEL8, 'utf8').split('<xccdf-1.2:Rule ').slice(1)
      .filter((chunk) => /unix-linux">RHEL-08-\d{6}<\/xccdf-1\.2:reference>/.test(chunk.slice(0, chunk.indexOf('</xccdf-1.2:Rule>')))).length;
    expect(rulesWithStigRef).toBeGreaterThan(300);
    expect(withStig).toBe(rulesWithStigRef);
  });

  it('resolves refine-value selectors of profiles to values', () => {
    const anssi = doc.profiles.find((p) => p.id === `${P}profile_anssi_bp28_enhanced`)!;
    expect(anssi.refineValues).toContainEqual({ valueId: `${P}value_var_password_pam_unix_rounds`, selector: '65536', value: '65536' });
    expect(anssi.refineValues).toContainEqual({ valueId: `${P}value_var_password_pam_minlen`, selector: '18', value: '18' });
    expect(anssi.selections!.length).toBeGreaterThanOrEqual(anssi.selectedRuleIds.length);
  });
});

describe('data stream errors', () => {
  const text = fs.readFileSync(DEBIAN, 'utf8');

  it.each([0.3, 0.9])('refuses a data stream truncated at %f of its length with the position of the end', (fraction) => {
    // Cut after a whole line so that the document ends between tags, inside the XCCDF (0.3) or OVAL (0.9) component.
    const cut = text.slice(0, text.lastIndexOf('\n', Math.floor(text.length * fraction)) + 1);
    const e = thrown(() => fingerprint('cut.xml', Buffer.from(cut)));
    expect(e.code).toBe('CONTENT_INVALID');
    const lines = cut.split('\n');
    expect(e.problems[0]).toMatchObject({ file: 'cut.xml', line: lines.length, column: lines[lines.length - 1]!.length + 1 });
    expect(e.message).toMatch(/unexpected end of document: <[^>]+> is not closed/);
  });

  it('refuses mis-nested tags inside a skipped OVAL component', () => {
    const at = text.indexOf('</oval-def:definition>');
    expect(at).toBeGreaterThan(0);
    const broken = `${text.slice(0, at)}</oval-def:definitions>${text.slice(at + '</oval-def:definition>'.length)}`;
    const e = thrown(() => fingerprint('nest.xml', Buffer.from(broken)));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]!.line).toBe(text.slice(0, at).split('\n').length);
    expect(e.message).toContain('Unexpected close tag </oval-def:definitions>');
  });

  it('refuses an unknown entity inside the XCCDF component with its position', () => {
    const at = text.indexOf('<xccdf-1.2:title>') + '<xccdf-1.2:title>'.length;
    const e = thrown(() => fingerprint('ent.xml', Buffer.from(`${text.slice(0, at)}&nbsp;${text.slice(at)}`)));
    expect(e.problems[0]).toMatchObject({ line: text.slice(0, at).split('\n').length });
    expect(e.message).toContain('an unknown entity reference');
  });

  it('builds the same benchmark without fix scripts, less only the rules\' fixes and value ids, when asked (imports)', () => {
    const bytes = fs.readFileSync(DEBIAN);
    const full = load(DEBIAN);
    const fp = fingerprint(DEBIAN, bytes, { dataStream: { fixes: false } });
    if (fp.kind !== 'data-stream') throw new Error(fp.kind);
    const [lean] = parseDataStreamBenchmarks(fp.root, fp.collection, DEBIAN, { fixes: false });
    expect(full.rules.some((r) => r.fixes!.length > 0)).toBe(true);
    expect(lean!.doc.rules.every((r) => r.fixes === undefined && r.valueIds === undefined)).toBe(true);
    const withoutFixes = full.rules.map(({ fixes: _f, valueIds: _v, ...r }) => r);
    expect(lean!.doc).toStrictEqual({ ...full, rules: withoutFixes });
  });

  it('skips fix scripts unbuilt when asked, but still refuses one that breaks the nesting or names an unknown entity', () => {
    const at = text.indexOf('</xccdf-1.2:fix>');
    expect(at).toBeGreaterThan(0);
    // A reference no XML parser defines inside a skipped fix: refused as the full parse refuses it, at its place.
    const entity = Buffer.from(`${text.slice(0, at)}&nbsp;${text.slice(at)}`);
    expect(thrown(() => fingerprint('ent.xml', entity)).message).toContain('an unknown entity reference');
    const skipped = thrown(() => fingerprint('ent.xml', entity, { dataStream: { fixes: false } }));
    expect(skipped.message).toContain('an unknown entity reference');
    expect(skipped.problems[0]!.line).toBe(text.slice(0, at).split('\n').length);
    const nest = Buffer.from(`${text.slice(0, at)}</xccdf-1.2:fixx>${text.slice(at + '</xccdf-1.2:fix>'.length)}`);
    const e = thrown(() => fingerprint('nest.xml', nest, { dataStream: { fixes: false } }));
    expect(e.message).toContain('Unexpected close tag </xccdf-1.2:fixx>');
    expect(e.problems[0]!.line).toBe(text.slice(0, at).split('\n').length);
  });

  it('refuses a collection without an XCCDF benchmark component', () => {
    const ds = `<ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" id="c">
  <ds:component id="o"><oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"/></ds:component>
</ds:data-stream-collection>`;
    const { root, collection } = parseDataStreamCollection(ds, 'none.xml');
    expect(collection.components.map((c) => c.content)).toEqual(['oval']);
    expect(thrown(() => parseDataStreamBenchmarks(root, collection, 'none.xml')).message).toContain('holds no XCCDF Benchmark component (found: oval)');
  });

  it('imports every benchmark of a collection holding two', () => {
    const bench = (id: string) => `<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_x_benchmark_${id}"><title>${id}</title><version>1</version><Rule id="xccdf_x_rule_${id}" severity="low"><title>r</title></Rule></Benchmark>`;
    const ds = `<ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" xmlns:xlink="http://www.w3.org/1999/xlink" id="c" schematron-version="1.3">
  <ds:data-stream id="s" scap-version="1.3"><ds:checklists><ds:component-ref id="r2" xlink:href="#b"/></ds:checklists></ds:data-stream>
  <ds:component id="a">${bench('a')}</ds:component>
  <ds:component id="b">${bench('b')}</ds:component>
</ds:data-stream-collection>`;
    const fp = fingerprint('two.xml', Buffer.from(ds));
    if (fp.kind !== 'data-stream') throw new Error(fp.kind);
    const docs = parseDataStreamBenchmarks(fp.root, fp.collection, 'two.xml');
    expect(docs.map((d) => [d.componentId, d.doc.benchmarkId, d.doc.rules[0]!.ruleId])).toEqual([
      ['a', 'xccdf_x_benchmark_a', 'xccdf_x_rule_a'],
      ['b', 'xccdf_x_benchmark_b', 'xccdf_x_rule_b'],
    ]);
    expect(docs[0]!.doc.dataStream).toEqual({ collectionId: 'c', componentId: 'a', scapVersion: '1.3' });
    expect(docs[1]!.doc.dataStream).toEqual({ collectionId: 'c', componentId: 'b', streamId: 's', componentRefId: 'r2', scapVersion: '1.3' });
  });

  it('refuses XCCDF in the wrong namespace clearly', () => {
    const wrong = '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.3" id="b"><Rule id="r"/></Benchmark>';
    const fp = thrown(() => fingerprint('w.xml', Buffer.from(wrong)));
    expect(fp.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(fp.message).toContain('<Benchmark> in namespace http://checklists.nist.gov/xccdf/1.3');
    const e = thrown(() => parseBenchmark(parseXml(wrong, 'w.xml'), 'w.xml', '1.2'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toContain('expected the XCCDF 1.2 namespace http://checklists.nist.gov/xccdf/1.2, found namespace http://checklists.nist.gov/xccdf/1.3');
  });
});
