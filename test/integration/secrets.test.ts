/**
 * Secrets management rules (PLM-SEC-001..005) on a real daemon: containers with secrets in their environment in
 * several formats and a harmless look-alike, an image built with `ENV API_TOKEN=…`, a build argument and a
 * password on a RUN line (classic builder, so the history records them), and a swarm with a service that takes a
 * swarm secret next to one with a password in its environment. The facts are collected by the real collectors
 * with the secret classifier, and then the built CLI assesses the node: no secret value may appear in the facts,
 * the database file, the OSCAL results or the CLI's output.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_CHECKS } from '../../src/checks/secrets/index.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { EngineInventoryCollector } from '../../src/collectors/engine-inventory.js';
import { SwarmCollector } from '../../src/collectors/swarm-collector.js';
import { EnvRedactor } from '../../src/domain/env-redaction.js';
import type { NodeFacts } from '../../src/domain/facts.js';
import type { CheckOutcome } from '../../src/domain/results.js';
import { secretClassifier } from '../../src/domain/secret-classifier.js';
import { createDockerClient } from '../../src/repositories/docker-client.js';
import { FAKE_JWT, FAKE_PEM } from '../fixtures/secrets/secret-fixtures.js';
import { DOCKER_STIG_V2R2, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { eventually } from '../harness/eventually.js';
import { freeTcpPort } from '../harness/tls.js';

const run = promisify(execFile);
const BIN = packageBin();
const LEAKY_IMAGE = 'plimsoll/leaky:test';

/** Every plaintext that must never be stored or shown (the PEM's body stands for the key). */
const SECRETS = {
  aws: 'AKIAZ7QX3JH5LMNOPQ2R',
  password: 'Tr0ub4dor-int-77',
  url: 'Vq7pR2zK9-int',
  jwt: FAKE_JWT,
  pem: FAKE_PEM.split('\n')[1]!,
  imageToken: 'tok-int-7734-image',
  buildArg: 'ghp_R8mX2kV7qL4tZ9wN3bH6yJ1cF5dS0aP8eU2o',
  runPassword: 'Sup3rS3cret-run',
  service: 'svc-Hunter2-Pw',
  swarmSecret: 'swarm-secret-value-never-read',
};

let daemon: PrivateDaemon;
let dir: string;
let inSwarm = false;

async function collect(now?: Date): Promise<NodeFacts> {
  const collector = new EngineCollector(() => createDockerClient({ endpoint: daemon.endpoint }), {
    parts: [new EngineInventoryCollector(), new SwarmCollector()],
    redactor: new EnvRedactor('integration-salt-0123456789', [secretClassifier]),
    secretMaxAgeDays: 90,
    ...(now !== undefined ? { now: () => now } : {}),
  });
  return collector.collect({ id: 'secrets-node', name: 'secrets node', endpoint: daemon.endpoint, labels: {}, createdAt: new Date().toISOString() });
}

function outcomes(facts: NodeFacts): Record<string, CheckOutcome> {
  return Object.fromEntries(SECRET_CHECKS.map((c) => [c.stigId, c.evaluate(facts)]));
}

function expectNoSecret(text: string | Buffer, where: string): void {
  for (const [kind, value] of Object.entries(SECRETS)) expect(text.includes(value), `${where} holds the ${kind} secret`).toBe(false);
}

/** The failing observations' (target, variable) pairs. */
function failing(outcome: CheckOutcome): string[] {
  return outcome.observations.filter((o) => o.verdict === 'fail').map((o) => `${o.target.name}:${(o.value as { variable: string }).variable}`);
}

