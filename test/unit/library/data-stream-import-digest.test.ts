/**
 * The import of SSG's RHEL 8 source data stream (24 MB, Debian's ssg-nondebian) stores exactly what it stored
 * before the import was made faster: the same counts and the same bytes in the document row, the rule rows
 * and the full-text index, and the same parsed benchmark (groups, values and profiles, which are not all rows).
 * The digests were taken from the import before the speed work (sax-based tree, row-by-row chunks); a change
 * to what is stored must change them here on purpose.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../src/domain/content.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseDataStreamBenchmarks } from '../../../src/formats/scap/benchmarks.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const RHEL8 = '/usr/share/xml/scap/ssg/content/ssg-rhel8-ds.xml';
const RHEL8_SHA256 = '6d1c8c45a80127a7984657a94bea6a88e4ecabfb7ed6be0b07265cd4db86bb6b';

/** JSON with object keys sorted at every level, so the digest depends on values, not on construction order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

const digest = (rows: readonly unknown[]): string => {
  const h = createHash('sha256');
  for (const r of rows) h.update(canonical(r)).update('\n');
  return h.digest('hex');
};

describe('SSG RHEL 8 data stream import', () => {
  let dir: string;
  let db: Db;
  let summaries: ImportSummary[];

  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    const importer = new LibraryImportService(new ContentRepository(db), db, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112), now: () => new Date('2025-01-02T03:04:05Z') });
    summaries = await importer.importDocuments([{ name: 'ssg-rhel8-ds.xml', bytes: fs.readFileSync(RHEL8) }], LOCAL_CLI_PRINCIPAL);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is the Debian package file the digests were taken from', () => {
    expect(summaries[0]!.sha256).toBe(RHEL8_SHA256);
  });

  it('stores one benchmark with the counts it always had', () => {
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      kind: 'benchmark', id: 'xccdf_org.ssgproject.content_benchmark_RHEL-8', version: '0.1.65', alreadyPresent: false,
      counts: { rules: 1520, groups: 164, profiles: 19, values: 452 },
    });
  });

  it('stores the same document row, rule rows and full-text index as before', async () => {
    const docs = await db.selectFrom('document').selectAll().execute();
    expect(docs).toHaveLength(1);
    const { id: _id, ...doc } = docs[0]!;
    const stored = await db.selectFrom('benchmark_rule').selectAll().orderBy('sort_order').execute();
    // The columns the digest was taken over; `sp80053_json` (migration 0020: direct SP 800-53 references) came later.
    const rules = stored.map(({ document_id: _d, sp80053_json: _refs, ...r }) => r);
    expect(stored.filter((r) => r.sp80053_json !== null && r.sp80053_json !== '[]').length).toBe(749);
    const fts = (await sql<Record<string, unknown>>`SELECT stig_id, rule_id, title, body FROM rule_fts ORDER BY rowid`.execute(db)).rows;
    expect(rules).toHaveLength(1520);
    expect(fts).toHaveLength(1520);
    expect({ doc: digest([doc]), rules: digest(rules), fts: digest(fts) }).toEqual({
      doc: 'f22891eb156e6e90d801449a3077d66da2da8275f9c91537e5104629bf1ac51f',
      rules: 'f5701a56bbb1dd29aaf046b4df55029efcd02a6b669df6523821c52358b95210',
      fts: '24b90aedf5655d92b7a89d5a1315438dfb31d1350ee3826417a6594d1419972e',
    });
  });

  it('parses the same benchmark (groups, values, profiles and rules) as before', () => {
    const fp = fingerprint(RHEL8, fs.readFileSync(RHEL8));
    if (fp.kind !== 'data-stream') throw new Error(`fingerprinted as ${fp.kind}`);
    const docs = parseDataStreamBenchmarks(fp.root, fp.collection, RHEL8);
    expect(docs).toHaveLength(1);
    expect(digest([docs[0]!.doc])).toBe('b43c077df059d526b8ac6814e691553960111a02d4bf920ad5911717af905b2c');
  });

  it('refuses a copy broken deep inside the benchmark, naming the file, the line and the problem, and stores nothing of the batch', async () => {
    const text = fs.readFileSync(RHEL8, 'latin1');
    // A mis-named end tag about 10 MB in (inside the XCCDF Benchmark, long after the data streams).
    const at = text.indexOf('</xccdf-1.2:Rule>', 10_000_000);
    const broken = `${text.slice(0, at)}</xccdf-1.2:Rul>${text.slice(at + '</xccdf-1.2:Rule>'.length)}`;
    const line = text.slice(0, at).split('\n').length;
    const fresh = await openDatabase(path.join(dir, 'broken.db'));
    try {
      const importer = new LibraryImportService(new ContentRepository(fresh), fresh, { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
      const e = await rejection(importer.importDocuments([
        { name: 'good-ds.xml', bytes: fs.readFileSync(RHEL8) },
        { name: 'broken-ds.xml', bytes: Buffer.from(broken, 'latin1') },
      ], LOCAL_CLI_PRINCIPAL));
      expect(e.code).toBe('CONTENT_INVALID');
      expect(e.message).toMatch(new RegExp(`^broken-ds\\.xml:${line}:\\d+: Unexpected close tag </xccdf-1\\.2:Rul>, expected </xccdf-1\\.2:Rule>`));
      expect(e.problems[0]).toMatchObject({ file: 'broken-ds.xml', line });
      expect(await fresh.selectFrom('document').select('id').execute()).toHaveLength(0);
      expect(await fresh.selectFrom('benchmark_rule').select('rule_id').execute()).toHaveLength(0);
    } finally {
      await fresh.destroy();
    }
  }, 60_000);
});
