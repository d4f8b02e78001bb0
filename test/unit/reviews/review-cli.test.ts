/**
 * `plimsoll review …` over the real review service, users and audit in SQLite, behind the real service
 * gateway: the commands act as the local operator (an admin) unless --as names another user.
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
import type { AppServices, StoredBenchmark, StoredRule } from '../../../src/domain/services.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyReviewRepository } from '../../../src/repositories/review-repository.js';
import { TokenRepository } from '../../../src/repositories/token-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { DefaultReviewService } from '../../../src/reviews/review-service.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
let db: Db;
let reviews: DefaultReviewService;
let audit: ChainedAuditService;
let out: string[];
let err: string[];
let gateway: ServiceGateway;

const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
const runtime: CliRuntime = {
  open: async (opts) => {
    const caller = await gateway.localCaller(opts.as);
    return { gateway, caller, services: gateway.servicesFor(caller), config: {} as Config, close: async () => undefined };
  },
  serve: async () => undefined,
};
const run = (...args: string[]): Promise<number> => runCli(args, runtime, io);
const BENCHMARK = { documentId: 'doc', id: 'Docker_STIG', release: 'V2R2', version: '2' } as StoredBenchmark;

beforeEach(async () => {
  dir = tempDir('plimsoll-review-cli-');
  db = await openDatabase(path.join(dir, 'test.db'));
  const users = new UserRepository(db);
  const tokens = new TokenRepository(db);
  audit = new ChainedAuditService({ audit: new AuditRepository(db) });
  reviews = new DefaultReviewService({
    repo: new KyselyReviewRepository(db),
    library: { findBenchmark: async (ref) => (ref === 'Docker_STIG' ? BENCHMARK : undefined), getRule: async (_d, ref) => (ref === 'DKER-EE-001070' ? ({ ruleId: 'SV-1070r2_rule', stigId: ref, checkContentHash: 'h' } as StoredRule) : undefined) },
    nodes: { find: async () => undefined },
    separation: new SeparationOfDuties(users),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  const services = { reviews, users: new DefaultUserService({ users, tokens }), audit } as Partial<AppServices> as AppServices;
  gateway = new ServiceGateway({ services, audit, authenticator: new Authenticator({ users, tokens, audit }) });
  await users.insert({ id: 'u-alice', name: 'alice', role: 'assessor', kind: 'person', origin: 'admin', createdAt: '2026-01-01T00:00:00Z' });
  out = [];
  err = [];
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('plimsoll review', () => {
  it('creates with evidence, submits, refuses the submitter as accepter (exit 5), and lets another admin accept; every step audited', async () => {
    const evidence = path.join(dir, 'ucp-logging.txt');
    fs.writeFileSync(evidence, 'audit forwarding: on\n');
    const code = await run(
      'review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'pass', '--label', 'env=prod',
      '--statement', 'UCP forwards audit logs', '--evidence-url', 'https://wiki.example/ucp', '--evidence-file', evidence, '--expires', 'P90D',
    );
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const [stored] = await reviews.list();
    expect(out.pop()).toBe(`created review ${stored!.id}: DKER-EE-001070 pass for labels env=prod, status draft`);
    expect(stored!.evidence.map((e) => e.kind)).toEqual(['url', 'file']);

    expect(await run('review', 'submit', stored!.id)).toBe(0);
    expect(await run('review', 'accept', stored!.id)).toBe(5);
    expect(err.join('\n')).toContain('error[FORBIDDEN_SEPARATION_OF_DUTIES]');
    expect(await run('--as', 'alice', 'review', 'accept', stored!.id)).toBe(5);
    expect(err.join('\n')).toContain('error[FORBIDDEN]: reviews.accept needs the role admin; alice is assessor');

    // A review alice writes and submits, the local operator (an admin) accepts.
    expect(await run('--as', 'alice', 'review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'not-applicable', '--all-nodes', '--statement', 'No UCP here', '--expires', '2027-06-30')).toBe(0);
    const mine = (await reviews.list()).find((r) => r.createdBy.name === 'alice')!;
    expect(await run('--as', 'alice', 'review', 'submit', mine.id)).toBe(0);
    expect(await run('review', 'accept', mine.id)).toBe(0);
    expect(out.pop()).toBe(`accepted review ${mine.id}: DKER-EE-001070 not-applicable for every node, status accepted`);

    const actions = (await audit.list({ first: 50 })).edges.map((e) => [e.node.action, e.node.outcome]);
    expect(actions).toEqual(expect.arrayContaining([['createManualReview', 'success'], ['submitManualReview', 'success'], ['acceptManualReview', 'success'], ['acceptManualReview', 'failure']]));

    expect(await run('review', 'list', '--status', 'accepted')).toBe(0);
    const table = out.pop()!.split('\n');
    expect(table[0]).toMatch(/^ID\s+RULE\s+RELEASE\s+SCOPE\s+RESULT\s+STATUS\s+EXPIRES\s+WORKFLOW$/);
    expect(table[1]).toContain('submitted by alice, accepted by local-operator');

    const file = stored!.evidence.find((e) => e.kind === 'file')!;
    expect(await run('review', 'show', stored!.id)).toBe(0);
    expect(out.pop()).toContain(`evidence (file): ucp-logging.txt, 21 bytes, sha256 ${file.kind === 'file' ? file.sha256 : ''}`);
    const copy = path.join(dir, 'copy.txt');
    expect(await run('review', 'evidence', stored!.id, file.kind === 'file' ? file.sha256 : '', '--out', copy)).toBe(0);
    expect(fs.readFileSync(copy, 'utf8')).toBe('audit forwarding: on\n');
  });

  it('edits a draft only; bad input exits 2', async () => {
    expect(await run('review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'pass', '--node', 'x', '--all-nodes', '--statement', 's', '--expires', 'P1D')).toBe(2);
    expect(err.join('\n')).toContain('Give one scope');
    expect(await run('review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'maybe', '--all-nodes')).toBe(2);
    expect(await run('review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'fail', '--all-nodes', '--statement', 's', '--expires', 'P1D', '--evidence-file', path.join(dir, 'missing.png'))).toBe(2);
    expect(err.join('\n')).toContain("missing.png: can't read the evidence file (ENOENT)");
    expect(await run('review', 'create', '--benchmark', 'Docker_STIG', '--rule', 'DKER-EE-001070', '--result', 'fail', '--all-nodes', '--statement', 's', '--expires', 'P1D')).toBe(0);
    const [r] = await reviews.list();
    expect(await run('review', 'edit', r!.id, '--result', 'pass', '--statement', 'looked again')).toBe(0);
    expect((await reviews.get(r!.id))).toMatchObject({ result: 'pass', statement: 'looked again' });
    expect(await run('review', 'submit', r!.id)).toBe(0);
    expect(await run('review', 'edit', r!.id, '--result', 'fail')).toBe(2);
    expect(err.join('\n')).toContain('error[CONFLICT]');
    expect(await run('review', 'withdraw', r!.id)).toBe(0);
    expect(await run('review', 'reject', r!.id, '--reason', 'no')).toBe(2);
  });
});
