/**
 * Benchmark release diffs: Docker STIG V2R1 → V2R2 from files and from the library, checked against an
 * independent reading of both XCCDF files with plain regular expressions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { BenchmarkRule } from '../../../src/domain/content.js';
import type { BenchmarkDiff } from '../../../src/domain/library.js';
import { DefaultBenchmarkDiffService, diffBenchmarks } from '../../../src/library/benchmark-diff.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { GIVEN_BYTES_ONLY } from '../../../src/uploads/upload-service.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { formatBenchmarkDiff } from '../../../src/cli/commands/diff.js';
import { DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir, localContent, localContents } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

interface RegexRule {
  severity: string;
  title: string;
  check: string;
  fix: string;
  ccis: string[];
}

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const norm = (s: string): string => unescape(s).replace(/\s+/g, ' ').trim();

/** STIG id → rule fields, read with regular expressions only. */
function readRules(file: string): Map<string, RegexRule> {
  const xml = fs.readFileSync(file, 'utf8');
  const out = new Map<string, RegexRule>();
  for (const m of xml.matchAll(/<Rule\b([^>]*)>([\s\S]*?)<\/Rule>/g)) {
    const body = m[2]!;
    const stigId = /<version>([^<]*)<\/version>/.exec(body)![1]!;
    out.set(stigId, {
      severity: /severity="([^"]*)"/.exec(m[1]!)![1]!,
      title: norm(/<title>([\s\S]*?)<\/title>/.exec(body)![1]!),
      check: norm(/<check-content>([\s\S]*?)<\/check-content>/.exec(body)?.[1] ?? ''),
      fix: norm(/<fixtext\b[^>]*>([\s\S]*?)<\/fixtext>/.exec(body)?.[1] ?? ''),
      ccis: [...body.matchAll(/<ident system="http:\/\/cyber\.mil\/cci">([^<]+)<\/ident>/g)].map((x) => x[1]!).sort(),
    });
  }
  return out;
}

const v2r1 = shared(...DOCKER_STIG_V2R1);
const v2r2 = shared(...DOCKER_STIG_V2R2);
const before = readRules(v2r1);
const after = readRules(v2r2);
const both = [...before.keys()].filter((id) => after.has(id)).sort();
const where = (test: (o: RegexRule, n: RegexRule) => boolean): string[] => both.filter((id) => test(before.get(id)!, after.get(id)!));
const expected = {
  added: [...after.keys()].filter((id) => !before.has(id)).sort(),
  removed: [...before.keys()].filter((id) => !after.has(id)).sort(),
  check: where((o, n) => o.check !== n.check),
  title: where((o, n) => o.title !== n.title),
  severity: where((o, n) => o.severity !== n.severity),
  fix: where((o, n) => o.fix !== n.fix),
  ccis: where((o, n) => o.ccis.join() !== n.ccis.join()),
};

function assertMatchesRegexReading(d: BenchmarkDiff): void {
  expect(d.added.map((r) => r.stigId)).toEqual(expected.added);
  expect(d.removed.map((r) => r.stigId)).toEqual(expected.removed);
  const having = (kind: string): string[] => d.changed.filter((c) => (c.changes as string[]).includes(kind)).map((c) => c.stigId);
  expect(having('check-content')).toEqual(expected.check);
  expect(having('title')).toEqual(expected.title);
  expect(having('severity')).toEqual(expected.severity);
  expect(having('fix-text')).toEqual(expected.fix);
  expect(having('ccis')).toEqual(expected.ccis);
  const anyChange = new Set([...expected.check, ...expected.title, ...expected.severity, ...expected.fix, ...expected.ccis]);
  expect(d.changed.map((c) => c.stigId)).toEqual(both.filter((id) => anyChange.has(id)));
  expect(d.unchangedCount).toBe(both.length - anyChange.size);
  expect(d.carriedOverCount).toBe(both.length - expected.check.length);
  for (const c of d.changed) expect(c.carriesOver).toBe(!expected.check.includes(c.stigId));
  expect([d.old.ruleCount, d.new.ruleCount]).toEqual([before.size, after.size]);
}

