/**
 * Exemptions end to end on real parts: the wired application (src/main.ts) over a SQLite file, the Docker
 * STIG from the content mirror, a private Docker daemon, and the GraphQL schema executed in-process.
 *
 * The containers (none started: privileged containers can't start here):
 * - ucp-agent-x: privileged, host UTS. DKER-EE-001960's check command greps container ids only, so it
 *   leaves no UCP container out (its privileged finding stands); an exemption covers its DKER-EE-002060
 *   (host UTS) finding.
 * - legacy-agent: privileged, host PID, labelled com.example.role=legacy-agent.
 * - web-1: privileged, host UTS: never exempted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { AssessmentWithResults } from '../../src/domain/assessment.js';
import type { RuleResult } from '../../src/domain/results.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { openApp } from '../../src/main.js';
import { HARDENED_ARGS } from '../fixtures/fixture-containers.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, shared, tempDir, localContents } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ADMIN, ASSESSOR, type InProcessGraphql, type Persona, startInProcessGraphql } from '../harness/graphql.js';

const OTHER_ADMIN: Persona = { name: 'dave-admin', role: 'admin' };
const BENCHMARK = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';
const LEGACY_LABEL = { key: 'com.example.role', value: 'legacy-agent' };

type Json = Record<string, any>;

let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
const ids: Record<string, string> = {};

const gql: InProcessGraphql['gql'] = (principal, query, variables) => graphql.gql(principal, query, variables);

const REQUEST = `mutation($i: RequestExemptionInput!) { requestExemption(input: $i) { id exemptionId status requestedBy rule container labels { key value } expiresAt } }`;
const APPROVE = `mutation($id: ID!) { approveExemption(input: { id: $id }) { id status approvedBy } }`;

async function create(name: string, args: string[]): Promise<void> {
  ids[name] = (await daemon.docker(['create', '--name', name, ...HARDENED_ARGS, '--network', 'none', ...args, BUSYBOX_IMAGE])).trim();
}

async function assess(): Promise<{ run: AssessmentWithResults; document: Json }> {
  const services = app.gateway.servicesFor(await graphql.principal(ASSESSOR));
  const run = await services.assessments.run({ nodes: [daemon.endpoint], benchmark: BENCHMARK });
  const document = (await services.assessments.resultsDocument(run.id)) as Json;
  expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(document, 'assessment-results.json')).toEqual([]);
  return { run, document };
}

function resultOf(run: AssessmentWithResults, stigId: string): RuleResult {
  const r = run.results.find((x) => x.stigId === stigId);
  if (r === undefined) throw new Error(`no result for ${stigId}`);
  return r;
}

function failingNames(r: RuleResult): string[] {
  return r.observations.filter((o) => o.verdict === 'fail').map((o) => o.target.name).sort();
}

/** Risk status by the stig-id prop of each risk. */
function riskStatuses(document: Json): Map<string, string> {
  const risks = (document['assessment-results'].results[0].risks ?? []) as Json[];
  return new Map(risks.map((k) => [k.props.find((p: Json) => p.name === 'stig-id').value as string, k.status as string]));
}

