/**
 * Drift on real parts: a private Docker daemon, the wired application over a SQLite file with the pinned
 * content (the Docker STIG V2R1 and V2R2), services through the gateway. Run 1 (against V2R1) sees `api` and `db`
 * with memory limits and an `old` container; then `api` is recreated under its name in the host's PID namespace,
 * `db` recreated without its memory limit, `old` removed and `fresh` created. Run 2's stored drift, and the
 * ad-hoc comparison of the two runs, report both regressions with their fields, the evidence changes, `old`
 * gone and `fresh` new, and V2R2 as a newer release; the built CLI (diff, reference, history) and GraphQL say the same.
 * Tests that start CLI processes get generous timeouts: each process opens the application on a shared machine.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { DriftChange } from '../../src/domain/drift.js';
import type { PlimsollEvent } from '../../src/domain/events.js';
import type { PostureSeries } from '../../src/domain/history.js';
import { describeChange } from '../../src/monitoring/drift-format.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, REV5_CATALOG_JSON, localContents, packageBin, repoRoot, shared, tempDir } from '../harness/content.js';
import { ADMIN, ASSESSOR, AUDITOR, startInProcessGraphql, type InProcessGraphql } from '../harness/graphql.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
const events: PlimsollEvent[] = [];
let v2r1: string;
let run1: string;
let run2: string;
let graphql: InProcessGraphql;

const BIN = packageBin();
const execFileAsync = promisify(execFile);

/** The built CLI on the test's database (a second process beside the open application). */
async function plimsoll(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, PLIMSOLL_DB: path.join(dir, 'plimsoll.db'), PLIMSOLL_CONTENT_CACHE: path.join(dir, 'cache'), PLIMSOLL_PROJECT_ROOT: repoRoot },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const LIMITED = ['--network', 'none', '--memory', '64m', '--pids-limit', '64'];

beforeAll(async () => {
  dir = tempDir('plimsoll-drift-it-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await daemon.docker(['run', '-d', '--name', 'api', ...LIMITED, BUSYBOX_IMAGE]);
  await daemon.docker(['run', '-d', '--name', 'db', ...LIMITED, '-e', 'DB_PASSWORD=first-secret', BUSYBOX_IMAGE]);
  await daemon.docker(['run', '-d', '--name', 'old', ...LIMITED, BUSYBOX_IMAGE]);
  app = await openApp({ db: path.join(dir, 'plimsoll.db'), events: { publish: (e) => void events.push(e) } });
  const imported = await app.services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2)]));
  v2r1 = imported.find((d) => d.kind === 'benchmark' && d.release === '1')!.documentId;
  await app.services.nodes.register({ name: 'local', endpoint: daemon.endpoint });
  graphql = await startInProcessGraphql(app);
}, 300_000);

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const of = <K extends DriftChange['kind']>(changes: readonly DriftChange[], kind: K): (DriftChange & { kind: K })[] =>
  changes.filter((c): c is DriftChange & { kind: K } => c.kind === kind);
const onContainer = (name: string) => (c: { target: { kind: string; name: string } }) => c.target.kind === 'container' && c.target.name === name;