describe('diff of Docker STIG V2R1 → V2R2', () => {
  let dir: string;
  let db: Db;
  let service: DefaultBenchmarkDiffService;
  let stored: { v2r1: string; v2r2: string };

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const content = new ContentRepository(db);
    const [a, b] = await new LibraryImportService(content, db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) }).importDocuments(localContents([v2r1, v2r2]), LOCAL_CLI_PRINCIPAL);
    stored = { v2r1: a!.documentId, v2r2: b!.documentId };
    service = new DefaultBenchmarkDiffService({ library: new ContentLibraryService(content), uploads: GIVEN_BYTES_ONLY });
  });

  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the regex reading sees what the notes say: 100 and 101 rules, DKER-EE-999999 added', () => {
    expect([before.size, after.size]).toEqual([100, 101]);
    expect(expected.added).toEqual(['DKER-EE-999999']);
  });

  const diff = (a: string, b: string) => service.diff(fs.existsSync(a) ? localContent(a) : a, fs.existsSync(b) ? localContent(b) : b, LOCAL_CLI_PRINCIPAL);

  it('from the two files: exactly the added, removed and changed rules of the regex reading', async () => {
    const d = await diff(v2r1, v2r2);
    assertMatchesRegexReading(d);
    expect(d.old).toMatchObject({ ref: v2r1, benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', release: '1' });
    expect(d.new).toMatchObject({ ref: v2r2, release: '2', releaseDate: '2024-07-24' });
  });

  it('from the library, by document ids or by the XCCDF id (latest release), with the same result', async () => {
    const byIds = await diff(stored.v2r1, stored.v2r2);
    assertMatchesRegexReading(byIds);
    expect(byIds.old.ref).toBe(stored.v2r1);
    const byXccdfId = await diff(stored.v2r1, 'Docker_Enterprise_2-x_Linux-UNIX_STIG');
    expect(byXccdfId.new.ref).toBe(stored.v2r2);
    expect({ ...byXccdfId, old: undefined, new: undefined }).toEqual({ ...byIds, old: undefined, new: undefined });
    const backwards = await diff(stored.v2r2, stored.v2r1);
    expect(backwards.removed.map((r) => r.stigId)).toEqual(expected.added);
  });

  it('formats the diff for the CLI', async () => {
    const lines = formatBenchmarkDiff(await diff(v2r1, v2r2));
    expect(lines[2]).toBe(`${expected.added.length} added, ${expected.removed.length} removed, ${lines.filter((l) => l.startsWith('  ~ ')).length} changed, ${both.length - new Set([...expected.check, ...expected.title, ...expected.severity, ...expected.fix, ...expected.ccis]).size} unchanged; reviews carry over for ${both.length - expected.check.length} rules (same check content)`);
    expect(lines).toContain(`  + DKER-EE-999999  ${after.get('DKER-EE-999999')!.severity}  ${after.get('DKER-EE-999999')!.title}`);
  });

  it('V2R2 against an edited copy of itself: the edited rules are exactly the changed ones', async () => {
    // V2R1 → V2R2 changed no rule but added one, so changes are exercised on a copy with edits made as text.
    const xml = fs.readFileSync(v2r2, 'utf8');
    const rules = [...xml.matchAll(/<Rule\b[^>]*>[\s\S]*?<\/Rule>/g)].map((m) => m[0]);
    const edit = (text: string, i: number, change: (rule: string) => string): string => text.replace(rules[i]!, change(rules[i]!));
    let edited = xml;
    edited = edit(edited, 3, (r) => r.replace(/<check-content>/, '<check-content>Also verify the audit log. '));
    edited = edit(edited, 10, (r) => r.replace(/severity="[a-z]+"/, (m) => (m === 'severity="high"' ? 'severity="low"' : 'severity="high"')));
    edited = edit(edited, 20, (r) => r.replace(/<title>/, '<title>Revised: '));
    edited = edit(edited, 30, (r) => r.replace(/<check-content>([\s\S]*?)<\/check-content>/, (_m, c: string) => `<check-content>${c.replace(/ /g, '   ')}</check-content>`));
    const file = path.join(dir, 'edited-V2R2.xml');
    fs.writeFileSync(file, edited);
    const d = await diff(v2r2, file);
    const original = readRules(v2r2);
    const changed = readRules(file);
    const ids = [...original.keys()].filter((id) => JSON.stringify(original.get(id)) !== JSON.stringify(changed.get(id))).sort();
    expect(ids).toHaveLength(3); // whitespace-only edits of check content do not count
    expect(d.changed.map((c) => c.stigId)).toEqual(ids);
    const kinds = Object.fromEntries(d.changed.map((c) => [c.stigId, c.changes]));
    for (const id of ids) {
      const o = original.get(id)!;
      const n = changed.get(id)!;
      const want = [...(o.check !== n.check ? ['check-content'] : []), ...(o.title !== n.title ? ['title'] : []), ...(o.severity !== n.severity ? ['severity'] : [])];
      expect(kinds[id]).toEqual(want);
    }
    expect(d.changed.filter((c) => !c.carriesOver)).toHaveLength(1);
    expect([d.added, d.removed]).toEqual([[], []]);
  });

  it('refuses what is neither stored nor a benchmark file, naming it', async () => {
    const unknown = await rejection(diff('no-such-benchmark', v2r2));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toContain('no-such-benchmark');
    // A path is no longer read on the server: it is just an unknown reference.
    expect((await rejection(service.diff(v2r1, v2r2, LOCAL_CLI_PRINCIPAL))).code).toBe('NOT_FOUND');
    const catalog = shared(...REV5_CATALOG_JSON);
    const notBenchmark = await rejection(diff(catalog, v2r2));
    expect(notBenchmark.code).toBe('CONTENT_UNKNOWN_KIND');
    expect(notBenchmark.message).toContain(catalog);
  });
});