beforeAll(async () => {
  dir = tempDir('plimsoll-exemptions-it-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await create('ucp-agent-x', ['--privileged', '--uts', 'host']);
  await create('legacy-agent', ['--privileged', '--pid', 'host', '--label', `${LEGACY_LABEL.key}=${LEGACY_LABEL.value}`]);
  await create('web-1', ['--privileged', '--uts', 'host']);
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app);
  await app.gateway.servicesFor(await graphql.principal(ASSESSOR)).imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]));
});

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('exemptions over GraphQL and in assessments', () => {
  const exemption: Record<string, string> = {};
  /** Global ids, which mutations take. */
  const gid: Record<string, string> = {};

  it('requests, refuses self-approval and assessor approval, and approves by another admin', async () => {
    const legacy = await gql(ASSESSOR, REQUEST, {
      i: { name: 'Legacy monitoring agent', rule: '*', labels: [LEGACY_LABEL], justification: 'Vendor agent needs host PID until its 2027 replacement.', expiresAt: '2099-06-30' },
    });
    expect(legacy.errors).toBeUndefined();
    expect(legacy.data?.requestExemption).toMatchObject({ status: 'REQUESTED', requestedBy: ASSESSOR.name, rule: '*', labels: [LEGACY_LABEL] });
    exemption.legacy = legacy.data?.requestExemption.exemptionId;
    gid.legacy = legacy.data?.requestExemption.id;
    expect((await gql(ASSESSOR, APPROVE, { id: gid.legacy })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(ADMIN, APPROVE, { id: gid.legacy })).data?.approveExemption).toMatchObject({ status: 'APPROVED', approvedBy: ADMIN.name });

    const ucp = await gql(ADMIN, REQUEST, {
      i: { name: 'UCP agents share the host UTS namespace', rule: 'DKER-EE-002060', container: 'ucp-*', justification: 'Docker EE platform requirement.', expiresAt: '2099-01-01' },
    });
    exemption.ucp = ucp.data?.requestExemption.exemptionId;
    gid.ucp = ucp.data?.requestExemption.id;
    const self = await gql(ADMIN, APPROVE, { id: gid.ucp });
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_SEPARATION_OF_DUTIES');
    expect((await gql(OTHER_ADMIN, APPROVE, { id: gid.ucp })).data?.approveExemption.status).toBe('APPROVED');

    // Requested, never approved: must not apply.
    const pending = await gql(ASSESSOR, REQUEST, {
      i: { name: 'Web tier', rule: 'DKER-EE-001960', container: 'web-*', justification: 'Pending review.', expiresAt: '2099-01-01' },
    });
    exemption.pending = pending.data?.requestExemption.exemptionId;

    const unknownRule = await gql(ASSESSOR, REQUEST, { i: { name: 'typo', rule: 'DKER-EE-00196', container: 'x', justification: 'j', expiresAt: '2099-01-01' } });
    expect(unknownRule.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const listed = await gql(ASSESSOR, '{ exemptions { totalCount edges { node { status } } } approved: exemptions(filter: { status: APPROVED }) { edges { node { exemptionId } } } }');
    expect(listed.data?.exemptions.edges.map((e: Json) => e.node.status)).toEqual(['APPROVED', 'APPROVED', 'REQUESTED']);
    expect(listed.data?.approved.edges.map((e: Json) => e.node.exemptionId)).toEqual([exemption.legacy, exemption.ucp]);

    const refetched = await gql(ASSESSOR, 'query($id: ID!) { node(id: $id) { __typename ... on Exemption { exemptionId status } } }', { id: gid.ucp });
    expect(refetched.data?.node).toEqual({ __typename: 'Exemption', exemptionId: exemption.ucp, status: 'APPROVED' });

    const audit = await gql(ADMIN, '{ auditLog(first: 20) { edges { node { actor action outcome detail } } } }');
    expect(audit.data?.auditLog.edges.map((e: Json) => e.node)).toContainEqual(expect.objectContaining({ actor: ADMIN.name, action: 'approveExemption', outcome: 'FAILURE', detail: expect.stringContaining('FORBIDDEN_SEPARATION_OF_DUTIES') }));

    // An admin minted by the requesting admin is not a second pair of eyes (the defect: a second admin token).
    const puppet = await gql(ADMIN, 'mutation { createApiToken(input: { name: "carol-second", role: ADMIN }) { secret user { name createdByUserId } } }');
    expect(puppet.errors).toBeUndefined();
    expect(puppet.data?.createApiToken.user).toEqual({ name: 'carol-second', createdByUserId: (await graphql.principal(ADMIN)).userId });
    const request = await gql(ADMIN, REQUEST, { i: { name: 'Puppet check', rule: 'DKER-EE-002060', container: 'never-*', justification: 'j', expiresAt: '2099-01-01' } });
    const byPuppet = await gql({ name: 'carol-second', role: 'admin' }, APPROVE, { id: request.data?.requestExemption.id });
    expect(byPuppet.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_SEPARATION_OF_DUTIES');
    expect(byPuppet.errors?.[0]?.message).toContain('carol-second was created by the requester carol-admin');
    // The defect: a token named Carol-Admin approving carol-admin's request. Such a token can't be minted by anyone else.
    expect((await gql(OTHER_ADMIN, 'mutation { createApiToken(input: { name: "Carol-Admin", role: ADMIN }) { secret } }')).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await gql(OTHER_ADMIN, 'mutation($id: ID!) { rejectExemption(input: { id: $id, reason: "test only" }) { status } }', { id: request.data?.requestExemption.id });
  });

  it('marks only the covered observations exempted and records fully exempted failures as approved deviations', async () => {
    const { run, document } = await assess();

    // Privileged: legacy-agent exempted (by label, rule *), web-1 and ucp-agent-x still failing (the check leaves nothing out).
    const privileged = resultOf(run, 'DKER-EE-001960');
    expect(privileged.status).toBe('fail');
    expect(failingNames(privileged)).toEqual(['legacy-agent', 'ucp-agent-x', 'web-1']);
    expect(privileged.observations.find((o) => o.target.id === ids['legacy-agent'])?.exemptedBy).toBe(exemption.legacy);
    expect(privileged.observations.find((o) => o.target.id === ids['web-1'])?.exemptedBy).toBeUndefined();
    expect(privileged.observations.find((o) => o.target.id === ids['web-1'])?.verdict).toBe('fail');
    expect(privileged.exemption).toBeUndefined();

    // Host PID: only legacy-agent fails, so the whole finding is an approved deviation.
    const hostPid = resultOf(run, 'DKER-EE-001240');
    expect(failingNames(hostPid)).toEqual(['legacy-agent']);
    expect(hostPid.status).toBe('fail');
    expect(hostPid.exemption).toMatchObject({ id: exemption.legacy, approvedBy: ADMIN.name, expiresAt: '2099-06-30' });

    // Host UTS: ucp-agent-x exempted by glob, web-1 still failing.
    const hostUts = resultOf(run, 'DKER-EE-002060');
    expect(failingNames(hostUts)).toEqual(['ucp-agent-x', 'web-1']);
    expect(hostUts.observations.filter((o) => o.exemptedBy !== undefined).map((o) => [o.target.name, o.exemptedBy])).toEqual([['ucp-agent-x', exemption.ucp]]);
    expect(hostUts.exemption).toBeUndefined();

    // Every failure whose failing observations are all exempted, and only those, carries an exemption.
    const fully = run.results.filter((r) => r.status === 'fail' && r.observations.some((o) => o.verdict === 'fail') && r.observations.every((o) => o.verdict !== 'fail' || o.exemptedBy !== undefined));
    expect(fully.map((r) => r.stigId)).toContain('DKER-EE-001240');
    expect(run.results.filter((r) => r.exemption !== undefined).map((r) => r.stigId)).toEqual(fully.map((r) => r.stigId));
    expect(run.results.some((r) => r.observations.some((o) => o.exemptedBy === exemption.pending))).toBe(false);
    expect(run.summary?.exempted?.count).toBe(fully.length);
    expect(run.summary?.counts.fail).toBeGreaterThanOrEqual(3);

    // OSCAL: deviation-approved exactly where fully exempted, with the justification; open elsewhere.
    const statuses = riskStatuses(document);
    const failed = run.results.filter((r) => r.status === 'fail').map((r) => r.stigId);
    expect([...statuses.keys()].sort()).toEqual([...failed].sort());
    for (const stigId of failed) {
      expect({ stigId, status: statuses.get(stigId) }).toEqual({ stigId, status: fully.some((r) => r.stigId === stigId) ? 'deviation-approved' : 'open' });
    }
    const risks = document['assessment-results'].results[0].risks as Json[];
    const deviation = risks.find((k) => k.props.some((p: Json) => p.name === 'stig-id' && p.value === 'DKER-EE-001240'))!;
    expect(deviation.props).toContainEqual(expect.objectContaining({ name: 'exemption-id', value: exemption.legacy, remarks: expect.stringContaining('Vendor agent needs host PID') }));
    expect(deviation['risk-log'].entries[0]).toMatchObject({ 'status-change': 'deviation-approved', description: expect.stringContaining('Vendor agent needs host PID') });
    expect(deviation.deadline).toBe('2099-07-01T00:00:00.000Z');
    const open = risks.find((k) => k.props.some((p: Json) => p.name === 'stig-id' && p.value === 'DKER-EE-001960'))!;
    expect(open['risk-log']).toBeUndefined();
    const evidence = (document['assessment-results'].results[0].observations as Json[]).flatMap((o) => (o['relevant-evidence'] ?? []) as Json[]);
    const exemptedEvidence = evidence.filter((e) => e.props.some((p: Json) => p.name === 'exempted-by'));
    expect(exemptedEvidence.length).toBe(run.results.flatMap((r) => r.observations).filter((o) => o.exemptedBy !== undefined).length);
    expect(exemptedEvidence.every((e) => e.props.some((p: Json) => p.name === 'verdict' && p.value === 'fail'))).toBe(true);

    // Stored as run: the exemption fields survive the database.
    const stored = await app.services.assessments.get(run.id);
    expect(resultOf(stored!, 'DKER-EE-001240').exemption).toEqual(hostPid.exemption);
    expect(resultOf(stored!, 'DKER-EE-001960').observations).toEqual(privileged.observations);
    expect(stored!.summary).toEqual(run.summary);
  });

  it('stops applying an exemption once revoked by its requester', async () => {
    const revoked = await gql(ASSESSOR, 'mutation($id: ID!) { revokeExemption(input: { id: $id, reason: "agent replaced" }) { status revokedBy reason } }', { id: gid.legacy });
    expect(revoked.data?.revokeExemption).toEqual({ status: 'REVOKED', revokedBy: ASSESSOR.name, reason: 'agent replaced' });

    const { run, document } = await assess();
    const hostPid = resultOf(run, 'DKER-EE-001240');
    expect(hostPid.exemption).toBeUndefined();
    expect(hostPid.observations.every((o) => o.exemptedBy === undefined)).toBe(true);
    expect(riskStatuses(document).get('DKER-EE-001240')).toBe('open');
    expect(resultOf(run, 'DKER-EE-002060').observations.some((o) => o.exemptedBy === exemption.ucp)).toBe(true);
  });
});
