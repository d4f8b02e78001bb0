import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { principalOf, type Principal, type User } from '../../../src/domain/auth.js';
import { SeparationOfDuties } from '../../../src/auth/separation-of-duties.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import type { ReviewDraftInput } from '../../../src/domain/review.js';
import type { LibraryService, NodeService, StoredBenchmark, StoredRule } from '../../../src/domain/services.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyReviewRepository } from '../../../src/repositories/review-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { DefaultReviewService } from '../../../src/reviews/review-service.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const person = (id: string, name: string, role: User['role'], createdBy?: string): User => ({ id, name, role, kind: 'person', origin: 'admin', createdAt: '2024-12-01T00:00:00Z', ...(createdBy ? { createdBy } : {}) });
const USERS: User[] = [
  person('u-carol', 'carol', 'admin'),
  person('u-dave', 'dave', 'admin'),
  person('u-alice', 'alice', 'assessor', 'u-carol'),
  person('u-eve', 'eve', 'assessor', 'u-dave'),
  person('u-carol-2', 'carol-2', 'admin', 'u-carol'),
];
const as = (name: string): Principal => ({ ...principalOf(USERS.find((u) => u.name === name)!, 'token'), tokenId: `t-${name}` });
const ALICE = as('alice');
const CAROL = as('carol');
const DAVE = as('dave');
const EVE = as('eve');

const BENCHMARK = { documentId: 'doc-v2r2', id: 'Docker_STIG', release: '2', version: '2' } as StoredBenchmark;
const RULES: Record<string, Partial<StoredRule>> = {
  'DKER-EE-001070': { ruleId: 'SV-1070r2_rule', stigId: 'DKER-EE-001070', checkContentHash: 'h1070' },
  'DKER-EE-002000': { ruleId: 'SV-2000r2_rule', stigId: 'DKER-EE-002000', checkContentHash: 'h2000' },
};
/** Strict fakes: anything else the service asks of the library or nodes fails the test. */
const library: Pick<LibraryService, 'findBenchmark' | 'getRule'> = {
  findBenchmark: async (ref) => (ref === 'Docker_STIG' || ref === 'doc-v2r2' ? BENCHMARK : undefined),
  getRule: async (doc, ref) => (doc === 'doc-v2r2' ? (RULES[ref] as StoredRule | undefined) : undefined),
};
const nodes: Pick<NodeService, 'find'> = { find: async (ref) => (ref === 'n1' || ref === 'node-one' ? ({ id: 'n1', name: 'node-one' } as never) : undefined) };

const DRAFT: ReviewDraftInput = {
  benchmark: 'Docker_STIG',
  stigId: 'DKER-EE-001070',
  scope: { kind: 'labels', labels: { env: 'prod' } },
  result: 'pass',
  statement: 'UCP audit logging is forwarded to the SIEM; verified in the UCP admin settings.',
  evidence: [{ kind: 'text', text: 'Screenshot reviewed in the CCB meeting.' }, { kind: 'url', url: 'https://wiki.example/ucp-logging' }],
  expiry: { kind: 'period', period: 'P90D' },
};

let dir: string;
let db: Db;
let clock: Date;
let service: DefaultReviewService;

