import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { ConfigError } from '../../../src/config/config.js';
import { LOCAL_CLI_PRINCIPAL } from '../../fixtures/principals.js';
import type { ImportSummary } from '../../../src/domain/content.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { MemoryIo, MemoryRuntime, assessmentFixture } from './memory-runtime.js';

let runtime: MemoryRuntime;
let io: MemoryIo;
// The CLI reads the files it is given (and writes --out) itself: the tests run in a directory holding them.
const cwd = process.cwd();
let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-cli-'));
  for (const f of ['a.xml', 'b.xml', 'ca.pem', 'cert.pem', 'key.pem']) fs.writeFileSync(path.join(work, f), `<${f}/>`);
  process.chdir(work);
});
afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  runtime = new MemoryRuntime();
  io = new MemoryIo();
});

const run = (...args: string[]): Promise<number> => runCli(args, runtime, io);

const stigSummary: ImportSummary = {
  documentId: 'doc-1', kind: 'benchmark', id: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x Linux/UNIX STIG',
  version: '2', release: '2', file: 'stig.xml', sha256: 'abc', counts: { rules: 101, profiles: 3 }, alreadyPresent: false,
};
const cciSummary: ImportSummary = {
  documentId: 'doc-2', kind: 'cci-list', id: 'cci-list', title: 'DISA CCI list', version: '2023-06-07', file: 'U_CCI_List.xml',
  sha256: 'def', counts: { ccis: 5098 }, alreadyPresent: true,
};

describe('plimsoll --help', () => {
  it('lists every command without loading the application', async () => {
    let loads = 0;
    const code = await runCli(['--help'], async () => {
      loads += 1;
      return runtime;
    }, io);
    expect(code).toBe(0);
    expect(loads).toBe(0);
    for (const cmd of ['serve', 'content', 'import', 'assess', 'node', 'token', 'audit']) expect(io.outText).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
  });

  it('lists the subcommands of groups and the options of assess', async () => {
    expect(await run('node', '--help')).toBe(0);
    expect(io.outText).toMatch(/add .*<name> \[endpoint\]/);
    expect(io.outText).toContain('list');
    expect(io.outText).toContain('remove');
    io.stdout = [];
    expect(await run('assess', '--help')).toBe(0);
    for (const opt of ['--node <ref>', '--benchmark <ref>', '--profile <id>', '--out <dir>', '--db <file>', '--json']) expect(io.outText).toContain(opt);
  });

  it('prints the version when given one', async () => {
    expect(await runCli(['--version'], runtime, io, { version: '1.2.3' })).toBe(0);
    expect(io.outText).toBe('1.2.3');
  });

  it('treats unknown commands and missing arguments as bad input (exit 2)', async () => {
    expect(await run('imprt', 'x')).toBe(2);
    expect(io.errText).toContain("unknown command 'imprt'");
    expect(io.errText).toContain('import');
    expect(await run('import')).toBe(2);
    expect(await run('token', 'create', 'bot', '--role', 'root')).toBe(2);
    expect(io.errText).toContain('must be one of admin, assessor, auditor');
    expect(await run('serve', '--port', '70000')).toBe(2);
    expect(runtime.calls).toEqual([]);
  });
});