describe('diffBenchmarks', () => {
  const rule = (stigId: string, over: Partial<BenchmarkRule> = {}): BenchmarkRule => ({
    groupId: `V-${stigId}`, ruleId: `SV-${stigId}r1_rule`, stigId, title: `t ${stigId}`, severity: 'medium', discussion: '', checkContent: 'c',
    checkContentHash: 'h', fixText: 'f', ccis: ['CCI-1'], legacyIds: [], ...over,
  });
  const side = (ref: string): { ref: string; benchmarkId: string; title: string; version: string } => ({ ref, benchmarkId: 'B', title: 'B', version: '1' });

  it('lists each kind of change and whether reviews carry over', () => {
    const d = diffBenchmarks(
      { side: side('old'), rules: [rule('A'), rule('B'), rule('C'), rule('D'), rule('E')] },
      { side: side('new'), rules: [rule('B', { checkContentHash: 'h2' }), rule('C', { severity: 'high', title: 'new title' }), rule('D', { fixText: '  f ' }), rule('E', { ccis: ['CCI-2'] }), rule('F')] },
    );
    expect(d.added.map((r) => r.stigId)).toEqual(['F']);
    expect(d.removed.map((r) => r.stigId)).toEqual(['A']);
    expect(d.changed.map((c) => [c.stigId, c.changes, c.carriesOver])).toEqual([
      ['B', ['check-content'], false],
      ['C', ['title', 'severity'], true],
      ['E', ['ccis'], true],
    ]);
    expect([d.unchangedCount, d.carriedOverCount]).toEqual([1, 3]);
  });

  it('refuses a release in which two rules share a STIG id', () => {
    expect(() => diffBenchmarks({ side: side('old.xml'), rules: [rule('A'), rule('A', { ruleId: 'SV-2' })] }, { side: side('new'), rules: [] })).toThrow(/old\.xml: STIG id A is used by two rules/);
  });
});
