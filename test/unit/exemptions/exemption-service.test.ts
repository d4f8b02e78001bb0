import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { principalOf, type Principal, type User } from '../../../src/domain/auth.js';
import { SeparationOfDuties } from '../../../src/auth/separation-of-duties.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import type { ExemptionRequest } from '../../../src/domain/exemption.js';
import { DefaultExemptionService, ruleCatalogOf } from '../../../src/exemptions/exemption-service.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyExemptionRepository } from '../../../src/repositories/exemption-repository.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

/** Stored users (separation of duties reads who created whom), acting through tokens. */
const person = (id: string, name: string, role: User['role'], createdBy?: string): User => ({ id, name, role, kind: 'person', origin: 'admin', createdAt: '2024-12-01T00:00:00Z', ...(createdBy ? { createdBy } : {}) });
const USERS: User[] = [
  person('u-carol', 'carol', 'admin'),
  person('u-dave', 'dave', 'admin'),
  person('u-alice', 'alice', 'assessor', 'u-carol'),
  person('u-bob', 'bob', 'auditor', 'u-carol'),
  person('u-eve', 'eve', 'assessor', 'u-dave'),
  // Carol's puppets: an admin she created, and one that admin created in turn.
  person('u-carol-2', 'carol-2', 'admin', 'u-carol'),
  person('u-carol-3', 'Carol-3', 'admin', 'u-carol-2'),
  // A different person whose name differs from carol's only in case can't exist: names are unique that way.
];
const as = (name: string, tokenId = `t-${name}`): Principal => ({ ...principalOf(USERS.find((u) => u.name === name)!, 'token'), tokenId });
const ASSESSOR = as('alice');
const ADMIN = as('carol');
const OTHER_ADMIN = as('dave');
const AUDITOR = as('bob');

const KNOWN_RULES = new Set(['DKER-EE-001960', 'DKER-EE-002000']);
const REQUEST: ExemptionRequest = {
  name: 'UCP agents',
  rule: 'DKER-EE-001960',
  container: 'ucp-*',
  labels: { 'com.docker.ucp.role': 'agent' },
  justification: 'The UCP agent needs host devices; vendor-supported configuration.',
  expiresAt: '2025-06-30',
};

let dir: string;
let db: Db;
let clock: Date;
let service: DefaultExemptionService;
let repo: KyselyExemptionRepository;

beforeEach(async () => {
  dir = tempDir('plimsoll-exemptions-');
  db = await openDatabase(path.join(dir, 'test.db'));
  clock = new Date('2025-01-01T00:00:00Z');
  repo = new KyselyExemptionRepository(db);
  const users = new UserRepository(db);
  for (const u of USERS) await users.insert(u);
  service = new DefaultExemptionService({ repo, rules: { hasRule: async (id) => KNOWN_RULES.has(id) }, separation: new SeparationOfDuties(users), now: () => clock });
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('requesting', () => {
  it('stores a request with its target and requester, and reads it back from SQLite', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    expect(e).toMatchObject({
      name: 'UCP agents',
      rule: 'DKER-EE-001960',
      target: { container: 'ucp-*', labels: { 'com.docker.ucp.role': 'agent' } },
      requestedBy: 'alice',
      requestedByUserId: 'u-alice',
      requestedByTokenId: 't-alice',
      requestedAt: '2025-01-01T00:00:00.000Z',
      expiresAt: '2025-06-30',
      lifecycle: { status: 'requested' },
      status: 'requested',
    });
    const row = await db.selectFrom('exemption').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'requested', container_pattern: 'ucp-*', node_ref: null, requested_by: 'alice', approved_by: null });
    expect(await service.get(e.id)).toEqual(e);
  });

  it('accepts * as the rule and a label-only or node-scoped target', async () => {
    const e = await service.request({ ...REQUEST, rule: '*', container: undefined, node: 'node-7' } as ExemptionRequest, ADMIN);
    expect(e.rule).toBe('*');
    expect(e.target).toEqual({ labels: { 'com.docker.ucp.role': 'agent' }, node: 'node-7' });
  });

  it('refuses auditors, unknown rules, targetless requests, bad or past expiries and empty justifications', async () => {
    expect((await rejection(service.request(REQUEST, AUDITOR))).code).toBe(ErrorCode.FORBIDDEN);
    const unknown = await rejection(service.request({ ...REQUEST, rule: 'DKER-EE-999998' }, ASSESSOR));
    expect(unknown.code).toBe(ErrorCode.NOT_FOUND);
    expect(unknown.message).toContain('DKER-EE-999998');
    expect((await rejection(service.request({ ...REQUEST, rule: 'not a rule' }, ASSESSOR))).code).toBe(ErrorCode.BAD_INPUT);
    const targetless = await rejection(service.request({ name: 'x', rule: '*', justification: 'j', expiresAt: '2025-06-30' }, ASSESSOR));
    expect(targetless.code).toBe(ErrorCode.BAD_INPUT);
    expect(targetless.message).toContain('target');
    for (const expiresAt of ['2025-02-30', '30/06/2025', '2025-06-30T12:00', '', '2024-12-31']) {
      const err = await rejection(service.request({ ...REQUEST, expiresAt }, ASSESSOR));
      expect(err.code, expiresAt).toBe(ErrorCode.BAD_INPUT);
    }
    expect((await rejection(service.request({ ...REQUEST, justification: '   ' }, ASSESSOR))).code).toBe(ErrorCode.BAD_INPUT);
    expect(await service.list()).toEqual([]);
  });

  it('finds rules in the imported benchmarks through the library', async () => {
    const calls: string[] = [];
    const catalog = ruleCatalogOf({
      listDocuments: async () => [{ documentId: 'doc-1' }, { documentId: 'doc-2' }] as never,
      getRule: async (doc, ref) => {
        calls.push(`${doc}:${ref}`);
        return doc === 'doc-2' && ref === 'DKER-EE-001960' ? ({ stigId: ref } as never) : undefined;
      },
    });
    expect(await catalog.hasRule('DKER-EE-001960')).toBe(true);
    expect(await catalog.hasRule('DKER-EE-000000')).toBe(false);
    expect(calls).toEqual(['doc-1:DKER-EE-001960', 'doc-2:DKER-EE-001960', 'doc-1:DKER-EE-000000', 'doc-2:DKER-EE-000000']);
  });
});