describe('import', () => {
  it('prints one line per document, as the local CLI principal, and closes the app', async () => {
    runtime.imports = [stigSummary, cciSummary];
    expect(await run('import', 'a.xml', 'b.xml', '--db', 'x.db')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'importDocuments', args: [['a.xml (8 bytes)', 'b.xml (8 bytes)'], LOCAL_CLI_PRINCIPAL] });
    expect(runtime.opened).toEqual([{ db: 'x.db' }]);
    expect(runtime.closed).toBe(1);
    expect(io.stdout.join('\n').split('\n')).toEqual([
      'benchmark  Docker_Enterprise_2-x_Linux-UNIX_STIG  "Docker Enterprise 2.x Linux/UNIX STIG"  version 2  release 2  101 rules, 3 profiles',
      'cci-list  cci-list  "DISA CCI list"  version 2023-06-07  5098 ccis  (already present)',
    ]);
  });

  it('--json prints a JSON array', async () => {
    runtime.imports = [stigSummary];
    expect(await run('import', 'a.xml', '--json')).toBe(0);
    expect(JSON.parse(io.outText)).toEqual([stigSummary]);
  });

  it('maps a content error to exit 2 with each problem on its own line, and no stack', async () => {
    runtime.fail.set(
      'importDocuments',
      new PlimsollError(ErrorCode.CONTENT_INVALID, 'stig.xml is not a valid XCCDF benchmark', [
        { file: 'stig.xml', line: 12, column: 5, message: 'unexpected element' },
        { file: 'cat.json', pointer: '/catalog/uuid', message: 'must be a uuid' },
      ]),
    );
    expect(await run('import', 'a.xml')).toBe(2);
    expect(io.stderr.join('\n').split('\n')).toEqual([
      'error[CONTENT_INVALID]: stig.xml is not a valid XCCDF benchmark',
      '  stig.xml:12:5: unexpected element',
      '  cat.json#/catalog/uuid: must be a uuid',
    ]);
    expect(io.stdout).toEqual([]);
    expect(runtime.closed).toBe(1);
  });

  it('maps configuration errors to exit 2 and unexpected errors to exit 1', async () => {
    runtime.fail.set('open', new ConfigError(['PLIMSOLL_PORT="x" must be an integer from 0 to 65535']));
    expect(await run('import', 'a.xml')).toBe(2);
    expect(io.stderr).toEqual(['error[CONFIG_INVALID]: invalid configuration\n  PLIMSOLL_PORT="x" must be an integer from 0 to 65535']);
    runtime.fail.clear();
    io.stderr = [];
    runtime.fail.set('importDocuments', new Error('disk on fire'));
    expect(await run('import', 'a.xml')).toBe(1);
    expect(io.errText).toMatch(/^error\[INTERNAL\]: disk on fire/);
  });
});

describe('assess', () => {
  it('passes every node, benchmark and profile; writes the stored plan and results into --out itself; prints the summary; exits 0 despite failures', async () => {
    expect(await run('assess', '--node', 'local', '--node', 'tcp://10.0.0.5:2376', '--benchmark', 'stig.xml', '--profile', 'MAC-1_Classified', '--out', 'out')).toBe(0);
    expect(runtime.calls).toContainEqual({
      method: 'run',
      args: [{ nodes: ['local', 'tcp://10.0.0.5:2376'], benchmark: 'stig.xml', profileId: 'MAC-1_Classified' }, LOCAL_CLI_PRINCIPAL],
    });
    expect(JSON.parse(fs.readFileSync(path.join(work, 'out', 'assessment-results.json'), 'utf8'))).toEqual({ 'assessment-results': { uuid: 'doc-of-a-1' } });
    // The plan as served by the download route (same text), beside the results that import it as `assessment-plan.json`.
    expect(fs.readFileSync(path.join(work, 'out', 'assessment-plan.json'), 'utf8')).toBe(`${JSON.stringify({ 'assessment-plan': { uuid: 'plan-of-a-1' } }, null, 2)}\n`);
    expect(fs.readdirSync(path.join(work, 'out')).sort()).toEqual(['assessment-plan.json', 'assessment-results.json']);
    expect(io.outText).toContain('fail            2');
    expect(io.outText).toContain('failed by severity: high 1, medium 1, low 0, unknown 0');
    expect(io.outText).toContain(`results written to ${path.join(fs.realpathSync(work), 'out', 'assessment-results.json')}`);
    expect(io.outText).toContain(`plan written to ${path.join(fs.realpathSync(work), 'out', 'assessment-plan.json')}`);
  });

  it('requires --node and --benchmark', async () => {
    expect(await run('assess', '--benchmark', 'x')).toBe(2);
    expect(io.errText).toContain("required option '--node <ref>' not specified");
    expect(await run('assess', '--node', 'local')).toBe(2);
    expect(runtime.calls).toEqual([]);
  });

  it('exits 3 when the node is unreachable and 2 for an unknown benchmark', async () => {
    runtime.fail.set('run', new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'cannot reach tcp://10.0.0.5:2376: connection refused'));
    expect(await run('assess', '--node', 'tcp://10.0.0.5:2376', '--benchmark', 'x')).toBe(3);
    expect(io.stderr).toEqual(['error[NODE_UNREACHABLE]: cannot reach tcp://10.0.0.5:2376: connection refused']);
    runtime.fail.set('run', new PlimsollError(ErrorCode.NOT_FOUND, 'no benchmark x'));
    expect(await run('assess', '--node', 'local', '--benchmark', 'x')).toBe(2);
  });

  it('assesses the reachable nodes and exits 3 naming the nodes that could not be collected', async () => {
    runtime.assessment = {
      ...assessmentFixture(),
      nodes: [
        ...assessmentFixture().nodes,
        { nodeId: 'n2', name: 'node-two', endpoint: 'tcp://10.0.0.9:2376', status: { state: 'failed', reason: 'unreachable', message: 'connect ECONNREFUSED' } },
      ],
    };
    expect(await run('assess', '--node', 'node-one', '--node', 'node-two', '--benchmark', 'x')).toBe(3);
    expect(io.outText).toContain('  node-two  failed     unreachable: connect ECONNREFUSED');
    expect(io.errText).toBe('1 of 2 node(s) could not be collected; their rules are error:\n  node-two  failed  unreachable: connect ECONNREFUSED');
  });

  it('prints JSON with --json and fails (exit 1) when the run did not complete', async () => {
    expect(await run('assess', '--node', 'local', '--benchmark', 'x', '--json')).toBe(0);
    expect(JSON.parse(io.outText)).toMatchObject({ id: 'a-1', status: 'completed' });
    io.stdout = [];
    runtime.assessment = assessmentFixture('failed');
    expect(await run('assess', '--node', 'local', '--benchmark', 'x', '--out', 'o')).toBe(1);
    expect(io.outText).not.toContain('results written');
    expect(fs.existsSync(path.join(work, 'o'))).toBe(false);
    expect(io.errText).toContain('assessment a-1 ended failed: collector crashed');
  });
});

