import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import type { ExemptionRequest } from '../../../src/domain/exemption.js';
import { withExemptionAudit } from '../../../src/exemptions/audited-exemption-service.js';
import { DefaultExemptionService, ruleCatalogOf } from '../../../src/exemptions/exemption-service.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyExemptionRepository } from '../../../src/repositories/exemption-repository.js';
import type { AuditRecord } from '../../../src/domain/auth.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const ASSESSOR: Principal = { tokenId: 't-assessor', name: 'alice', role: 'assessor' };
const ADMIN: Principal = { tokenId: 't-admin', name: 'carol', role: 'admin' };
const OTHER_ADMIN: Principal = { tokenId: 't-admin-2', name: 'dave', role: 'admin' };
const AUDITOR: Principal = { tokenId: 't-auditor', name: 'bob', role: 'auditor' };

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
  service = new DefaultExemptionService({ repo, rules: { hasRule: async (id) => KNOWN_RULES.has(id) }, now: () => clock });
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
      requestedByTokenId: 't-assessor',
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
  it('refuses the requester as approver, by name or by token, and lets another admin approve', async () => {
    const e = await service.request(REQUEST, ADMIN);
    const self = await rejection(service.approve(e.id, ADMIN));
    expect(self.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    const sameTokenRenamed = await rejection(service.approve(e.id, { ...ADMIN, name: 'carol-renamed' }));
    expect(sameTokenRenamed.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    const sameNameOtherToken = await rejection(service.approve(e.id, { ...ADMIN, tokenId: 't-admin-laptop' }));
    expect(sameNameOtherToken.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect((await service.get(e.id))?.status).toBe('requested');

    clock = new Date('2025-01-02T00:00:00Z');
    const approved = await service.approve(e.id, OTHER_ADMIN);
    expect(approved.lifecycle).toEqual({ status: 'approved', approvedBy: 'dave', approvedAt: '2025-01-02T00:00:00.000Z' });
    expect(approved.status).toBe('approved');
  });

  it('lets only admins approve or reject', async () => {
    const e = await service.request(REQUEST, ADMIN);
    expect((await rejection(service.approve(e.id, ASSESSOR))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(service.reject(e.id, 'no', ASSESSOR))).code).toBe(ErrorCode.FORBIDDEN);
    expect((await rejection(service.approve(e.id, AUDITOR))).code).toBe(ErrorCode.FORBIDDEN);
  });

  it('keeps the CLI principal from approving its own request, and audits the refusal', async () => {
    const records: Omit<AuditRecord, 'id' | 'at'>[] = [];
    const cli = withExemptionAudit(service, { record: async (r) => void records.push(r), list: async () => ({ items: [], total: 0 }) });
    const e = await cli.request(REQUEST, LOCAL_CLI_PRINCIPAL);
    const refused = await rejection(cli.approve(e.id, LOCAL_CLI_PRINCIPAL));
    expect(refused.code).toBe(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES);
    expect(records.map((r) => [r.action, r.outcome])).toEqual([
      ['requestExemption', 'success'],
      ['approveExemption', 'failure'],
    ]);
    expect(records[1]!.detail).toContain('FORBIDDEN_SEPARATION_OF_DUTIES');
    expect(records[0]!.target).toContain('ucp-*');
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
    const stranger: Principal = { tokenId: 't-eve', name: 'eve', role: 'assessor' };
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