beforeAll(async () => {
  dir = tempDir();
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await daemon.docker(['create', '--name', 'leaky-cloud', '-e', `AWS_ACCESS_KEY_ID=${SECRETS.aws}`, '-e', `MYSQL_ROOT_PASSWORD=${SECRETS.password}`, BUSYBOX_IMAGE, 'sleep', '3600']);
  await daemon.docker(['create', '--name', 'leaky-tokens', '-e', `SESSION=${SECRETS.jwt}`, '-e', `DATABASE_URL=postgres://app:${SECRETS.url}@db:5432/app`, '-e', `TLS=${FAKE_PEM}`, BUSYBOX_IMAGE, 'sleep', '3600']);
  await daemon.docker(['create', '--name', 'look-alike', '-e', 'DB_PASSWORD_FILE=/run/secrets/db_password', '-e', 'TOKEN_URL=https://auth.internal/token', '-e', 'AUTH=false', BUSYBOX_IMAGE, 'sleep', '3600']);
  // The classic builder records ENV, build arguments and RUN lines in the history (and in ContainerConfig.Cmd).
  process.env.DOCKER_BUILDKIT = '0';
  const dockerfile = [`FROM ${BUSYBOX_IMAGE}`, `ENV API_TOKEN=${SECRETS.imageToken}`, 'ARG NPM_TOKEN', `RUN echo --password=${SECRETS.runPassword} > /dev/null`, ''].join('\n');
  await daemon.docker(['build', '-q', '--build-arg', `NPM_TOKEN=${SECRETS.buildArg}`, '-t', LEAKY_IMAGE, '-'], Buffer.from(dockerfile));
  await daemon.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freeTcpPort()}`]);
  inSwarm = true;
  await daemon.docker(['secret', 'create', 'db_password', '-'], Buffer.from(SECRETS.swarmSecret));
  await daemon.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', 'uses-secret', '--secret', 'db_password', '-e', 'DB_PASSWORD_FILE=/run/secrets/db_password', BUSYBOX_IMAGE, 'sleep', '3600']);
  await daemon.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', 'env-password', '-e', `DB_PASSWORD=${SECRETS.service}`, BUSYBOX_IMAGE, 'sleep', '3600']);
  // Each service's task becomes a container here (the only node): wait for both, so the inventory is stable.
  for (const service of ['uses-secret', 'env-password']) {
    await eventually(async () => (await daemon.docker(['ps', '-aq', '--filter', `name=${service}.1.`])).trim() !== '', `a task container of ${service}`, 60_000);
  }
}, 240_000);

afterAll(async () => {
  delete process.env.DOCKER_BUILDKIT;
  if (inSwarm) await daemon?.docker(['swarm', 'leave', '--force']).catch(() => undefined);
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('secrets rules on a real daemon', () => {
  it('finds the secrets in containers, the image and its history, and the service spec; passes the look-alikes and the swarm secret', async () => {
    const facts = await collect();
    expectNoSecret(JSON.stringify(facts), 'the collected facts');
    const o = outcomes(facts);
    expect(o['PLM-SEC-001']!.status).toBe('fail');
    // The env-password service's task runs as a container (env-password.1.<task id>) with the service's environment.
    const containers = failing(o['PLM-SEC-001']!).map((f) => f.replace(/^env-password\.1\.\w+:/, 'env-password task:')).sort();
    expect(containers).toEqual(['env-password task:DB_PASSWORD', 'leaky-cloud:AWS_ACCESS_KEY_ID', 'leaky-cloud:MYSQL_ROOT_PASSWORD', 'leaky-tokens:DATABASE_URL', 'leaky-tokens:SESSION', 'leaky-tokens:TLS']);
    expect(o['PLM-SEC-001']!.observations.find((x) => x.target.name === 'look-alike')).toMatchObject({ verdict: 'pass' });
    const classes = o['PLM-SEC-001']!.observations.filter((x) => x.verdict === 'fail').flatMap((x) => (x.value as { classes: string[] }).classes);
    expect(new Set(classes)).toEqual(new Set(['aws-access-key-id', 'secret-named-literal', 'jwt', 'url-credentials', 'private-key']));

    expect(o['PLM-SEC-002']!.status).toBe('fail');
    expect(failing(o['PLM-SEC-002']!)).toEqual([`${LEAKY_IMAGE}:API_TOKEN`]);
    expect(o['PLM-SEC-003']!.status).toBe('fail');
    expect(failing(o['PLM-SEC-003']!).sort()).toEqual([`${LEAKY_IMAGE}:API_TOKEN`, `${LEAKY_IMAGE}:NPM_TOKEN`, `${LEAKY_IMAGE}:password`]);
    // The busybox image's own history holds no secret.
    expect(o['PLM-SEC-003']!.observations.find((x) => x.target.name === BUSYBOX_IMAGE)).toMatchObject({ verdict: 'pass' });

    expect(o['PLM-SEC-004']!.status).toBe('fail');
    expect(failing(o['PLM-SEC-004']!)).toEqual(['env-password:DB_PASSWORD']);
    expect(o['PLM-SEC-004']!.observations.find((x) => x.target.name === 'uses-secret')).toMatchObject({ verdict: 'pass', message: expect.stringContaining('db_password') });
    expect(o['PLM-SEC-005']!).toMatchObject({ status: 'pass' });
    expect(o['PLM-SEC-005']!.observations[0]).toMatchObject({ target: { kind: 'secret', name: 'db_password' }, value: { ageDays: 0, maxAgeDays: 90 } });
  });

  it('fails a swarm secret collected past the maximum age', async () => {
    const later = await collect(new Date(Date.now() + 91 * 86_400_000));
    expect(outcomes(later)['PLM-SEC-005']!).toMatchObject({ status: 'fail', observations: [{ target: { name: 'db_password' }, verdict: 'fail', value: { ageDays: 91 } }] });
  });

  it('never stores or shows a secret value through the built CLI: database, OSCAL results and output', async () => {
    if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
    const out = path.join(dir, 'out');
    const db = path.join(dir, 'secrets.db');
    const env = { ...process.env, PLIMSOLL_DB: db, PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot, PLIMSOLL_LOG_LEVEL: 'debug', PLIMSOLL_SECRET_MAX_AGE_DAYS: '30' };
    const { stdout, stderr } = await run(process.execPath, [BIN, 'assess', '--node', daemon.endpoint, '--benchmark', shared(...DOCKER_STIG_V2R2), '--out', out, '--json'], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
    expect(JSON.parse(stdout).status).toBe('completed');
    expectNoSecret(stdout + stderr, 'the CLI output');
    const files = fs.readdirSync(out).map((f) => path.join(out, f));
    expect(files.some((f) => f.endsWith('assessment-results.json'))).toBe(true);
    for (const f of files) expectNoSecret(fs.readFileSync(f), f);
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    expectNoSecret(bytes, 'the database file');
    // What is stored instead: names with salted hashes, and the classifier's findings with the policy in force.
    expect(bytes.includes('MYSQL_ROOT_PASSWORD=redacted:hmac-sha256:')).toBe(true);
    expect(bytes.includes('ENV API_TOKEN=redacted:hmac-sha256:')).toBe(true);
    expect(bytes.includes('"classes":["aws-access-key-id"]')).toBe(true);
    expect(bytes.includes('"maxAgeDays":30')).toBe(true);
  });
});