describe('content sync', () => {
  it('prints one line per source and exits 2 naming the missing ones', async () => {
    runtime.syncResults = [
      { name: 'cci-list', file: 'U_CCI_List.xml', path: '/c/U_CCI_List.xml', source: 'mirror', ok: true },
      { name: 'docker-stig-v2r2', file: 'stig.xml', ok: false, error: 'not found; offline' },
    ];
    expect(await run('content', 'sync', '--offline')).toBe(2);
    expect(runtime.opened).toEqual([{ offline: true }]);
    expect(io.stdout.join('\n').split('\n')).toEqual([
      'cci-list          mirror   /c/U_CCI_List.xml',
      'docker-stig-v2r2  MISSING  not found; offline',
    ]);
    expect(io.stderr).toEqual(['error[CONTENT_MISSING]: 1 of 2 pinned sources unavailable: docker-stig-v2r2']);
  });

  it('exits 0 when everything is present and passes source names through', async () => {
    runtime.syncResults = [{ name: 'cci-list', file: 'U_CCI_List.xml', path: '/c/U_CCI_List.xml', source: 'cache', ok: true }];
    expect(await run('content', 'sync', 'cci-list')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'sync', args: [['cci-list']] });
    expect(runtime.opened).toEqual([{}]);
  });
});