describe('separation of duties', () => {
  it('refuses the requester as approver, through any of their tokens or a case variant of their name, and lets another admin approve', async () => {
    const e = await service.request(REQUEST, ADMIN);
    const self = await rejection(service.approve(e.id, ADMIN));
    expect(self.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect(self.message).toBe(`carol may not decide exemption ${e.id} (UCP agents): carol is the same user as the requester carol; another person must`);
    // The defect: a second admin token of the same user used to pass. The user, not the token, decides.
    const secondToken = await rejection(service.approve(e.id, as('carol', 't-carol-laptop')));
    expect(secondToken.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    // Records made before users existed carry a name only: compared case-insensitively.
    await db.updateTable('exemption').set({ requested_by_user: null, requested_by: 'CAROL' }).where('id', '=', e.id).execute();
    expect((await rejection(service.approve(e.id, ADMIN))).code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect((await service.get(e.id))?.status).toBe('requested');

    clock = new Date('2025-01-02T00:00:00Z');
    const approved = await service.approve(e.id, OTHER_ADMIN);
    expect(approved.lifecycle).toEqual({ status: 'approved', approvedBy: 'dave', approvedAt: '2025-01-02T00:00:00.000Z' });
    expect(approved.status).toBe('approved');
  });

  it('refuses users the requester created, directly or through users they created', async () => {
    const e = await service.request(REQUEST, ADMIN);
    const direct = await rejection(service.approve(e.id, as('carol-2')));
    expect(direct.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect(direct.message).toContain('carol-2 was created by the requester carol (carol-2 ← created by carol)');
    const transitive = await rejection(service.approve(e.id, as('Carol-3')));
    expect(transitive.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect(transitive.message).toContain('Carol-3 ← created by carol-2 ← created by carol');
    // The other direction is the normal case: an admin approves a request of someone they created.
    const byAlice = await service.request({ ...REQUEST, name: 'second' }, ASSESSOR);
    expect((await service.approve(byAlice.id, ADMIN)).status).toBe('approved');
  });

  it('lets only admins approve or reject', async () => {
    const e = await service.request(REQUEST, ADMIN);
    expect((await rejection(service.approve(e.id, ASSESSOR))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(service.reject(e.id, 'no', ASSESSOR))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(service.approve(e.id, AUDITOR))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(service.reject(e.id, 'no', AUDITOR))).code).toBe(ErrorCode.FORBIDDEN);
  });
});

describe('lifecycle', () => {
  it('goes requested → approved → revoked, and refuses every other transition with CONFLICT', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    expect((await rejection(service.revoke(e.id, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    await service.approve(e.id, ADMIN);
    expect((await rejection(service.approve(e.id, OTHER_ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.reject(e.id, 'late', OTHER_ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await service.listApproved()).map((x) => x.id)).toEqual([e.id]);

    const revoked = await service.revoke(e.id, OTHER_ADMIN, 'container replaced');
    expect(revoked.lifecycle).toMatchObject({ status: 'revoked', approvedBy: 'carol', revokedBy: 'dave', reason: 'container replaced' });
    expect((await rejection(service.revoke(e.id, OTHER_ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect(await service.listApproved()).toEqual([]);
    expect((await service.get(e.id))?.lifecycle).toEqual(revoked.lifecycle);
  });

  it('goes requested → rejected with a reason; a rejected exemption is never approved', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    expect((await rejection(service.reject(e.id, '  ', ADMIN))).code).toBe(ErrorCode.BAD_INPUT);
    const rejected = await service.reject(e.id, 'Fix the container instead', ADMIN);
    expect(rejected).toMatchObject({ status: 'rejected', lifecycle: { status: 'rejected', rejectedBy: 'carol', reason: 'Fix the container instead' } });
    expect((await rejection(service.approve(e.id, OTHER_ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect(await service.listApproved()).toEqual([]);
  });

  it('lets the requester revoke, but not an assessor who did not request it', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    await service.approve(e.id, ADMIN);
    const stranger = as('eve');
    expect((await rejection(service.revoke(e.id, stranger))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await service.revoke(e.id, ASSESSOR)).status).toBe('revoked');
  });

  it('names an unknown id with NOT_FOUND', async () => {
    expect((await rejection(service.approve('nope', ADMIN))).code).toBe(ErrorCode.NOT_FOUND);
    expect(await service.get('nope')).toBeUndefined();
  });

  it('refuses a decision when someone else decided first (conditional transition)', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    expect(await repo.transition(e.id, 'requested', { status: 'rejected', rejectedBy: 'x', rejectedAt: 't', reason: 'r' })).toBe(true);
    expect(await repo.transition(e.id, 'requested', { status: 'approved', approvedBy: 'y', approvedAt: 't' })).toBe(false);
    expect((await repo.get(e.id))?.lifecycle.status).toBe('rejected');
  });
});

describe('expiry', () => {
  it('computes expired from the date: valid through the whole expiry day (UTC), then expired', async () => {
    const e = await service.request(REQUEST, ASSESSOR);
    await service.approve(e.id, ADMIN);
    clock = new Date('2025-06-30T23:59:59.999Z');
    expect((await service.get(e.id))?.status).toBe('approved');
    clock = new Date('2025-07-01T00:00:00.000Z');
    const expired = await service.get(e.id);
    expect(expired?.status).toBe('expired');
    expect(expired?.lifecycle.status).toBe('approved');
    expect((await service.list({ status: 'expired' })).map((x) => x.id)).toEqual([e.id]);
    expect(await service.list({ status: 'approved' })).toEqual([]);
    // Still returned to assessments, which report it as expired rather than forget it.
    expect((await service.listApproved()).map((x) => x.id)).toEqual([e.id]);
  });

  it('refuses to approve a request whose expiry has passed', async () => {
    const e = await service.request({ ...REQUEST, expiresAt: '2025-01-01T12:00:00Z' }, ASSESSOR);
    clock = new Date('2025-01-01T12:00:00Z');
    expect((await service.get(e.id))?.status).toBe('expired');
    const err = await rejection(service.approve(e.id, ADMIN));
    expect(err.code).toBe(ErrorCode.CONFLICT);
    expect(err.message).toContain('expired');
  });

  it('filters by status and refuses an unknown status', async () => {
    const a = await service.request(REQUEST, ASSESSOR);
    clock = new Date('2025-01-01T00:00:01Z');
    const b = await service.request({ ...REQUEST, name: 'second' }, ASSESSOR);
    await service.approve(b.id, ADMIN);
    expect((await service.list({ status: 'requested' })).map((x) => x.id)).toEqual([a.id]);
    expect((await service.list({ status: 'approved' })).map((x) => x.id)).toEqual([b.id]);
    expect((await service.list()).map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await rejection(service.list({ status: 'pending' as never }))).code).toBe(ErrorCode.BAD_INPUT);
  });
});

describe('kinds and whole-rule risk acceptance', () => {
  it('defaults to risk-accepted, keeps a given kind, and refuses unknown kinds', async () => {
    expect((await service.request(REQUEST, ASSESSOR)).kind).toBe('risk-accepted');
    expect((await service.request({ ...REQUEST, kind: 'false-positive' }, ASSESSOR)).kind).toBe('false-positive');
    expect((await rejection(service.request({ ...REQUEST, kind: 'maybe' as never }, ASSESSOR))).code).toBe(ErrorCode.BAD_INPUT);
  });

  it('takes a whole rule on a node without containers or labels, never for every rule, and stores it', async () => {
    const whole = await service.request({ name: 'db root', rule: 'DKER-EE-001960', allTargets: true, node: 'node-1', justification: 'Accepted until the rebuild.', expiresAt: '2025-06-30' }, ASSESSOR);
    expect(whole.target).toEqual({ allTargets: true, labels: {}, node: 'node-1' });
    expect((await service.get(whole.id))?.target).toEqual({ allTargets: true, labels: {}, node: 'node-1' });
    expect((await rejection(service.request({ ...REQUEST, allTargets: true }, ASSESSOR))).code).toBe(ErrorCode.BAD_INPUT);
    expect((await rejection(service.request({ name: 'all', rule: '*', allTargets: true, justification: 'j', expiresAt: '2025-06-30' }, ASSESSOR))).code).toBe(ErrorCode.BAD_INPUT);
  });
});
