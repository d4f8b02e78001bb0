/**
 * Registered registries and trust servers in a whole assessment, on real parts started here: Debian's
 * docker-registry with TLS and htpasswd (and a plain one over the same storage for pushes), notary-server with
 * TLS from a test CA, a private dockerd, and images pushed with Docker Content Trust. The trust server and the
 * signers are registered through the services, the registry (with its password, from an environment variable)
 * by the built CLI in a second process: the open application's next run reads them, the credentials opened
 * from their sealed form. The password never reaches the database files, the results or the audit log.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { RuleResult } from '../../src/domain/results.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R2, localContents, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { type ContentTrustCli, contentTrustCli } from '../harness/content-trust.js';
import { BUSYBOX_IMAGE, type PrivateDaemon } from '../harness/docker-daemon.js';
import type { ServerProcess } from '../harness/registry-servers.js';
import { startSupplyChainParts } from '../harness/supply-chain-parts.js';
import type { TlsMaterial } from '../harness/tls.js';

const USER = 'plimsoll';
const PASSWORD = 'registered-registry-pa55word';
const BIN = packageBin();
const execFileAsync = promisify(execFile);

let dir: string;
let db: string;
let tls: TlsMaterial;
let daemon: PrivateDaemon;
let plain: ServerProcess;
let basicRegistry: ServerProcess;
let notary: ServerProcess;
let cli: ContentTrustCli;
let app: OpenedApp;
let benchmark: string;
let H: string;
const stops: (() => Promise<void>)[] = [];
const saved = { ...process.env };

/** The built CLI on the test's database, as a second process. */
async function plimsoll(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, PLIMSOLL_DB: db, PLIMSOLL_PROJECT_ROOT: repoRoot, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = tempDir('plimsoll-registered-');
  db = path.join(dir, 'plimsoll.db');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  process.env.PLIMSOLL_SECRET_KEY = randomBytes(32).toString('base64');
  const parts = await startSupplyChainParts(dir, { user: USER, password: PASSWORD }, stops);
  ({ tls, daemon, plain, notary, basicRegistry } = parts);

  H = plain.host;
  cli = contentTrustCli(daemon, notary.url, dir);
  const alice = await cli.generateKey('alice');
  await cli.variant(BUSYBOX_IMAGE, 'signed', `${H}/signed:1.0`);
  await cli.variant(BUSYBOX_IMAGE, 'unsigned', `${H}/unsigned:1.0`);
  await cli.addSigner('alice', alice, `${H}/signed`);
  await cli.docker(['push', `${H}/signed:1.0`], { trust: true });
  await cli.docker(['push', `${H}/unsigned:1.0`]);
  await cli.docker(['create', '--name', 'c-signed', `${H}/signed:1.0`]);
  await cli.docker(['create', '--name', 'c-unsigned', `${H}/unsigned:1.0`]);

  app = await openApp({ db });
  const imported = await app.services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]));
  benchmark = imported.find((d) => d.kind === 'benchmark')!.documentId;
  await app.services.nodes.register({ name: 'prod-node', endpoint: daemon.endpoint, environment: 'prod' });
}, 300_000);

afterAll(async () => {
  await app?.close();
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.env = { ...saved };
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function rule(results: readonly RuleResult[], stigId: string): RuleResult {
  const r = results.find((x) => x.stigId === stigId);
  if (r === undefined) throw new Error(`no result for ${stigId}`);
  return r;
}

const verdicts = (r: RuleResult): Record<string, string> => Object.fromEntries(r.observations.map((o) => [o.target.name, `${o.verdict}:${(o.value as { result?: string }).result ?? ''}`]));

describe('a registered registry and trust server in an assessment', () => {
  it('stay manual before anything is registered for the environment', async () => {
    const run = await app.services.assessments.run({ nodes: ['prod-node'], benchmark });
    expect(rule(run.results, 'DKER-EE-003610').status).toBe('not-checked');
  }, 120_000);

  it('are read by the registry and trust collectors: CA-verified TLS, the stored password, the environment\'s signers', async () => {
    await app.services.supplyChain.registerTrustServer({ name: 'notary', url: notary.url, ca: { name: 'ca.pem', bytes: fs.readFileSync(tls.ca) } });
    await app.services.supplyChain.setSigners('prod', [{ role: 'targets/alice' }]);
    const added = await plimsoll(
      ['registry', 'add', 'prod-registry', basicRegistry.url, '--host', H, '--environment', 'prod', '--trust-server', 'notary', '--ca', tls.ca, '--username', USER, '--password-env', 'PROD_REGISTRY_PASSWORD'],
      { PROD_REGISTRY_PASSWORD: PASSWORD },
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain(PASSWORD);

    const run = await app.services.assessments.run({ nodes: ['prod-node'], benchmark });
    const tags = rule(run.results, 'DKER-EE-004260');
    expect(verdicts(tags)).toEqual({ [`${H}/signed:1.0`]: 'pass:signed', [`${H}/unsigned:1.0`]: 'fail:unsigned' });
    expect(tags.status).toBe('fail');
    const containers = verdicts(rule(run.results, 'DKER-EE-003610'));
    expect(containers['c-signed']).toBe('pass:signed');
    expect(containers['c-unsigned']).toBe('fail:unsigned');

    const document = JSON.stringify(await app.services.assessments.resultsDocument(run.id));
    expect(document).toContain('DKER-EE-004260');
    expect(document).not.toContain(PASSWORD);
  }, 180_000);

  it('use changed credentials at once: a wrong password gives error, never a verdict', async () => {
    await app.services.supplyChain.updateRegistry('prod-registry', { credentials: { username: USER, password: 'not-the-password' } });
    const run = await app.services.assessments.run({ nodes: ['prod-node'], benchmark });
    const tags = rule(run.results, 'DKER-EE-004260');
    expect(tags.status).toBe('error');
    expect(tags.message).not.toContain('not-the-password');
    await app.services.supplyChain.updateRegistry('prod-registry', { credentials: { username: USER, password: PASSWORD }, repositories: ['signed'] });
    const again = await app.services.assessments.run({ nodes: ['prod-node'], benchmark });
    expect(rule(again.results, 'DKER-EE-004260').status).toBe('pass');
  }, 240_000);

  it('leave no password in the database files or the audit log', async () => {
    const audit = JSON.stringify(await app.services.audit.list({ first: 100 }));
    expect(audit).toContain('registerRegistry');
    expect(audit).not.toContain(PASSWORD);
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('plimsoll.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f)).includes(Buffer.from(PASSWORD))).toBe(false);
  });
});