describe('node', () => {
  it('adds a node with labels and mutual TLS', async () => {
    const args = ['node', 'add', 'prod-1', 'tcp://10.0.0.5:2376', '--tls-ca', 'ca.pem', '--tls-cert', 'cert.pem', '--tls-key', 'key.pem'];
    expect(await run(...args, '--label', 'env=prod', '--label', 'team=a=b')).toBe(0);
    expect(runtime.calls).toContainEqual({
      method: 'register',
      args: [
        {
          name: 'prod-1', endpoint: 'tcp://10.0.0.5:2376', labels: { env: 'prod', team: 'a=b' },
          tls: { ca: { name: 'ca.pem', bytes: Buffer.from('<ca.pem/>') }, cert: { name: 'cert.pem', bytes: Buffer.from('<cert.pem/>') }, key: { name: 'key.pem', bytes: Buffer.from('<key.pem/>') } },
        },
        LOCAL_CLI_PRINCIPAL,
      ],
    });
    expect(io.outText).toBe('registered node prod-1 (node-1) at tcp://10.0.0.5:2376 with mutual TLS');
    io.stdout = [];
    expect(await run('node', 'list')).toBe(0);
    expect(io.outText).toContain('prod-1  tcp://10.0.0.5:2376  yes  env=prod,team=a=b  node-1');
    io.stdout = [];
    expect(await run('node', 'list', '--json')).toBe(0);
    expect(JSON.parse(io.outText)[0]).toMatchObject({ name: 'prod-1', tls: true });
    expect(io.outText).not.toContain('sealed');
  });

  it('passes a platform container pattern (an empty one too) to the node service', async () => {
    expect(await run('node', 'add', 'k8s-1', 'unix:///k.sock', '--platform-pattern', '^k8s_|ucp-')).toBe(0);
    expect(await run('node', 'add', 'none', 'unix:///n.sock', '--platform-pattern', '')).toBe(0);
    const inputs = runtime.calls.filter((c) => c.method === 'register').map((c) => c.args[0]);
    expect(inputs).toEqual([
      { name: 'k8s-1', endpoint: 'unix:///k.sock', labels: {}, platformContainerPattern: '^k8s_|ucp-' },
      { name: 'none', endpoint: 'unix:///n.sock', labels: {}, platformContainerPattern: '' },
    ]);
  });

  it('rejects partial TLS material and malformed labels', async () => {
    expect(await run('node', 'add', 'x', 'tcp://h:2376', '--tls-ca', 'ca.pem')).toBe(2);
    expect(io.stderr.join('\n').split('\n')).toEqual([
      'error[BAD_INPUT]: mutual TLS needs all of --tls-ca, --tls-cert and --tls-key',
      '  --tls-cert is missing',
      '  --tls-key is missing',
    ]);
    expect(await run('node', 'add', 'x', 'unix:///s', '--label', 'novalue')).toBe(2);
    expect(runtime.calls.filter((c) => c.method === 'register')).toEqual([]);
  });

  it('removes by reference', async () => {
    expect(await run('node', 'remove', 'prod-1')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'removeNode', args: ['prod-1', LOCAL_CLI_PRINCIPAL] });
    runtime.fail.set('removeNode', new PlimsollError(ErrorCode.NOT_FOUND, 'no node prod-2'));
    expect(await run('node', 'remove', 'prod-2')).toBe(2);
  });

  it('shows a node with its asset facts and their sources', async () => {
    await run('node', 'add', 'web', 'tcp://10.0.0.5:2376');
    io.stdout = [];
    expect(await run('node', 'show', 'web')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'getAsset', args: ['web'] });
    expect(io.outText).toContain('web   tcp://10.0.0.5:2376');
    expect(io.outText).toMatch(/hostName\s+web-01\s+engine\s+GET \/info Name/);
    expect(io.outText).toMatch(/role\s+Member Server\s+assessor carol\s+per SSP/);
    io.stdout = [];
    expect(await run('node', 'show', 'web', '--json')).toBe(0);
    expect(JSON.parse(io.outText)).toMatchObject({ node: { name: 'web' }, asset: { nodeId: 'node-1' } });
  });

  it('sets and clears asset overrides; a field both set and cleared, or an unknown field, is refused', async () => {
    expect(await run('node', 'asset', 'set', 'web', '--role', 'Member Server', '--ip', '10.0.0.5', '--ip', 'fd00::5', '--clear', 'fqdn', '--note', 'per SSP')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'setAsset', args: ['web', { role: 'Member Server', ipAddresses: ['10.0.0.5', 'fd00::5'], fqdn: null, note: 'per SSP' }, LOCAL_CLI_PRINCIPAL] });
    expect(await run('node', 'asset', 'set', 'web', '--role', 'x', '--clear', 'role')).toBe(2);
    expect(io.errText).toContain('--clear role and a value for role contradict each other');
    expect(await run('node', 'asset', 'set', 'web', '--clear', 'color')).toBe(2);
    expect(runtime.calls.filter((c) => c.method === 'setAsset')).toHaveLength(1);
  });
});