/** The four drift facts the scenario makes, whichever way the changes were obtained. */
function expectScenario(changes: readonly DriftChange[]): void {
  const regressions = of(changes, 'regression');
  const pid = regressions.filter(onContainer('api')).find((c) => c.fields.some((f) => f.field === 'HostConfig.PidMode'));
  expect(pid, 'api joined the host PID namespace').toBeDefined();
  expect(pid!.target.key).toBe('name/api');
  expect(pid!.from).toBe('pass');
  expect(pid!.fields.find((f) => f.field === 'HostConfig.PidMode')).toEqual({ field: 'HostConfig.PidMode', old: '', new: 'host' });
  const memory = regressions.filter(onContainer('db')).find((c) => c.fields.some((f) => f.field === 'HostConfig.Memory'));
  expect(memory, 'db lost its memory limit').toBeDefined();
  expect(memory!.fields.find((f) => f.field === 'HostConfig.Memory')).toEqual({ field: 'HostConfig.Memory', old: 67_108_864, new: 0 });
  // Nothing else regressed on the containers kept (fresh and old are presence changes, not transitions).
  expect(regressions.map((c) => c.target.name).sort()).toEqual(['api', 'db']);

  expect(of(changes, 'target-disappeared').map((c) => [c.target.kind, c.target.name])).toEqual([['container', 'old']]);
  expect(of(changes, 'target-appeared').map((c) => [c.target.kind, c.target.name])).toEqual([['container', 'fresh']]);

  const evidence = of(changes, 'evidence-changed');
  const pidField = evidence.find((c) => c.target.name === 'api' && c.change.field === 'HostConfig.PidMode');
  expect(pidField?.change).toEqual({ field: 'HostConfig.PidMode', old: '', new: 'host' });
  expect(pidField?.stigIds).toContain(pid!.stigId);
  expect(evidence.find((c) => c.target.name === 'db' && c.change.field === 'HostConfig.Memory')?.stigIds).toContain(memory!.stigId);
  // The password changed: drift says so and never shows a value, not even its salted hash.
  const env = evidence.find((c) => c.target.name === 'db' && c.change.field === 'Config.Env[DB_PASSWORD]');
  expect(env?.change.redacted).toBe(true);
  const text = JSON.stringify(changes) + changes.map(describeChange).join('\n');
  expect(text).not.toContain('first-secret');
  expect(text).not.toContain('second-secret');
  expect(JSON.stringify(env)).not.toMatch(/[0-9a-f]{32}/);
}

