/**
 * The built `plimsoll` executable against real parts: import, node registration and assessment of a
 * private Docker daemon over its unix socket and over TCP with mutual TLS, exit codes and error messages,
 * and the server's start-up without content. `npm test` builds dist/ before the suite runs.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { buildClientSchema, buildSchema, findBreakingChanges, getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { CONTAINER_STIG_IDS, createFixtureContainers } from '../fixtures/fixture-containers.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_XML, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { freeTcpPort, makeTlsMaterial } from '../harness/tls.js';

const BIN = packageBin();
const SECRET_KEY = randomBytes(32).toString('base64');
const run = promisify(execFile);

let dir: string;
let daemon: PrivateDaemon;
let tls: Awaited<ReturnType<typeof makeTlsMaterial>>;

async function plimsoll(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PLIMSOLL_DB: path.join(dir, 'cli.db'), PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot, PLIMSOLL_SECRET_KEY: SECRET_KEY, ...env },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

beforeAll(async () => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test does)`);
  dir = tempDir();
  tls = await makeTlsMaterial(path.join(dir, 'tls'));
  daemon = await startDockerDaemon({ tcpTls: { port: await freeTcpPort(), serverTls: tls.serverTls, clientTls: tls.clientTls } });
  await importBusyboxImage(daemon);
  await createFixtureContainers(daemon);
});

afterAll(async () => {
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('plimsoll CLI', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await plimsoll(['--help']);
    expect(code).toBe(0);
    for (const command of ['serve', 'content', 'import', 'assess', 'node', 'token']) expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('imports documents, one line each, and says when they are already present', async () => {
    const files = [shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2), shared(...REV5_CATALOG_XML)];
    const first = await plimsoll(['import', ...files]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/benchmark.*Docker_Enterprise_2-x_Linux-UNIX_STIG.*101 rules/);
    expect(lines[2]).toMatch(/catalog/);
    const again = await plimsoll(['import', '--json', shared(...DOCKER_STIG_V2R2)]);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ kind: 'benchmark', alreadyPresent: true, counts: { rules: 101 } });
  });

  it('refuses a malformed file with exit code 2, naming the file and line, storing nothing', async () => {
    const bad = path.join(repoRoot, 'test', 'fixtures', 'content', 'malformed.xml');
    const { code, stderr } = await plimsoll(['import', bad], { PLIMSOLL_DB: path.join(dir, 'bad.db') });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error\[CONTENT_INVALID\]/);
    expect(stderr).toMatch(/malformed\.xml:\d+:\d+/);
    const list = await plimsoll(['import', '--json', shared(...CCI_LIST)], { PLIMSOLL_DB: path.join(dir, 'bad.db') });
    expect(JSON.parse(list.stdout)[0].alreadyPresent).toBe(false);
  });

  it('assesses a node over its unix socket and writes schema-valid OSCAL assessment results', async () => {
    const out = path.join(dir, 'out-unix');
    const { code, stdout, stderr } = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('assessment-results.json');
    expect(stdout).toContain('assessment-plan.json');
    const validator = createOscalValidator(shared(...OSCAL_SCHEMA_112));
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'assessment-results.json'), 'utf8'));
    expect(validator.validate(doc, 'assessment-results.json')).toEqual([]);
    // The results' import-ap resolves: its back-matter rlink, relative to the results file, is the plan written beside them.
    const ar = doc['assessment-results'];
    const resource = ar['back-matter'].resources.find((r: { uuid: string }) => `#${r.uuid}` === ar['import-ap'].href);
    const planFile = path.join(out, resource.rlinks[0].href);
    expect(planFile).toBe(path.join(out, 'assessment-plan.json'));
    const planBytes = fs.readFileSync(planFile);
    expect(createHash('sha256').update(planBytes).digest('hex')).toBe(resource.rlinks[0].hashes[0].value);
    const plan = JSON.parse(planBytes.toString('utf8'));
    expect(plan['assessment-plan'].uuid).toBe(resource.uuid);
    expect(validator.validate(plan, 'assessment-plan.json')).toEqual([]);
  });

  it('never stores a container or image environment value: the database holds names and salted hashes only', async () => {
    const base = (await daemon.docker(['create', BUSYBOX_IMAGE])).trim();
    await daemon.docker(['commit', '--change', 'ENV IMAGE_TOKEN=image-token-value-42', base, 'plimsoll/env:test']);
    const secret = (await daemon.docker(['create', '--name', 'env-secret', '-e', 'DB_PASSWORD=hunter2-cli-secret', 'plimsoll/env:test'])).trim();
    try {
      const { code, stderr } = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG', '--json']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      // Every byte of the database and its write-ahead log: no value, wherever it might have been written.
      const bytes = Buffer.concat(['cli.db', 'cli.db-wal'].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
      expect(bytes.includes('hunter2-cli-secret')).toBe(false);
      expect(bytes.includes('image-token-value-42')).toBe(false);
      expect(bytes.includes('DB_PASSWORD=redacted:hmac-sha256:')).toBe(true);
      expect(bytes.includes('IMAGE_TOKEN=redacted:hmac-sha256:')).toBe(true);
    } finally {
      await daemon.docker(['rm', '-f', secret, base]);
      await daemon.docker(['rmi', 'plimsoll/env:test']);
    }
  });

  it('assesses a registered TCP+TLS node by name', async () => {
    const added = await plimsoll(['node', 'add', 'tls-node', daemon.tcpEndpoint!, '--tls-ca', tls.ca, '--tls-cert', tls.clientCert, '--tls-key', tls.clientKey]);
    expect(added.stderr).toBe('');
    const out = path.join(dir, 'out-tls');
    const { code, stdout } = await plimsoll(['assess', '--node', 'tls-node', '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG', '--out', out, '--json']);
    expect(code).toBe(0);
    const assessment = JSON.parse(stdout);
    expect(assessment.status).toBe('completed');
    const failed = (assessment.results as { stigId: string; status: string }[]).filter((r) => r.status === 'fail').map((r) => r.stigId);
    expect(failed).toEqual(expect.arrayContaining([...CONTAINER_STIG_IDS]));
    expect(assessment.summary.counts.fail).toBe(failed.length);
  });

  it('needs PLIMSOLL_SECRET_KEY to register a TLS node, and never prints the key', async () => {
    const refused = await plimsoll(['node', 'add', 'tls-nokey', daemon.tcpEndpoint!, '--tls-ca', tls.ca, '--tls-cert', tls.clientCert, '--tls-key', tls.clientKey], { PLIMSOLL_SECRET_KEY: '' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error\[CONFIG_INVALID\]: .*PLIMSOLL_SECRET_KEY/);
    const listed = await plimsoll(['node', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toContainEqual(expect.objectContaining({ name: 'tls-node', tls: true }));
    const key = fs.readFileSync(tls.clientKey, 'utf8');
    expect(listed.stdout).not.toContain(key.split('\n')[1]);
    expect(listed.stdout).not.toContain('v1:');
    // `node show` too shows TLS as yes/no only: no PEM, no sealed key.
    const shown = await plimsoll(['node', 'show', 'tls-node', '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).node).toMatchObject({ name: 'tls-node', tls: true });
    expect(shown.stdout).not.toContain(key.split('\n')[1]);
    expect(shown.stdout).not.toContain('BEGIN CERTIFICATE');
    expect(shown.stdout).not.toContain('v1:');
    // The server refuses to start without the key while TLS nodes exist, naming them, in one clear error.
    const serve = await plimsoll(['serve', '--host', '127.0.0.1', '--port', '0'], { PLIMSOLL_SECRET_KEY: '', PLIMSOLL_LOG_LEVEL: 'silent' });
    expect(serve.code).toBe(2);
    expect(serve.stderr.trim()).toMatch(/^error\[CONFIG_INVALID\]: 1 registered node\(s\) use mutual TLS \(tls-node\): the server needs PLIMSOLL_SECRET_KEY/);
    const badKey = await plimsoll(['node', 'list'], { PLIMSOLL_SECRET_KEY: 'too-short' });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain('PLIMSOLL_SECRET_KEY must be 32 random bytes');
    expect(badKey.stderr).not.toContain('too-short');
  });

  it('never echoes the content of a file it is given, in any error (the /etc/shadow case)', async () => {
    const secretFile = path.join(dir, 'secret.txt');
    fs.writeFileSync(secretFile, 'CANARY-41d9:$6$rounds=5000$salt$hash:19000:0:99999:7:::\n');
    const canaries = ['CANARY-41d9'];
    if (fs.existsSync('/etc/shadow')) {
      try {
        canaries.push(fs.readFileSync('/etc/shadow', 'utf8').split('\n')[0]!.slice(0, 24));
      } catch {
        // Not readable by this user: the CLI cannot read it either, and says so without content.
      }
    }
    const runs = [
      ['import', secretFile],
      ['import', '/etc/shadow'],
      ['assess', '--node', daemon.endpoint, '--benchmark', secretFile],
      ['diff-benchmark', secretFile, 'Docker_Enterprise_2-x_Linux-UNIX_STIG'],
      ['resolve', secretFile, '--out', path.join(dir, 'never.json')],
      ['node', 'add', 'canary', daemon.tcpEndpoint!, '--tls-ca', secretFile, '--tls-cert', secretFile, '--tls-key', secretFile],
      ['node', 'add', 'shadow', daemon.tcpEndpoint!, '--tls-ca', '/etc/shadow', '--tls-cert', '/etc/shadow', '--tls-key', '/etc/shadow'],
    ];
    for (const args of runs) {
      const r = await plimsoll(args);
      expect(r.code, args.join(' ')).toBe(2);
      for (const c of canaries) expect(r.stdout + r.stderr, args.join(' ')).not.toContain(c);
    }
    expect(fs.existsSync(path.join(dir, 'never.json'))).toBe(false);
  });

  it('registers a node from a docker CLI context (endpoint and TLS material) and assesses it', async () => {
    const config = path.join(dir, 'docker-config');
    await run('docker', ['--config', config, 'context', 'create', 'tls-ctx', '--docker', `host=${daemon.tcpEndpoint!},ca=${tls.ca},cert=${tls.clientCert},key=${tls.clientKey}`]);
    const env = { DOCKER_CONFIG: config, PLIMSOLL_DB: path.join(dir, 'contexts.db') };
    const added = await plimsoll(['node', 'add', 'ctx-node', '--context', 'tls-ctx'], env);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/registered node ctx-node .* with mutual TLS/);
    const { code, stdout } = await plimsoll(['assess', '--node', 'ctx-node', '--benchmark', shared(...DOCKER_STIG_V2R2), '--json'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).status).toBe('completed');
    const missing = await plimsoll(['node', 'add', 'nope', '--context', 'no-such-ctx'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error\[NOT_FOUND\]: Docker context "no-such-ctx" not found/);
  });

  it('exits 3 with a clear message when the node cannot be reached', async () => {
    const missing = `unix://${path.join(dir, 'absent.sock')}`;
    const { code, stderr } = await plimsoll(['assess', '--node', missing, '--benchmark', 'Docker_Enterprise_2-x_Linux-UNIX_STIG']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^error\[NODE_UNREACHABLE\].*absent\.sock/);
  });

  it('exits 2 when the benchmark is unknown', async () => {
    const { code, stderr } = await plimsoll(['assess', '--node', daemon.endpoint, '--benchmark', 'Nope_STIG']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error\[NOT_FOUND\].*Nope_STIG/);
  });

  it('names the missing content and how to provide it when offline without a mirror', async () => {
    const empty = path.join(dir, 'empty-mirror');
    fs.mkdirSync(empty);
    const env = { PLIMSOLL_CONTENT_MIRROR: empty, PLIMSOLL_OFFLINE: '1', PLIMSOLL_CONTENT_CACHE: path.join(dir, 'empty-cache'), PLIMSOLL_DB: path.join(dir, 'serve.db'), PLIMSOLL_PORT: '0' };
    const { code, stderr } = await plimsoll(['serve'], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error\[CONTENT_MISSING\]/);
    expect(stderr).toContain('U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml');
    expect(stderr).toContain('PLIMSOLL_CONTENT_MIRROR');
  });

  it('serve on a port already in use: one line on stderr and exit code 7 (5 and 6 are refusals and a broken audit chain), no stack', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await plimsoll(['serve', '--host', '127.0.0.1', '--port', String(port)], { PLIMSOLL_DB: path.join(dir, 'busy.db'), DOCKER_HOST: `unix://${path.join(dir, 'none.sock')}`, PLIMSOLL_LOG_LEVEL: 'silent' });
      expect(r.code).toBe(8);
      expect(r.stderr.trim().split('\n')).toEqual([`error[LISTEN_FAILED]: cannot listen on 127.0.0.1:${port}: the address is already in use (another Plimsoll, or another program); choose another port with --port or PLIMSOLL_PORT`]);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('serves: imports the reference content, prints the admin token once, registers the local engine, stops on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PLIMSOLL_DB: path.join(dir, 'server.db'), PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot, PLIMSOLL_HOST: '127.0.0.1', PLIMSOLL_PORT: '0', DOCKER_HOST: daemon.endpoint, PLIMSOLL_LOG_LEVEL: 'warn' };
    delete env.PLIMSOLL_ADMIN_TOKEN;
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: dir, env });
    // A failed expectation must not leave the server running past the test.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /Plimsoll GraphQL API at (\S+\/graphql)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const token = /Admin token[^\n]*\n\s+(plm_\S+)/.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ dockerNodes { edges { node { name endpoint } } } benchmarks { edges { node { contentId release profiles { profileId } } } } catalogs { totalCount } }' }),
    });
    type Edges<T> = { edges: { node: T }[] };
    const body = (await res.json()) as { data: { dockerNodes: Edges<{ name: string; endpoint: string }>; benchmarks: Edges<{ contentId: string; release: string; profiles: { profileId: string }[] }>; catalogs: { totalCount: number } } };
    expect(body.data.dockerNodes.edges.map((e) => e.node)).toContainEqual({ name: 'local', endpoint: daemon.endpoint });
    const stig = body.data.benchmarks.edges.map((e) => e.node).find((b) => b.contentId === 'Docker_Enterprise_2-x_Linux-UNIX_STIG');
    expect(stig?.release).toBe('2');
    expect(stig?.profiles.map((p) => p.profileId)).toContain('MAC-1_Classified');
    // Plimsoll's own benchmark (catalogs/) is loaded at start with the reference content.
    expect(body.data.benchmarks.edges.map((e) => e.node.contentId)).toContain('xccdf_io.plimsoll_benchmark_plimsoll_container_platform');
    expect(body.data.catalogs.totalCount).toBe(1);
    // The package's bin is the build's bundle: the schema it serves is the committed one, type for type and field
    // for field (class names, which type-graphql turns into type names, survive bundling).
    const introspection = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: getIntrospectionQuery({ inputValueDeprecation: true }) }) });
    const served = buildClientSchema(((await introspection.json()) as { data: IntrospectionQuery }).data);
    const committed = buildSchema(fs.readFileSync(path.join(repoRoot, 'schemas', 'schema.graphql'), 'utf8'));
    expect([...findBreakingChanges(committed, served), ...findBreakingChanges(served, committed)].map((c) => c.description)).toEqual([]);
    expect(Object.keys(served.getTypeMap()).sort()).toEqual(Object.keys(committed.getTypeMap()).sort());
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // Start-up work is recorded as Plimsoll's system user, in a chain `audit verify` accepts.
    const db = { PLIMSOLL_DB: path.join(dir, 'server.db') };
    const listed = await plimsoll(['audit', 'list', '--json'], db);
    expect(listed.code).toBe(0);
    const actions = (JSON.parse(listed.stdout) as { items: { actor: string; action: string }[] }).items.map((r) => `${r.actor}:${r.action}`);
    expect(actions).toEqual(expect.arrayContaining(['plimsoll-system:importDocuments', 'plimsoll-system:registerDockerNode', 'plimsoll-system:bootstrapAdmin']));
    const intact = await plimsoll(['audit', 'verify'], db);
    expect(intact.code).toBe(0);
    const head = /head (\d+:[0-9a-f]{64})/.exec(intact.stdout)![1]!;
    // A changed record and a deleted one are named, and the exit code is 6.
    const sqlite = new SQLite(path.join(dir, 'server.db'));
    sqlite.prepare("UPDATE audit_log SET outcome = 'failure' WHERE id = 2").run();
    sqlite.prepare('DELETE FROM audit_log WHERE id = 3').run();
    sqlite.close();
    const broken = await plimsoll(['audit', 'verify', '--head', head], db);
    expect(broken.code).toBe(6);
    expect(broken.stderr).toContain('record 2: record 2 was changed');
    expect(broken.stderr).toContain('record 4: record 3 is missing (deleted) before record 4');
    // A refused action exits 5, not the internal-error code.
    const refused = await plimsoll(['--as', 'nobody', 'node', 'remove', 'local'], db);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('error[UNAUTHENTICATED]');
  });
});