describe('token and audit', () => {
  it('creates a token and prints its secret once', async () => {
    expect(await run('token', 'create', 'ci-bot', '--role', 'assessor')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'createToken', args: ['ci-bot', 'assessor', LOCAL_CLI_PRINCIPAL] });
    expect(io.stdout).toEqual(['created token t-1 for new user ci-bot (role assessor); the secret is shown only now:', 'plm_secretsecret']);
    expect(runtime.audited).toEqual([expect.objectContaining({ actor: 'local-operator', action: 'createApiToken', target: '{"name":"ci-bot","role":"assessor"}', outcome: 'success' })]);
  });

  it('mints a token for the user it acts as (--as), with a label and a ceiling', async () => {
    expect(await run('--as', 'alice', 'token', 'mint', '--label', 'laptop', '--role', 'auditor')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'createOwnToken', args: [{ label: 'laptop', role: 'auditor' }, runtime.people.get('alice')] });
    expect(io.stdout[0]).toBe('created token t-2 (laptop) for alice (role auditor); the secret is shown only now:');
  });

  it('lists tokens without secrets and revokes by id', async () => {
    runtime.tokens = [{ id: 't-1', name: 'ci', userId: 'u-1', userName: 'carol', role: 'auditor', createdAt: '2025-01-01', revokedAt: '2025-02-01' }];
    expect(await run('token', 'list')).toBe(0);
    expect(io.stdout.join('\n').split('\n')).toEqual(['ID   USER   LABEL  ROLE     CREATED     REVOKED', 't-1  carol  ci     auditor  2025-01-01  2025-02-01']);
    expect(await run('token', 'revoke', 't-1')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'revokeToken', args: ['t-1', LOCAL_CLI_PRINCIPAL] });
  });

  it('lists the audit log a page at a time, newest first, with the cursor of the next page', async () => {
    expect(await run('audit', 'list', '--limit', '1', '--after', 'abc')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'auditList', args: [{ first: 1, after: 'abc' }] });
    expect(io.outText).toContain('records 5-5 of 7; older: --after next');
    expect(await run('audit', 'list', '--limit', '0')).toBe(2);
  });

  it('verifies the audit chain: the head to note when intact, exit 6 naming the records when broken', async () => {
    expect(await run('audit', 'verify')).toBe(0);
    expect(io.outText).toContain(`audit chain intact: 3 records, head 3:${'c'.repeat(64)}`);
    runtime.verification = { ok: false, count: 4, head: { id: 5, hash: 'd'.repeat(64) }, problems: [{ id: 3, kind: 'changed', message: 'record 3 was changed: its content no longer matches its hash' }] };
    io.stdout = [];
    expect(await run('audit', 'verify', '--head', `2:${'e'.repeat(64)}`)).toBe(6);
    expect(runtime.calls).toContainEqual({ method: 'auditVerify', args: [{ head: { id: 2, hash: 'e'.repeat(64) } }] });
    expect(io.errText).toContain('record 3: record 3 was changed');
    expect(await run('audit', 'verify', '--head', 'nonsense')).toBe(2);
  });
});

describe('acting as a user', () => {
  it('runs commands as the user --as names, so the services see that principal', async () => {
    expect(await run('--as', 'alice', 'node', 'remove', 'prod-1')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'removeNode', args: ['prod-1', runtime.people.get('alice')] });
    expect(await run('user', 'whoami', '--as', 'alice')).toBe(0);
    expect(io.stdout.at(-1)).toBe('alice (u-alice), role assessor');
  });

  it('exits 5 when the user may not act (role) or is unknown, and audits the refusal', async () => {
    expect(await run('--as', 'dora', 'node', 'remove', 'prod-1')).toBe(5);
    expect(io.errText).toContain('error[FORBIDDEN]: nodes.remove needs the role admin or assessor; dora is auditor');
    expect(await run('--as', 'nobody', 'node', 'remove', 'prod-1')).toBe(5);
    expect(io.errText).toContain('error[UNAUTHENTICATED]: Not authenticated: no user named nobody');
    expect(runtime.calls.filter((c) => c.method === 'removeNode')).toEqual([]);
    expect(runtime.audited.map((a) => `${a.actor}:${a.action}:${a.outcome}:${a.detail?.split(':')[0]}`)).toEqual(['dora:removeDockerNode:failure:FORBIDDEN', 'anonymous:removeDockerNode:failure:UNAUTHENTICATED']);
  });

  it('creates users as the acting admin', async () => {
    expect(await run('user', 'create', 'erin', '--role', 'assessor')).toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'createUser', args: [{ name: 'erin', role: 'assessor' }, LOCAL_CLI_PRINCIPAL] });
    expect(io.stdout.at(-1)).toBe('created user erin (u-new), role assessor');
  });
});

describe('serve', () => {
  it('hands port, host and db to the runtime without opening services', async () => {
    expect(await run('serve', '--port', '0', '--host', '0.0.0.0', '--db', 'x.db')).toBe(0);
    expect(runtime.calls).toEqual([{ method: 'serve', args: [{ port: 0, host: '0.0.0.0', db: 'x.db' }] }]);
    expect(runtime.opened).toEqual([]);
  });
});