describe('drift between two runs on a real daemon', () => {
  it('stores the first run as a first run, with the newer release in the library', async () => {
    run1 = (await app.services.assessments.run({ nodes: ['local'], benchmark: v2r1 })).id;
    const stored = await app.services.drift.runDrift(run1);
    expect(stored.map((s) => [s.report.comparison, s.report.state])).toEqual([['previous', 'first-run']]);
    const newer = of(stored[0]!.changes, 'newer-release');
    expect(newer.map((c) => [c.assessedRelease, c.newerRelease])).toEqual([['V2R1', 'V2R2']]);
    expect(events.filter((e) => e.type === 'drift.detected')).toEqual([]);
  });

  it('reports both regressions with their fields, the evidence changes, and the containers gone and new', async () => {
    // Recreated under the same names: new container ids, the same stable keys.
    await daemon.docker(['rm', '-f', 'api', 'db', 'old']);
    await daemon.docker(['run', '-d', '--name', 'api', ...LIMITED, '--pid', 'host', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '-d', '--name', 'db', '--network', 'none', '--pids-limit', '64', '-e', 'DB_PASSWORD=second-secret', BUSYBOX_IMAGE]);
    await daemon.docker(['run', '-d', '--name', 'fresh', ...LIMITED, BUSYBOX_IMAGE]);
    run2 = (await app.services.assessments.run({ nodes: ['local'], benchmark: v2r1 })).id;

    const stored = await app.services.drift.runDrift(run2);
    expect(stored.map((s) => [s.report.comparison, s.report.state, s.report.comparedAssessmentId])).toEqual([['previous', 'compared', run1]]);
    expectScenario(stored[0]!.changes);
    expect(stored[0]!.report.counts).toMatchObject({ regressions: 2, appeared: 1, disappeared: 1 });

    const detected = events.filter((e) => e.type === 'drift.detected');
    expect(detected).toHaveLength(1);
    expect(detected[0]).toMatchObject({ assessmentId: run2, nodeName: 'local', comparedWith: { kind: 'previous', assessmentId: run1 }, counts: { regressions: 2, appeared: 1, disappeared: 1 } });
    expect(JSON.stringify(detected)).not.toContain('secret');
  });

  it('compares the two assessments on demand with the same result', async () => {
    const c = await app.services.drift.compare({ kind: 'assessment-id', id: run1 }, { kind: 'assessment-id', id: run2 });
    expect([c.old.assessmentId, c.new.assessmentId, c.old.release]).toEqual([run1, run2, 'V2R1']);
    expectScenario(c.changes);
    const only = await app.services.drift.compare({ kind: 'assessment-id', id: run1 }, { kind: 'assessment-id', id: run2 }, { kinds: ['regression'] });
    expect(only.changes.map((x) => x.kind)).toEqual(['regression', 'regression']);
    expect(only.counts).toEqual(c.counts);
  });

  it('plimsoll diff prints one line per change naming rule, target and field; --json for machines', async () => {
    const text = await plimsoll(['diff', run1, run2]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const pid = lines.find((l) => l.startsWith('regression') && l.includes('container `api`'));
    expect(pid).toMatch(/^regression DKER-EE-\d{6} medium local container `api`: pass → fail; HostConfig\.PidMode "" → "host"$/);
    expect(lines.find((l) => l.startsWith('regression') && l.includes('container `db`'))).toContain('HostConfig.Memory 67108864 → 0');
    expect(lines.some((l) => l.startsWith('disappeared') && l.includes('container `old`'))).toBe(true);
    expect(lines.some((l) => l.startsWith('appeared') && l.includes('container `fresh`'))).toBe(true);
    expect(lines).toContain('evidence - local container `db`: Config.Env[DB_PASSWORD] value changed (not shown)');
    expect(text.stdout).not.toContain('secret');

    const json = await plimsoll(['diff', run1, run2, '--json', '--kind', 'regression']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { counts: { regressions: number }; changes: DriftChange[] };
    expect(parsed.counts.regressions).toBe(2);
    expect(parsed.changes.map((c) => c.kind)).toEqual(['regression', 'regression']);

    // The same runs named by the assessment-results documents Plimsoll wrote for them.
    for (const [id, file] of [[run1, 'run1.json'], [run2, 'run2.json']] as const) {
      fs.writeFileSync(path.join(dir, file), JSON.stringify(await app.services.assessments.resultsDocument(id)));
    }
    const byFile = await plimsoll(['diff', path.join(dir, 'run1.json'), path.join(dir, 'run2.json'), '--json']);
    expect(byFile.code, byFile.stderr).toBe(0);
    const fromFiles = JSON.parse(byFile.stdout) as { old: { assessmentId: string; source: string }; changes: DriftChange[] };
    expect([fromFiles.old.assessmentId, fromFiles.old.source]).toEqual([run1, 'results-document']);
    expectScenario(fromFiles.changes);

    const unknown = await plimsoll(['diff', run1, 'no-such-assessment']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no-such-assessment');
  }, 300_000);

  it('a pinned reference run is what later runs are compared with; pin and unpin are audited', async () => {
    const pinned = await plimsoll(['reference', 'pin', 'local', run1, '--note', 'accepted at ATO']);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(pinned.stdout).toContain(`pinned ${run1} as the reference run of local`);
    const listed = await app.services.drift.references({ node: 'local' });
    expect(listed.edges.map((e) => [e.node.assessmentId, e.node.note])).toEqual([[run1, 'accepted at ATO']]);

    // Nothing changes on the node: the previous run sees no drift, the reference run sees the scenario's.
    const run3 = (await app.services.assessments.run({ nodes: ['local'], benchmark: v2r1 })).id;
    const stored = await app.services.drift.runDrift(run3);
    const previous = stored.find((s) => s.report.comparison === 'previous')!;
    const reference = stored.find((s) => s.report.comparison === 'reference')!;
    expect(previous.report.comparedAssessmentId).toBe(run2);
    expect(previous.report.counts).toMatchObject({ regressions: 0, appeared: 0, disappeared: 0 });
    expect(reference.report.comparedAssessmentId).toBe(run1);
    expect(reference.report.counts).toMatchObject({ regressions: 2, appeared: 1, disappeared: 1 });

    const unpinned = await plimsoll(['reference', 'unpin', 'local']);
    expect(unpinned.code, unpinned.stderr).toBe(0);
    expect((await app.services.drift.references({})).totalCount).toBe(0);
    const audit = (await app.services.audit.list({ first: 10 })).edges.map((e) => e.node);
    expect(audit.filter((r) => r.action === 'pinReferenceRun' || r.action === 'unpinReferenceRun').map((r) => [r.action, r.outcome])).toEqual([
      ['unpinReferenceRun', 'success'],
      ['pinReferenceRun', 'success'],
    ]);
    expect(audit.find((r) => r.action === 'pinReferenceRun')!.target).toContain(run1);
  }, 300_000);

  it('GraphQL: the comparison, the stored drift and the reference runs, with Node ids and capped pages', async () => {
    const compared = await graphql.gql(AUDITOR, `query($old: String!, $new: String!) {
      compareAssessments(old: $old, new: $new, filter: { kinds: [REGRESSION, TARGET_APPEARED, TARGET_DISAPPEARED] }) {
        old { assessmentId release source } counts { regressions appeared disappeared evidenceChanges } maxSeverity
        changes(first: 10) {
          totalCount
          edges { node {
            kind message nodeName
            ... on RuleTransition { stigId from to target { kind key name } fields { field oldValue newValue hasOldValue redacted } }
            ... on TargetPresenceChange { target { name } ruleCount }
          } }
        }
      }
    }`, { old: run1, new: run2 });
    expect(compared.errors).toBeUndefined();
    const c = compared.data!.compareAssessments;
    expect(c.old).toEqual({ assessmentId: run1, release: 'V2R1', source: 'ASSESSMENT_ID' });
    expect(c.counts).toMatchObject({ regressions: 2, appeared: 1, disappeared: 1 });
    expect(c.changes.totalCount).toBe(4);
    const edges = c.changes.edges.map((e: any) => e.node);
    expect(edges.map((e: any) => e.kind)).toEqual(['REGRESSION', 'REGRESSION', 'TARGET_APPEARED', 'TARGET_DISAPPEARED']);
    const api = edges.find((e: any) => e.kind === 'REGRESSION' && e.target.name === 'api');
    expect(api).toMatchObject({ from: 'PASS', to: 'FAIL', target: { kind: 'CONTAINER', key: 'name/api' } });
    expect(api.fields).toContainEqual({ field: 'HostConfig.PidMode', oldValue: '', newValue: 'host', hasOldValue: true, redacted: false });
    expect(api.message).toContain('HostConfig.PidMode "" → "host"');

    const tooMany = await graphql.gql(AUDITOR, 'query($old: String!, $new: String!) { compareAssessments(old: $old, new: $new) { changes(first: 101) { totalCount } } }', { old: run1, new: run2 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');

    const stored = await graphql.gql(AUDITOR, `query($id: String!) {
      assessment(assessmentId: $id) { drift(first: 5) { totalCount edges { node { id comparison state comparedAssessmentId counts { regressions }
        changes(first: 50, filter: { kinds: [EVIDENCE_CHANGED] }) { totalCount edges { node { ... on EvidenceChange { target { name } change { field redacted oldValue newValue } stigIds } } } } } } } }
    }`, { id: run2 });
    expect(stored.errors).toBeUndefined();
    const report = stored.data!.assessment.drift.edges[0].node;
    expect(report).toMatchObject({ comparison: 'PREVIOUS', state: 'COMPARED', comparedAssessmentId: run1, counts: { regressions: 2 } });
    expect(report.changes.totalCount).toBeGreaterThanOrEqual(3);
    const env = report.changes.edges.map((e: any) => e.node).find((n: any) => n.change.field === 'Config.Env[DB_PASSWORD]');
    expect(env).toEqual({ target: { name: 'db' }, change: { field: 'Config.Env[DB_PASSWORD]', redacted: true, oldValue: '[redacted]', newValue: '[redacted]' }, stigIds: [] });
    const refetchedReport = await graphql.gql(AUDITOR, `{ node(id: "${report.id}") { ... on DriftReport { assessmentId comparison } } }`);
    expect(refetchedReport.data).toEqual({ node: { assessmentId: run2, comparison: 'PREVIOUS' } });

    const nodeId = (await graphql.gql(AUDITOR, '{ dockerNode(ref: "local") { id } }')).data!.dockerNode.id;
    const assessmentId = (await graphql.gql(AUDITOR, `{ assessment(assessmentId: "${run2}") { id } }`)).data!.assessment.id;
    const pinMutation = 'mutation($input: PinReferenceRunInput!) { pinReferenceRun(input: $input) { referenceRun { id assessmentId nodeName pinnedBy note } replaced { assessmentId } } }';
    const refused = await graphql.gql(AUDITOR, pinMutation, { input: { dockerNode: nodeId, assessment: assessmentId } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const pinned = await graphql.gql(ASSESSOR, pinMutation, { input: { dockerNode: nodeId, assessment: assessmentId, note: 'after the change window' } });
    expect(pinned.errors).toBeUndefined();
    const pin = pinned.data!.pinReferenceRun.referenceRun;
    expect(pin).toMatchObject({ assessmentId: run2, nodeName: 'local', pinnedBy: ASSESSOR.name, note: 'after the change window' });
    const refetched = await graphql.gql(AUDITOR, `{ node(id: "${pin.id}") { ... on ReferenceRun { assessmentId } } dockerNode(ref: "local") { referenceRuns(first: 5) { totalCount } } }`);
    expect(refetched.data).toEqual({ node: { assessmentId: run2 }, dockerNode: { referenceRuns: { totalCount: 1 } } });
    const unpinned = await graphql.gql(ADMIN, 'mutation($input: UnpinReferenceRunInput!) { unpinReferenceRun(input: $input) { removedId referenceRun { assessmentId } } }', { input: { id: pin.id } });
    expect(unpinned.data).toEqual({ unpinReferenceRun: { removedId: pin.id, referenceRun: { assessmentId: run2 } } });
    const audit = (await app.services.audit.list({ first: 10 })).edges.map((e) => e.node).filter((r) => r.action.endsWith('ReferenceRun')).slice(0, 3);
    expect(audit.map((r) => [r.action, r.actor, r.outcome])).toEqual([
      ['unpinReferenceRun', ADMIN.name, 'success'],
      ['pinReferenceRun', ASSESSOR.name, 'success'],
      ['pinReferenceRun', AUDITOR.name, 'failure'],
    ]);
  });

  it('GraphQL: posture history as buckets with a capped range', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const r = await graphql.gql(AUDITOR, `query($from: String!) {
      postureHistory(filter: { dockerNode: "local", from: $from, bucket: HOUR }) {
        bucketCount opened remediated stillOpen latest { postures passRate counts { pass fail open { high medium low total } exempted { total } } }
        points(first: 100) { totalCount edges { node { start end postures assessedInBucket passRate opened } } }
      }
    }`, { from });
    expect(r.errors).toBeUndefined();
    const h = r.data!.postureHistory;
    expect(h.bucketCount).toBeGreaterThanOrEqual(24);
    expect(h.points.totalCount).toBe(h.bucketCount);
    expect(h.latest.postures).toBe(1);
    expect(h.latest.counts.fail).toBeGreaterThan(0);
    // The node's three runs fall in one or two hourly buckets; the last bucket carries its latest posture forward.
    const assessed = h.points.edges.filter((e: any) => e.node.assessedInBucket > 0);
    expect(assessed.length).toBeGreaterThanOrEqual(1);
    expect(assessed.length).toBeLessThanOrEqual(2);
    expect(h.points.edges.at(-1).node).toMatchObject({ postures: 1 });
    expect(h.points.edges[0].node.postures).toBe(0);
    const tooLong = await graphql.gql(AUDITOR, '{ postureHistory(filter: { from: "2000-01-01", bucket: HOUR }) { bucketCount } }');
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });

  it('plimsoll history shows the node\'s posture and the findings opened', async () => {
    const out = await plimsoll(['history', '--node', 'local', '--json']);
    expect(out.code, out.stderr).toBe(0);
    const series = JSON.parse(out.stdout) as PostureSeries;
    expect(series.summary.latest.postures).toBe(1);
    expect(series.summary.latest.counts!.fail).toBeGreaterThan(0);
    // The two regressions opened findings in run 2; `fresh` opened its own; none was remediated.
    expect(series.summary.opened).toBeGreaterThanOrEqual(2);
    expect(series.summary.remediated).toBe(0);
    expect(series.points.filter((p) => p.assessedInBucket > 0).length).toBeGreaterThanOrEqual(1);
    expect(series.points.at(-1)!.postures).toBe(1);
    const text = await plimsoll(['history', '--node', 'local']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('node local');
    expect(text.stdout).toContain('pass rate');
  }, 300_000);
});
