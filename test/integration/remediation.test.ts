/**
 * Remediation under approval on real parts: the wired application (src/main.ts) over a SQLite file with the
 * Docker STIG V2R2 from the content mirror, a private Docker daemon, GraphQL executed in-process as real users,
 * and the built CLI.
 *
 * - `web` runs without a memory limit: an approved plan sets one through the Engine API and the re-assessment
 *   shows DKER-EE-002010 passing on it; before approval the plan is refused, and its proposer can't approve it.
 * - `api` runs without a PIDs limit: it is recreated after its plan was approved, so the plan is refused as stale.
 * - the daemon then joins a swarm without auto-lock: a plan turns auto-lock on; the unlock key is sealed with
 *   PLIMSOLL_SECRET_KEY, shown once to the approver only, and found nowhere in the database, the audit log or
 *   the CLI's output.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R2, localContents, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ADMIN, ASSESSOR, type InProcessGraphql, type Persona, startInProcessGraphql } from '../harness/graphql.js';
import { freeTcpPort } from '../harness/tls.js';

const OTHER_ADMIN: Persona = { name: 'dave-admin', role: 'admin' };
const BENCHMARK = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';
const NODE_NAME = 'remediation-node';
const BIN = packageBin();
const SECRET_KEY = randomBytes(32).toString('base64');
const execFileAsync = promisify(execFile);

type Json = Record<string, any>;

let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
let inSwarm = false;
const savedKey = process.env.PLIMSOLL_SECRET_KEY;

const gql: InProcessGraphql['gql'] = (persona, query, variables) => graphql.gql(persona, query, variables);

const PROPOSE = 'mutation($i: ProposeRemediationPlanInput!) { proposeRemediationPlan(input: $i) { id planId status engineItemCount manualItemCount settings { memory memoryBytes } } }';
const APPROVE = 'mutation($id: ID!) { approveRemediationPlan(input: { id: $id }) { id status approvedBy } }';
const APPLY = `mutation($id: ID!, $dry: Boolean) {
  applyRemediationPlan(input: { id: $id, dryRun: $dry }) {
    dryRun staleReasons blockers resolvedCount
    plan { status reassessmentId outcomeMessage pendingUnlockKeys staleReasons }
    calls(first: 10) { totalCount edges { node { method apiPath request outcome httpStatus errorCode note } } }
  }
}`;

async function assessmentId(): Promise<{ id: string; gid: string }> {
  const r = await gql(ASSESSOR, `mutation { runAssessment(input: { nodes: ["${NODE_NAME}"], benchmark: "${BENCHMARK}" }) { id assessmentId status } }`);
  expect(r.errors).toBeUndefined();
  expect(r.data?.runAssessment.status).toBe('COMPLETED');
  return { id: r.data?.runAssessment.assessmentId, gid: r.data?.runAssessment.id };
}

async function targetStatus(assessment: string, rule: string, key: string): Promise<string | undefined> {
  const r = await gql(ASSESSOR, 'query($a: String!, $r: String!, $k: String!) { assessment(assessmentId: $a) { targetResults(filter: { rule: $r, key: $k }, first: 5) { edges { node { status } } } } }', { a: assessment, r: rule, k: key });
  return r.data?.assessment.targetResults.edges[0]?.node.status;
}

async function inspect(name: string, format: string): Promise<string> {
  return (await daemon.docker(['inspect', '--format', format, name])).trim();
}

async function plimsoll(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PLIMSOLL_DB: path.join(dir, 'plimsoll.db'), PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot, PLIMSOLL_SECRET_KEY: SECRET_KEY },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Every byte Plimsoll keeps: the database file and its write-ahead log. */
function storedBytes(): string {
  return ['plimsoll.db', 'plimsoll.db-wal']
    .map((f) => path.join(dir, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  dir = tempDir('plimsoll-remediation-it-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  process.env.PLIMSOLL_SECRET_KEY = SECRET_KEY;
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  // Running, no memory limit (DKER-EE-002010 fails), everything else of the resource rules in place.
  await daemon.docker(['run', '--detach', '--name', 'web', '--network', 'none', '--pids-limit', '64', '--cpu-shares', '512', BUSYBOX_IMAGE]);
  // Running, no PIDs limit (DKER-EE-002780 fails).
  await daemon.docker(['run', '--detach', '--name', 'api', '--network', 'none', '--memory', '64m', '--cpu-shares', '512', BUSYBOX_IMAGE]);
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app);
  await graphql.principal(OTHER_ADMIN);
  await app.gateway.servicesFor(await graphql.principal(ASSESSOR)).nodes.register({ name: NODE_NAME, endpoint: daemon.endpoint });
  await app.gateway.servicesFor(await graphql.principal(ASSESSOR)).imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]));
}, 300_000);

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  if (inSwarm) await daemon?.docker(['swarm', 'leave', '--force']).catch(() => undefined);
  await daemon?.stop();
  if (savedKey === undefined) delete process.env.PLIMSOLL_SECRET_KEY;
  else process.env.PLIMSOLL_SECRET_KEY = savedKey;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('remediation plans on a real daemon', () => {
  let web: { id: string; gid: string };

  it('refuses an unapproved plan and approval by its proposer; an approved plan sets the memory limit and the re-assessment shows the rule passing', async () => {
    const assessment = await assessmentId();
    expect(await targetStatus(assessment.id, 'DKER-EE-002010', 'name/web')).toBe('FAIL');

    const proposed = await gql(ADMIN, PROPOSE, { i: { assessment: assessment.gid, rules: ['DKER-EE-002010'], memory: '256m', note: 'SSP table 4: 256 MiB' } });
    expect(proposed.errors).toBeUndefined();
    const plan = proposed.data?.proposeRemediationPlan;
    expect(plan).toMatchObject({ status: 'PROPOSED', engineItemCount: 1, manualItemCount: 0, settings: { memory: '256m', memoryBytes: 268435456 } });
    web = { id: plan.planId, gid: plan.id };

    const unapproved = await gql(OTHER_ADMIN, APPLY, { id: web.gid, dry: false });
    expect(unapproved.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(unapproved.errors?.[0]?.message).toContain('not approved');
    const self = await gql(ADMIN, APPROVE, { id: web.gid });
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_SEPARATION_OF_DUTIES');
    expect((await gql(ASSESSOR, APPROVE, { id: web.gid })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await inspect('web', '{{.HostConfig.Memory}}')).toBe('0');

    expect((await gql(OTHER_ADMIN, APPROVE, { id: web.gid })).data?.approveRemediationPlan).toMatchObject({ status: 'APPROVED', approvedBy: OTHER_ADMIN.name });

    // Dry run by default: nothing changes.
    const dry = await gql(ADMIN, APPLY, { id: web.gid });
    expect(dry.errors).toBeUndefined();
    expect(dry.data?.applyRemediationPlan).toMatchObject({ dryRun: true, staleReasons: [], plan: { status: 'APPROVED' } });
    expect(dry.data?.applyRemediationPlan.calls.edges.map((e: Json) => e.node.outcome)).toEqual(['PENDING']);
    expect(await inspect('web', '{{.HostConfig.Memory}}')).toBe('0');

    const applied = await gql(ADMIN, APPLY, { id: web.gid, dry: false });
    expect(applied.errors).toBeUndefined();
    const report = applied.data?.applyRemediationPlan;
    expect(report).toMatchObject({ dryRun: false, resolvedCount: 1, plan: { status: 'APPLIED' } });
    const webId = await inspect('web', '{{.Id}}');
    expect(report.calls.edges.map((e: Json) => e.node)).toEqual([
      { method: 'GET', apiPath: `/containers/${webId}/json`, request: {}, outcome: 'OK', httpStatus: 200, errorCode: null, note: expect.stringContaining('inspected') },
      { method: 'POST', apiPath: `/containers/${webId}/update`, request: { Memory: 268435456, MemorySwap: 268435456 }, outcome: 'OK', httpStatus: 200, errorCode: null, note: 'updated' },
    ]);
    expect(await inspect('web', '{{.HostConfig.Memory}}')).toBe('268435456');
    expect(await inspect('web', '{{.State.Running}}')).toBe('true');
    expect(await targetStatus(report.plan.reassessmentId, 'DKER-EE-002010', 'name/web')).toBe('PASS');

    const items = await gql(ASSESSOR, 'query($p: String!) { remediationPlan(planId: $p) { items(first: 5) { edges { node { stigId mode command verification verifiedStatus target { key } } } } } }', { p: web.id });
    expect(items.data?.remediationPlan.items.edges[0].node).toEqual({ stigId: 'DKER-EE-002010', mode: 'ENGINE', command: 'docker update --memory 256m --memory-swap 256m web', verification: 'RESOLVED', verifiedStatus: 'PASS', target: { key: 'name/web' } });

    const audit = await gql(ADMIN, '{ auditLog(first: 30) { edges { node { actor action outcome target detail } } } }');
    const actions = audit.data?.auditLog.edges.map((e: Json) => `${e.node.actor} ${e.node.action} ${e.node.outcome}`);
    expect(actions).toEqual(expect.arrayContaining([`${ADMIN.name} proposeRemediationPlan SUCCESS`, `${ADMIN.name} approveRemediationPlan FAILURE`, `${OTHER_ADMIN.name} approveRemediationPlan SUCCESS`, `${ADMIN.name} applyRemediationPlan SUCCESS`, `${OTHER_ADMIN.name} applyRemediationPlan FAILURE`]));
  });

  it('refuses as stale a plan whose container was recreated since, applying nothing', async () => {
    const assessment = await assessmentId();
    const proposed = await gql(ASSESSOR, PROPOSE, { i: { assessment: assessment.gid, rules: ['DKER-EE-002780'], pidsLimit: 100 } });
    const gid = proposed.data?.proposeRemediationPlan.id;
    await gql(ADMIN, APPROVE, { id: gid });
    const oldId = await inspect('api', '{{.Id}}');
    await daemon.docker(['rm', '--force', 'api']);
    await daemon.docker(['run', '--detach', '--name', 'api', '--network', 'none', '--memory', '64m', '--cpu-shares', '512', BUSYBOX_IMAGE]);

    const refused = await gql(OTHER_ADMIN, APPLY, { id: gid, dry: false });
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain(`container api (name/api) on ${NODE_NAME}`);
    expect(refused.errors?.[0]?.message).toContain(`no container has the id ${oldId.slice(0, 12)}`);
    const after = await gql(ASSESSOR, 'query($id: ID!) { node(id: $id) { ... on RemediationPlan { status staleReasons calls(first: 5) { edges { node { method apiPath outcome httpStatus } } } } } }', { id: gid });
    // The read that found the container gone is the record; no change was sent.
    expect(after.data?.node).toMatchObject({ status: 'STALE', staleReasons: [expect.stringContaining('is gone')] });
    expect(after.data?.node.calls.edges.map((e: Json) => e.node)).toEqual([{ method: 'GET', apiPath: `/containers/${oldId}/json`, outcome: 'NOT_FOUND', httpStatus: 404 }]);
    expect(await inspect('api', '{{.HostConfig.PidsLimit}}')).not.toBe('100');

    // The CLI: asked to apply a stale plan, it made no change: exit 7 (not applied), not 2 (bad input).
    const cli = await plimsoll(['--as', OTHER_ADMIN.name, 'remediate', assessment.id, '--apply', proposed.data?.proposeRemediationPlan.planId, '--no-dry-run']);
    expect(cli.code, cli.stderr).toBe(7);
    expect(cli.stderr).toContain('stale');
  });

  it('drives the same workflow from the CLI as named users: proposer refused as approver (exit 5), dry run, apply', async () => {
    for (const [name, role] of [['erin', 'assessor'], ['frank', 'admin'], ['gina', 'admin']]) expect((await plimsoll(['user', 'create', name!, '--role', role!])).code).toBe(0);
    const assessment = await assessmentId();
    const proposed = await plimsoll(['--as', 'erin', 'remediate', assessment.id, '--rule', 'DKER-EE-002780', '--pids-limit', '100', '--json']);
    expect(proposed.code, proposed.stderr).toBe(0);
    const { plan, items } = JSON.parse(proposed.stdout) as { plan: Json; items: Json[] };
    expect(items.map((i) => [i.target.name, i.action.mode, i.action.command])).toEqual([['api', 'engine', 'docker update --pids-limit 100 api']]);

    expect((await plimsoll(['--as', 'erin', 'remediate', assessment.id, '--approve', plan.id])).code).toBe(5);
    const approved = await plimsoll(['--as', 'frank', 'remediate', assessment.id, '--approve', plan.id]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('approved by frank');

    const dry = await plimsoll(['--as', 'gina', 'remediate', assessment.id, '--apply', plan.id]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('nothing was changed');
    expect(await inspect('api', '{{.HostConfig.PidsLimit}}')).not.toBe('100');

    const applied = await plimsoll(['--as', 'gina', 'remediate', assessment.id, '--apply', plan.id, '--no-dry-run']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/remediation plan \S+ {2}applied/);
    expect(applied.stdout).toMatch(/POST \/containers\/\w+\/update .*ok\s+200/);
    expect(await inspect('api', '{{.HostConfig.PidsLimit}}')).toBe('100');
  });

  it('turns swarm auto-lock on; the unlock key is shown once to the approver and stored only sealed', async () => {
    await daemon.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freeTcpPort()}`]);
    inSwarm = true;
    const assessment = await assessmentId();
    expect(await targetStatus(assessment.id, 'DKER-EE-002400', 'swarm')).toBe('FAIL');
    const proposed = await gql(ASSESSOR, PROPOSE, { i: { assessment: assessment.gid, rules: ['DKER-EE-002400'] } });
    const plan = proposed.data?.proposeRemediationPlan;
    expect(plan).toMatchObject({ engineItemCount: 1 });
    await gql(ADMIN, APPROVE, { id: plan.id });

    const applied = await gql(OTHER_ADMIN, APPLY, { id: plan.id, dry: false });
    expect(applied.errors).toBeUndefined();
    const report = applied.data?.applyRemediationPlan;
    expect(report.plan).toMatchObject({ status: 'APPLIED', pendingUnlockKeys: 1 });
    expect(report.calls.edges.map((e: Json) => [e.node.method, e.node.apiPath.replace(/\d+$/, 'N'), e.node.request, e.node.outcome])).toEqual([
      ['GET', '/swarm', {}, 'OK'],
      ['POST', '/swarm/update?version=N', { 'Spec.EncryptionConfig.AutoLockManagers': true }, 'OK'],
      ['GET', '/swarm/unlockkey', {}, 'OK'],
    ]);
    expect(await inspect('web', '{{.State.Running}}')).toBe('true');
    expect((await daemon.docker(['info', '--format', '{{json .Swarm.Cluster.Spec.EncryptionConfig}}'])).trim()).toBe('{"AutoLockManagers":true}');
    expect(await targetStatus(report.plan.reassessmentId, 'DKER-EE-002400', 'swarm')).toBe('PASS');
    const key = (await daemon.docker(['swarm', 'unlock-key', '--quiet'])).trim();
    expect(key).toMatch(/^SWMKEY-1-/);

    // Never stored in plain text, never in the audit log or in the call records.
    expect(storedBytes()).not.toContain(key);
    expect(storedBytes()).not.toContain(key.slice('SWMKEY-1-'.length));
    const audit = await gql(ADMIN, '{ auditLog(first: 50) { edges { node { action target detail } } } }');
    expect(JSON.stringify(audit.data)).not.toContain(key);

    const REVEAL = 'mutation($id: ID!) { revealSwarmUnlockKeys(input: { id: $id }) { unlockKeys { swarmId unlockKey dockerNodeName } } }';
    expect((await gql(OTHER_ADMIN, REVEAL, { id: plan.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(ASSESSOR, REVEAL, { id: plan.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const revealed = await gql(ADMIN, REVEAL, { id: plan.id });
    expect(revealed.errors).toBeUndefined();
    expect(revealed.data?.revealSwarmUnlockKeys.unlockKeys).toEqual([{ swarmId: expect.any(String), unlockKey: key, dockerNodeName: NODE_NAME }]);
    const again = await gql(ADMIN, REVEAL, { id: plan.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(storedBytes()).not.toContain(key);
    const after = await gql(ADMIN, '{ auditLog(first: 5) { edges { node { action outcome } } } }');
    expect(after.data?.auditLog.edges.map((e: Json) => e.node.action)).toContain('revealSwarmUnlockKeys');
    expect(JSON.stringify(after.data)).not.toContain(key);
  });
});