beforeEach(async () => {
  dir = tempDir('plimsoll-reviews-');
  db = await openDatabase(path.join(dir, 'test.db'));
  clock = new Date('2026-01-01T00:00:00Z');
  const users = new UserRepository(db);
  for (const u of USERS) await users.insert(u);
  let n = 0;
  service = new DefaultReviewService({ repo: new KyselyReviewRepository(db), library, nodes, separation: new SeparationOfDuties(users), now: () => clock, newId: () => `r${++n}` });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('workflow', () => {
  it('draft → submitted → accepted, keyed by benchmark, STIG id and check-content hash, expiring a period after acceptance', async () => {
    const d = await service.create(DRAFT, ALICE);
    expect(d).toMatchObject({ status: 'draft', rule: { benchmarkId: 'Docker_STIG', stigId: 'DKER-EE-001070', checkContentHash: 'h1070', ruleId: 'SV-1070r2_rule', release: 'V2R2' }, createdBy: { userId: 'u-alice', name: 'alice' } });
    clock = new Date('2026-01-02T00:00:00Z');
    expect((await service.submit(d.id, ALICE)).lifecycle).toEqual({ state: 'submitted', submittedBy: { userId: 'u-alice', name: 'alice' }, submittedAt: '2026-01-02T00:00:00.000Z' });
    clock = new Date('2026-01-03T00:00:00Z');
    const a = await service.accept(d.id, DAVE);
    expect(a.lifecycle).toMatchObject({ state: 'accepted', acceptedBy: { name: 'dave' }, acceptedAt: '2026-01-03T00:00:00.000Z', expiresAt: '2026-04-03T00:00:00.000Z' });
    expect((await service.get(d.id))?.status).toBe('accepted');
    clock = new Date('2026-04-03T00:00:00Z');
    expect((await service.get(d.id))?.status).toBe('expired');
    expect((await service.list({ status: 'expired' })).map((r) => r.id)).toEqual([d.id]);
    expect(await service.list({ status: 'accepted' })).toEqual([]);
    expect((await service.listAccepted()).map((r) => r.id)).toEqual([d.id]);
  });

  it('one user can never submit and accept: the submitter, a user the submitter created, and the author are refused', async () => {
    const d = await service.create(DRAFT, CAROL);
    await service.submit(d.id, CAROL);
    expect((await rejection(service.accept(d.id, CAROL))).code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect((await rejection(service.accept(d.id, as('carol-2')))).code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    // The author is checked too: carol wrote it, dave submitted it; carol still can't accept.
    const other = await service.create(DRAFT, CAROL);
    await service.submit(other.id, DAVE);
    expect((await rejection(service.accept(other.id, CAROL))).message).toMatch(/carol may not decide review/);
    expect((await rejection(service.accept(other.id, DAVE))).code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect((await service.get(other.id))?.status).toBe('submitted');
    expect((await service.accept(d.id, DAVE)).status).toBe('accepted');
  });

  it('edits only in draft; a submitted review is withdrawn to draft by its submitter or an admin', async () => {
    const d = await service.create(DRAFT, ALICE);
    await service.submit(d.id, ALICE);
    expect((await rejection(service.update(d.id, { result: 'fail' }, ALICE))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.withdraw(d.id, EVE))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await service.withdraw(d.id, ALICE)).status).toBe('draft');
    const edited = await service.update(d.id, { result: 'fail', scope: { kind: 'node', node: 'node-one' } }, ALICE);
    expect(edited).toMatchObject({ result: 'fail', scope: { kind: 'node', nodeId: 'n1', nodeName: 'node-one' }, statement: DRAFT.statement });
    expect((await rejection(service.update(d.id, { statement: 'mine now' }, EVE))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await service.get(d.id))?.result).toBe('fail');
  });

  it('rejects with a reason, and then nothing moves it', async () => {
    const d = await service.create(DRAFT, ALICE);
    await service.submit(d.id, ALICE);
    expect((await rejection(service.reject(d.id, '  ', DAVE))).code).toBe(ErrorCode.BAD_INPUT);
    const r = await service.reject(d.id, 'The link does not show the setting.', DAVE);
    expect(r.lifecycle).toMatchObject({ state: 'rejected', rejectedBy: { name: 'dave' }, reason: 'The link does not show the setting.' });
    expect((await rejection(service.accept(d.id, CAROL))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.withdraw(d.id, ALICE))).code).toBe(ErrorCode.CONFLICT);
  });

  it('a review whose date has passed can be neither submitted nor accepted', async () => {
    const d = await service.create({ ...DRAFT, expiry: { kind: 'date', date: '2026-01-10' } }, ALICE);
    await service.submit(d.id, ALICE);
    clock = new Date('2026-01-11T00:00:00Z');
    expect((await rejection(service.accept(d.id, DAVE))).message).toMatch(/expired .* can't be accepted/);
    await service.withdraw(d.id, ALICE);
    expect((await rejection(service.submit(d.id, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
  });
});

describe('validation', () => {
  it('refuses unknown rules, benchmarks and nodes, empty label selectors, bad URLs, expiries and results', async () => {
    expect((await rejection(service.create({ ...DRAFT, stigId: 'DKER-EE-999999' }, ALICE))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await rejection(service.create({ ...DRAFT, benchmark: 'Nope' }, ALICE))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await rejection(service.create({ ...DRAFT, scope: { kind: 'node', node: 'n9' } }, ALICE))).code).toBe(ErrorCode.NOT_FOUND);
    expect((await rejection(service.create({ ...DRAFT, scope: { kind: 'labels', labels: {} } }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, evidence: [{ kind: 'url', url: 'file:///etc/shadow' }] }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, evidence: [{ kind: 'url', url: 'https://u:p@x.example/' }] }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, expiry: { kind: 'period', period: 'P0D' } }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, expiry: { kind: 'date', date: '2025-12-31' } }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, result: 'open' as never }, ALICE))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.create({ ...DRAFT, evidence: [{ kind: 'upload', uploadId: 'u1' }] }, ALICE))).message).toMatch(/upload id is not available/);
    expect(await service.list()).toEqual([]);
  });
});

describe('evidence files', () => {
  it('keeps a file by its sha256 once, however many reviews attach it, and serves it back', async () => {
    const content = new TextEncoder().encode('docker info output\n');
    const sha256 = createHash('sha256').update(content).digest('hex');
    const a = await service.create({ ...DRAFT, evidence: [{ kind: 'file', name: '/home/alice/evidence/info.txt', content }] }, ALICE);
    const b = await service.create({ ...DRAFT, evidence: [{ kind: 'file', name: 'copy.txt', content }] }, ALICE);
    expect(a.evidence).toEqual([{ kind: 'file', name: 'info.txt', sha256, size: content.byteLength, mediaType: 'text/plain' }]);
    expect(await db.selectFrom('review_evidence_file').select('sha256').execute()).toEqual([{ sha256 }]);
    const file = await service.evidenceFile(b.id, sha256);
    expect(file).toMatchObject({ name: 'copy.txt', mediaType: 'text/plain', sha256 });
    expect(new TextDecoder().decode(file.content)).toBe('docker info output\n');
    expect((await rejection(service.evidenceFile(b.id, '0'.repeat(64)))).code).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('importReviews (checklist import)', () => {
  it('creates every review submitted by the importing user, in one transaction', async () => {
    const out = await service.importReviews(
      [
        { ...DRAFT, scope: { kind: 'node', node: 'n1' } },
        { ...DRAFT, stigId: 'DKER-EE-002000', result: 'not-applicable', scope: { kind: 'node', node: 'n1' } },
      ],
      ALICE,
    );
    expect(out.map((r) => [r.rule.stigId, r.status, r.origin, r.lifecycle.state === 'submitted' ? r.lifecycle.submittedBy.name : ''])).toEqual([
      ['DKER-EE-001070', 'submitted', 'import', 'alice'],
      ['DKER-EE-002000', 'submitted', 'import', 'alice'],
    ]);
    expect((await rejection(service.accept(out[0]!.id, as('alice')))).code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
  });

  it('stores nothing when one entry is bad, naming its position', async () => {
    const e = await rejection(service.importReviews([DRAFT, { ...DRAFT, stigId: 'DKER-EE-404' }], ALICE));
    expect(e.code).toBe(ErrorCode.NOT_FOUND);
    expect(e.message).toMatch(/^review #2 \(DKER-EE-404\)/);
    expect(await service.list()).toEqual([]);
  });
});

describe('importReviews transaction', () => {
  it('rolls back every review when the database refuses one (nothing half-imported)', async () => {
    const users = new UserRepository(db);
    const clash = new DefaultReviewService({ repo: new KyselyReviewRepository(db), library, nodes, separation: new SeparationOfDuties(users), now: () => clock, newId: () => 'same-id' });
    await expect(clash.importReviews([DRAFT, DRAFT], ALICE)).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await db.selectFrom('manual_review').select('id').execute()).toEqual([]);
  });
});

describe('carry-over to a new release', () => {
  it('sorts the reviews of the benchmark into carried (same hash), stale (changed check text) and removed', async () => {
    const kept = await service.create(DRAFT, ALICE);
    const changed = await service.create({ ...DRAFT, stigId: 'DKER-EE-002000' }, ALICE);
    const rejected = await service.create({ ...DRAFT, stigId: 'DKER-EE-002000' }, ALICE);
    await service.submit(rejected.id, ALICE);
    await service.reject(rejected.id, 'no', DAVE);
    const V2R3 = { ...BENCHMARK, documentId: 'doc-v2r3', release: '3' } as StoredBenchmark;
    const next = new DefaultReviewService({
      repo: new KyselyReviewRepository(db),
      library: {
        findBenchmark: async (ref) => (ref === 'Docker_STIG' ? V2R3 : undefined),
        getRule: async (doc, ref) => (doc !== 'doc-v2r3' ? undefined : ref === 'DKER-EE-001070' ? (RULES[ref] as StoredRule) : ref === 'DKER-EE-002000' ? ({ ...RULES[ref], ruleId: 'SV-2000r3_rule', checkContentHash: 'h2000-new' } as StoredRule) : undefined),
      },
      nodes,
      separation: new SeparationOfDuties(new UserRepository(db)),
      now: () => clock,
    });
    const c = await next.carryOver('Docker_STIG');
    expect(c.release).toBe('V2R3');
    expect(c.carried.map((r) => r.id)).toEqual([kept.id]);
    expect(c.stale.map((s) => [s.review.id, s.checkContentHash, s.ruleId])).toEqual([[changed.id, 'h2000-new', 'SV-2000r3_rule']]);
    expect(c.removed).toEqual([]);
    expect((await rejection(next.carryOver('Nope'))).code).toBe(ErrorCode.NOT_FOUND);
  });
});
