/**
 * A fleet in one assessment, on real parts: two private Docker daemons, the wired application (src/main.ts)
 * over a SQLite file with the pinned content imported, GraphQL executed in-process. Daemon A is a swarm
 * manager running a two-replica service beside a compose-labelled privileged container and a plain one;
 * daemon B runs one hardened container. The first run assesses both; in the second, B is stopped in the
 * middle of its collection (after its containers were listed, before they are inspected): the run completes
 * with A's per-target results and B failed as unreachable, its rules `error`. Then B is removed (soft delete):
 * its history stays, and a new node takes its name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { openApp } from '../../src/main.js';
import { createDockerClient, type DockerClientFactory } from '../../src/repositories/docker-client.js';
import { oscalJsonText } from '../../src/reporting/oscal-values.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, localContents, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ADMIN, ASSESSOR, AUDITOR, type InProcessGraphql, startInProcessGraphql } from '../harness/graphql.js';
import { freeTcpPort } from '../harness/tls.js';
import { eventually } from '../harness/eventually.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

let a: PrivateDaemon;
let b: PrivateDaemon;
let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
/** When set, B's engine is stopped the first time one of its containers is inspected. */
let stopBMidway = false;
let bStopped = false;

const gql: InProcessGraphql['gql'] = (principal, query, variables) => graphql.gql(principal, query, variables);

/** The real client; for B, a stop of its daemon before the first inspection when asked. */
const clients: DockerClientFactory = (node) => {
  const real = createDockerClient(node, { timeoutMs: 20_000 });
  if (node.endpoint !== b.endpoint) return real;
  return {
    endpoint: real.endpoint,
    ping: () => real.ping(),
    version: () => real.version(),
    info: () => real.info(),
    listContainers: (o) => real.listContainers(o),
    request: (m, p, o) => real.request(m, p, o),
    async inspectContainer(id) {
      if (stopBMidway && !bStopped) {
        bStopped = true;
        await b.stop();
      }
      return real.inspectContainer(id);
    },
  };
};

