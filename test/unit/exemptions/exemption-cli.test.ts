/**
 * `plimsoll exemption …` over a real exemption service, users and audit in a SQLite database, behind the real
 * service gateway: the commands act as the local operator (an admin) unless --as names another user, so
 * they approve others' requests but never their own (exit 5).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { CliIo, CliRuntime } from '../../../src/cli/runtime.js';
import { ChainedAuditService } from '../../../src/auth/audit-service.js';
import { Authenticator } from '../../../src/auth/authenticator.js';
import { SeparationOfDuties } from '../../../src/auth/separation-of-duties.js';
import { ServiceGateway } from '../../../src/auth/service-gateway.js';
import { DefaultUserService } from '../../../src/auth/user-service.js';
import type { Config } from '../../../src/config/config.js';
import { principalOf, type Principal } from '../../../src/domain/auth.js';
import type { AppServices } from '../../../src/domain/services.js';
import { DefaultExemptionService } from '../../../src/exemptions/exemption-service.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyExemptionRepository } from '../../../src/repositories/exemption-repository.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { tempDir } from '../../harness/content.js';

let ASSESSOR: Principal;

let dir: string;
let db: Db;
let exemptions: DefaultExemptionService;
let out: string[];
let err: string[];

const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
let gateway: ServiceGateway;
// Only the exemption, user and audit services are wired: any other service used by these commands would be a bug.
const runtime: CliRuntime = {
  open: async (opts) => {
    const caller = await gateway.localCaller(opts.as);
    return { gateway, caller, services: gateway.servicesFor(caller), config: {} as Config, close: async () => undefined };
  },
  serve: async () => undefined,
};
const run = (...args: string[]): Promise<number> => runCli(args, runtime, io);

beforeEach(async () => {
  dir = tempDir('plimsoll-exemption-cli-');
  db = await openDatabase(path.join(dir, 'test.db'));
  const users = new UserRepository(db);
  const tokens = new TokenRepository(db);
  const audit = new ChainedAuditService({ audit: new AuditRepository(db) });
  exemptions = new DefaultExemptionService({ repo: new KyselyExemptionRepository(db), rules: { hasRule: async (id) => id === 'DKER-EE-001960' }, separation: new SeparationOfDuties(users), now: () => new Date('2026-01-01T00:00:00Z') });
  const services = { exemptions, users: new DefaultUserService({ users, tokens }), audit } as Partial<AppServices> as AppServices;
  gateway = new ServiceGateway({ services, audit, authenticator: new Authenticator({ users, tokens, audit }) });
  ASSESSOR = principalOf(await users.insert({ id: 'u-alice', name: 'alice', role: 'assessor', kind: 'person', origin: 'admin', createdAt: '2026-01-01T00:00:00Z' }), 'token');
  out = [];
  err = [];
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('plimsoll exemption', () => {
  it('requests with a glob, repeated labels and a node, and refuses to approve its own request', async () => {
    const code = await run(
      'exemption', 'request', 'UCP agents', '--rule', 'DKER-EE-001960', '--container', 'ucp-*', '--label', 'role=agent', '--label', 'tier=platform',
      '--node', 'node-1', '--justification', 'Platform requirement', '--expires', '2027-06-30',
    );
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const [stored] = await exemptions.list();
    expect(stored).toMatchObject({ name: 'UCP agents', requestedBy: 'local-operator', target: { container: 'ucp-*', labels: { role: 'agent', tier: 'platform' }, node: 'node-1' } });
    expect(out[0]).toBe(`requested exemption ${stored!.id} (UCP agents, risk-accepted): rule DKER-EE-001960, container=ucp-* label role=agent label tier=platform node=node-1, status requested, expires 2027-06-30`);

    expect(await run('exemption', 'approve', stored!.id)).toBe(5);
    expect(err.join('\n')).toContain('error[FORBIDDEN_SEPARATION_OF_DUTIES]');
    expect((await exemptions.get(stored!.id))?.status).toBe('requested');
  });

  it('approves, lists and revokes a request made by someone else', async () => {
    const e = await exemptions.request({ name: 'legacy', rule: '*', labels: { app: 'legacy' }, justification: 'j', expiresAt: '2027-01-01' }, ASSESSOR);
    expect(await run('exemption', 'approve', e.id)).toBe(0);
    expect(out.pop()).toContain('status approved');
    expect((await exemptions.get(e.id))?.lifecycle).toMatchObject({ status: 'approved', approvedBy: 'local-operator' });

    expect(await run('exemption', 'list', '--status', 'approved')).toBe(0);
    const table = out.pop()!.split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+RULE\s+TARGET\s+STATUS\s+EXPIRES\s+REQUESTED BY\s+DECISION$/);
    expect(table[1]).toContain('label app=legacy any node');
    expect(table[1]).toContain('approved by local-operator');

    expect(await run('exemption', 'list', '--json')).toBe(0);
    const listed = JSON.parse(out.pop()!) as Record<string, unknown>[];
    expect(listed[0]).toMatchObject({ id: e.id, status: 'approved' });
    expect(listed[0]).not.toHaveProperty('requestedByTokenId');

    expect(await run('exemption', 'revoke', e.id, '--reason', 'replaced')).toBe(0);
    expect((await exemptions.get(e.id))?.lifecycle).toMatchObject({ status: 'revoked', revokedBy: 'local-operator', reason: 'replaced' });
    expect(await run('exemption', 'list', '--status', 'approved')).toBe(0);
    expect(out.pop()).toBe('no exemptions');
  });

  it('rejects with a reason, and reports bad input with exit 2', async () => {
    const e = await exemptions.request({ name: 'x', rule: 'DKER-EE-001960', container: 'web-*', justification: 'j', expiresAt: '2027-01-01' }, ASSESSOR);
    expect(await run('exemption', 'reject', e.id)).toBe(2);
    expect(err.join('\n')).toContain("required option '--reason <text>'");
    expect(await run('exemption', 'reject', e.id, '--reason', 'fix it')).toBe(0);
    expect((await exemptions.get(e.id))?.status).toBe('rejected');

    expect(await run('exemption', 'request', 'y', '--rule', 'DKER-EE-001960', '--container', 'a', '--justification', 'j')).toBe(2);
    expect(await run('exemption', 'request', 'y', '--rule', 'DKER-EE-001960', '--justification', 'j', '--expires', '2027-01-01')).toBe(2);
    expect(err.join('\n')).toContain('error[BAD_INPUT]');
    expect(await run('exemption', 'list', '--status', 'pending')).toBe(2);
    expect(await run('exemption', 'approve', 'no-such-id')).toBe(2);
    expect(err.join('\n')).toContain('error[NOT_FOUND]');
  });

  it('acts as --as: the requester can revoke but not approve; an auditor may not request (exit 5)', async () => {
    const e = await exemptions.request({ name: 'legacy', rule: '*', labels: { app: 'legacy' }, justification: 'j', expiresAt: '2027-01-01' }, ASSESSOR);
    expect(await run('--as', 'ALICE', 'exemption', 'approve', e.id)).toBe(5);
    expect(err.join('\n')).toContain('error[FORBIDDEN]: exemptions.approve needs the role admin; alice is assessor');
    expect(await run('exemption', 'approve', e.id)).toBe(0);
    expect(await run('--as', 'alice', 'exemption', 'revoke', e.id)).toBe(0);
    expect((await exemptions.get(e.id))?.lifecycle).toMatchObject({ status: 'revoked', revokedBy: 'alice' });
  });
});