beforeAll(async () => {
  dir = tempDir();
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  [a, b] = await Promise.all([startDockerDaemon(), startDockerDaemon()]);
  await Promise.all([importBusyboxImage(a), importBusyboxImage(b)]);
  await a.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freeTcpPort()}`]);
  await a.docker(['service', 'create', '--detach', '--name', 'api', '--replicas', '2', BUSYBOX_IMAGE]);
  const compose = ['--label', 'com.docker.compose.project=shop', '--label', 'com.docker.compose.service=web', '--label', 'com.docker.compose.container-number=1'];
  await a.docker(['create', '--name', 'shop-web-1', ...compose, '--privileged', '--network', 'none', BUSYBOX_IMAGE]);
  await a.docker(['run', '-d', '--name', 'plain', '--network', 'none', '--memory', '64m', BUSYBOX_IMAGE]);
  await b.docker(['run', '-d', '--name', 'db', '--network', 'none', '--read-only', '--memory', '64m', '--pids-limit', '64', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', BUSYBOX_IMAGE]);
  await eventually(async () => (await a.docker(['ps', '-q', '--filter', 'label=com.docker.swarm.service.name=api'])).trim().split('\n').filter(Boolean).length === 2, 'two api tasks to run', 60_000);

  app = await openApp({ db: path.join(dir, 'plimsoll.db'), clients });
  await app.services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), shared(...DOCKER_STIG_V2R2)]));
  await app.services.nodes.register({ name: 'alpha', endpoint: a.endpoint });
  await app.services.nodes.register({ name: 'beta', endpoint: b.endpoint });
  graphql = await startInProcessGraphql(app);
}, 300_000);

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  // Leaving the swarm first stops the service tasks, so the daemon stops cleanly.
  await a?.docker(['swarm', 'leave', '--force']).catch(() => undefined);
  await Promise.all([a?.stop(), bStopped ? undefined : b?.stop()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const RUN = `mutation($nodes: [String!]!) { runAssessment(input: { nodes: $nodes, benchmark: "Docker_Enterprise_2-x_Linux-UNIX_STIG" }) { id assessmentId status summary { error } } }`;
const NODES = `query($id: String!) { assessment(assessmentId: $id) { assessedNodes(first: 10) { totalCount edges { node { id name state failureReason message factsSha256 asset { hostName { value source } role { value source } os { value } } } } } } }`;
const TARGETS = `query($id: String!, $filter: TargetResultFilterInput, $first: Int, $after: String) {
  assessment(assessmentId: $id) { targetResults(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id dockerNodeId stigId status message target { kind key targetId name image } observations(first: 10) { edges { node { field verdict } } } } } } } }`;
/** A page's nodes, observations flattened. */
const nodesOf = (connection: Json): Json[] => connection.edges.map((e: Json) => ({ ...e.node, observations: e.node.observations.edges.map((o: Json) => o.node) }));

type Json = Record<string, any>;
let firstRun: string;
/** The global id of the first run (not a DockerNode id). */
let refetchIdOfFirstRun: string;
let secondRun: string;
let alphaId: string;
let betaId: string;

describe('a fleet of two nodes in one assessment', () => {
  it('assesses both nodes: each collected, with per-target results keyed by compose labels, swarm slots and names', async () => {
    const started = await gql(ASSESSOR, RUN, { nodes: ['alpha', 'beta'] });
    expect(started.errors).toBeUndefined();
    firstRun = started.data!.runAssessment.assessmentId;
    refetchIdOfFirstRun = started.data!.runAssessment.id;
    expect(started.data!.runAssessment.status).toBe('COMPLETED');

    const nodes = (await gql(AUDITOR, NODES, { id: firstRun })).data!.assessment.assessedNodes;
    expect(nodes.totalCount).toBe(2);
    const [alpha, beta] = nodes.edges.map((e: Json) => e.node);
    expect(alpha).toMatchObject({ name: 'alpha', state: 'COLLECTED', failureReason: null, factsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(beta).toMatchObject({ name: 'beta', state: 'COLLECTED' });
    expect(alpha.asset.role).toEqual({ value: 'swarm manager', source: 'ENGINE' });
    expect(beta.asset.role).toEqual({ value: 'standalone engine', source: 'ENGINE' });
    expect(alpha.asset.hostName.source).toBe('ENGINE');
    expect(alpha.asset.os.value).toContain('linux');
    alphaId = (await app.services.nodes.find('alpha'))!.id;
    betaId = (await app.services.nodes.find('beta'))!.id;

    const privileged = (await gql(AUDITOR, TARGETS, { id: firstRun, filter: { rule: 'DKER-EE-001960', kind: 'CONTAINER' } })).data!.assessment.targetResults;
    const rows = nodesOf(privileged);
    expect(rows.map((r: Json) => [r.dockerNodeId === alphaId ? 'alpha' : 'beta', r.target.key, r.status]).sort()).toEqual(
      [
        ['alpha', 'compose/shop/web/1', 'FAIL'],
        ['alpha', 'name/plain', 'PASS'],
        ['alpha', 'swarm/api/1', 'PASS'],
        ['alpha', 'swarm/api/2', 'PASS'],
        ['beta', 'name/db', 'PASS'],
      ].sort(),
    );
    const web = rows.find((r: Json) => r.target.key === 'compose/shop/web/1')!;
    expect(web.target).toMatchObject({ kind: 'CONTAINER', name: 'shop-web-1', image: BUSYBOX_IMAGE, targetId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(web.observations).toContainEqual({ field: 'HostConfig.Privileged', verdict: 'FAIL' });
    // A per-target result and an assessed node are Nodes: refetched by their global id.
    const refetched = await gql(AUDITOR, `query($id: ID!) { node(id: $id) { id ... on TargetResult { stigId status target { key } } } }`, { id: web.id });
    expect(refetched.data!.node).toEqual({ id: web.id, stigId: 'DKER-EE-001960', status: 'FAIL', target: { key: 'compose/shop/web/1' } });
    const nodeRefetch = await gql(AUDITOR, `query($id: ID!) { node(id: $id) { ... on AssessedNode { name state } } }`, { id: alpha.id });
    expect(nodeRefetch.data!.node).toEqual({ name: 'alpha', state: 'COLLECTED' });

    // A manual rule is one node-level row per node.
    const manual = (await gql(AUDITOR, TARGETS, { id: firstRun, filter: { status: 'NOT_CHECKED', dockerNodeId: betaId }, first: 100 })).data!.assessment.targetResults;
    expect(manual.totalCount).toBeGreaterThan(10);
    expect(manual.edges.every((e: Json) => e.node.target.kind === 'NODE' && e.node.target.key === 'node')).toBe(true);
  });

  it('pages per-target results with cursors, and caps the page size at 100 like every connection', async () => {
    const first = (await gql(AUDITOR, TARGETS, { id: firstRun, first: 50 })).data!.assessment.targetResults;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const seen = new Set<string>();
    let after: string | undefined = first.pageInfo.endCursor;
    first.edges.forEach((e: Json) => seen.add(JSON.stringify(e.node)));
    while (after !== undefined) {
      const next = (await gql(AUDITOR, TARGETS, { id: firstRun, first: 100, after })).data!.assessment.targetResults;
      next.edges.forEach((e: Json) => seen.add(JSON.stringify(e.node)));
      after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : undefined;
    }
    expect(seen.size).toBe(first.totalCount);
    const tooMany = await gql(AUDITOR, TARGETS, { id: firstRun, first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
  });

  it('writes OSCAL in which a generic reader finds the failing container, and the plan it imports resolves', async () => {
    const docs = (await gql(AUDITOR, `query($id: String!) { assessment(assessmentId: $id) { resultsDocument planDocument } }`, { id: firstRun })).data!.assessment;
    const validator = createOscalValidator(shared(...OSCAL_SCHEMA_112));
    expect(validator.validate(docs.resultsDocument, 'ar.json')).toEqual([]);
    expect(validator.validate(docs.planDocument, 'ap.json')).toEqual([]);
    const ar = docs.resultsDocument['assessment-results'];
    const resource = ar['back-matter'].resources.find((r: Json) => `#${r.uuid}` === ar['import-ap'].href);
    expect(resource.uuid).toBe(docs.planDocument['assessment-plan'].uuid);
    expect(resource.rlinks[0].hashes[0].value).toBe(sha256(oscalJsonText(docs.planDocument)));

    // Generic OSCAL: not-satisfied finding → related observations → subjects → inventory items (OSCAL's asset-id).
    const result = ar.results[0];
    const items = new Map<string, Json>(result['local-definitions']['inventory-items'].map((i: Json) => [i.uuid, i]));
    const observations = new Map<string, Json>(result.observations.map((o: Json) => [o.uuid, o]));
    const failing = new Map<string, string[]>(
      result.findings
        .filter((f: Json) => f.target.status.state === 'not-satisfied' && f.target.status.reason === 'fail')
        .map((f: Json) => [
          f.title,
          f['related-observations']
            .flatMap((r: Json) => observations.get(r['observation-uuid'])!.subjects)
            .map((s: Json) => items.get(s['subject-uuid'])!.props.find((p: Json) => p.name === 'asset-id' && p.ns === undefined).value),
        ]),
    );
    const privileged = [...failing].filter(([title]) => title.startsWith('DKER-EE-001960 on '));
    expect(privileged).toEqual([[expect.stringMatching(/^DKER-EE-001960 on alpha: /), ['alpha/container/compose/shop/web/1']]]);
    // Every subject a failed finding names is a target that fails it, never one that passes.
    for (const f of result.findings.filter((x: Json) => x.target.status.reason === 'fail')) {
      for (const r of f['related-observations']) expect(observations.get(r['observation-uuid'])!.types).toEqual(['finding']);
    }
  });

  it('goes on when a node stops in the middle of its collection: that node fails as unreachable, its rules are error', async () => {
    stopBMidway = true;
    const started = await gql(ASSESSOR, RUN, { nodes: ['alpha', 'beta'] });
    expect(started.errors).toBeUndefined();
    expect(bStopped).toBe(true);
    secondRun = started.data!.runAssessment.assessmentId;
    expect(started.data!.runAssessment.status).toBe('COMPLETED');

    const [alpha, beta] = (await gql(AUDITOR, NODES, { id: secondRun })).data!.assessment.assessedNodes.edges.map((e: Json) => e.node);
    expect(alpha).toMatchObject({ name: 'alpha', state: 'COLLECTED' });
    expect(beta).toMatchObject({ name: 'beta', state: 'FAILED', failureReason: 'UNREACHABLE', asset: null });
    expect(beta.message).toContain(b.endpoint);

    const betaRows = (await gql(AUDITOR, TARGETS, { id: secondRun, filter: { dockerNodeId: betaId }, first: 100 })).data!.assessment.targetResults;
    expect(betaRows.totalCount).toBe(101);
    const betaRest = (await gql(AUDITOR, TARGETS, { id: secondRun, filter: { dockerNodeId: betaId }, first: 100, after: betaRows.pageInfo.endCursor })).data!.assessment.targetResults;
    const betaAll = [...betaRows.edges, ...betaRest.edges].map((e: Json) => e.node);
    expect(betaAll).toHaveLength(101);
    expect(betaAll.every((n: Json) => n.status === 'ERROR' && n.target.kind === 'NODE')).toBe(true);
    expect(betaAll[0].message).toMatch(/^Node beta could not be collected \(unreachable\)/);
    expect(started.data!.runAssessment.summary.error).toBeGreaterThanOrEqual(101);

    const alphaFails = (await gql(AUDITOR, TARGETS, { id: secondRun, filter: { dockerNodeId: alphaId, rule: 'DKER-EE-001960', status: 'FAIL' } })).data!.assessment.targetResults;
    expect(alphaFails.edges.map((e: Json) => e.node.target.key)).toEqual(['compose/shop/web/1']);
  });

  it('follows one target across both runs by its stable key', async () => {
    const history = await gql(AUDITOR, `query { targetHistory(target: { dockerNode: "alpha", kind: CONTAINER, key: "compose/shop/web/1", rule: "DKER-EE-001960" }) { totalCount edges { node { assessmentId status } } } }`);
    expect(history.errors).toBeUndefined();
    expect(history.data!.targetHistory.edges.map((e: Json) => [e.node.assessmentId, e.node.status])).toEqual([
      [secondRun, 'FAIL'],
      [firstRun, 'FAIL'],
    ]);
  });

  it('removes a node softly: hidden from lists, its history kept, its name free for a new node', async () => {
    const betaGlobal = (await gql(AUDITOR, `{ dockerNode(ref: "beta") { id } }`)).data!.dockerNode.id;
    const removed = await gql(ADMIN, `mutation($id: ID!) { removeDockerNode(input: { id: $id }) { removedId } }`, { id: betaGlobal });
    expect(removed.errors).toBeUndefined();
    expect((await gql(AUDITOR, `{ dockerNodes { totalCount edges { node { name } } } }`)).data!.dockerNodes).toEqual({ totalCount: 1, edges: [{ node: { name: 'alpha' } }] });
    expect((await gql(AUDITOR, `query($id: ID!) { node(id: $id) { id } }`, { id: betaGlobal })).data!.node).toBeNull();
    const old = (await gql(AUDITOR, NODES, { id: firstRun })).data!.assessment.assessedNodes.edges.map((e: Json) => e.node.name);
    expect(old).toEqual(['alpha', 'beta']);
    const history = await gql(AUDITOR, `query($node: String!) { targetHistory(target: { dockerNode: $node, kind: CONTAINER, key: "name/db" }) { totalCount } }`, { node: betaId });
    expect(history.data!.targetHistory.totalCount).toBeGreaterThan(0);
    const asset = await gql(AUDITOR, `query($ref: String!) { dockerNodeAsset(ref: $ref) { dockerNodeId collectedAt } }`, { ref: betaId });
    expect(asset.data!.dockerNodeAsset).toMatchObject({ dockerNodeId: betaId, collectedAt: expect.any(String) });
    const reused = await gql(ADMIN, `mutation($e: String!) { registerDockerNode(input: { name: "beta", endpoint: $e }) { dockerNodeId name } }`, { e: b.endpoint });
    expect(reused.errors).toBeUndefined();
    expect(reused.data!.registerDockerNode.dockerNodeId).not.toBe(betaId);
  });

  it('lets an assessor override asset facts over GraphQL, audited, and a new collection keeps the override', async () => {
    const alphaGlobal = (await gql(AUDITOR, `{ dockerNode(ref: "alpha") { id } }`)).data!.dockerNode.id;
    const set = await gql(ASSESSOR, `mutation($id: ID!) { setDockerNodeAsset(input: { id: $id, role: "Member Server", fqdn: "alpha.example.mil", note: "per SSP" }) { effective { role { value source recordedBy } fqdn { value } } collected { role { value } } } }`, { id: alphaGlobal });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setDockerNodeAsset.effective.role).toEqual({ value: 'Member Server', source: 'ASSESSOR', recordedBy: ASSESSOR.name });
    expect(set.data!.setDockerNodeAsset.collected.role.value).toBe('swarm manager');
    const cleared = await gql(ASSESSOR, `mutation($id: ID!) { setDockerNodeAsset(input: { id: $id, fqdn: null }) { effective { fqdn { value } role { value } } overrides { fqdn { value } } } }`, { id: alphaGlobal });
    expect(cleared.data!.setDockerNodeAsset).toEqual({ effective: { fqdn: null, role: { value: 'Member Server' } }, overrides: { fqdn: null } });
    const refused = await gql(AUDITOR, `mutation($id: ID!) { setDockerNodeAsset(input: { id: $id, role: "x" }) { dockerNodeId } }`, { id: alphaGlobal });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const notANode = await gql(ASSESSOR, `mutation($id: ID!) { setDockerNodeAsset(input: { id: $id, role: "x" }) { dockerNodeId } }`, { id: refetchIdOfFirstRun });
    expect(notANode.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');

    const third = await gql(ASSESSOR, RUN, { nodes: ['alpha'] });
    const [alpha] = (await gql(AUDITOR, NODES, { id: third.data!.runAssessment.assessmentId })).data!.assessment.assessedNodes.edges.map((e: Json) => e.node);
    expect(alpha.asset.role).toEqual({ value: 'Member Server', source: 'ASSESSOR' });
    const node = await gql(AUDITOR, `{ dockerNode(ref: "alpha") { asset { effective { role { value } } } } }`);
    expect(node.data!.dockerNode.asset.effective.role.value).toBe('Member Server');
    const log = await gql(ADMIN, '{ auditLog(first: 10) { edges { node { actor action outcome } } } }');
    expect(log.data!.auditLog.edges.map((e: Json) => e.node)).toContainEqual({ actor: ASSESSOR.name, action: 'setDockerNodeAsset', outcome: 'SUCCESS' });
  });
});
