/**
 * Manual reviews end to end on real parts: the wired application over a SQLite file, the Docker STIG V2R1 and
 * V2R2 from the content mirror, a private Docker daemon, and GraphQL in-process. A review written against V2R1
 * (keyed by STIG id and check-content hash) answers the same manual rule in a V2R2 assessment of a node its
 * label selector matches, once another admin accepted it; when it expires, the rule is not checked again and
 * the review shows as expired.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { AssessmentWithResults } from '../../src/domain/assessment.js';
import type { StoredRule } from '../../src/domain/services.js';
import { createOscalValidator } from '../../src/formats/oscal/schema-validator.js';
import { toGlobalId } from '../../src/graphql/relay/global-id.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, localContents, shared, tempDir } from '../harness/content.js';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { ADMIN, ASSESSOR, type InProcessGraphql, type Persona, startInProcessGraphql } from '../harness/graphql.js';

type Json = Record<string, any>;
const OTHER_ADMIN: Persona = { name: 'dave-admin', role: 'admin' };
const BENCHMARK = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';

let daemon: PrivateDaemon;
let dir: string;
let app: OpenedApp;
let graphql: InProcessGraphql;
let v2r1: string;
/** A manual rule whose check text (hash) is the same in V2R1 and V2R2, and one whose check text changed. */
let same: StoredRule;
let changed: StoredRule | undefined;

const CREATE = `mutation($i: CreateManualReviewInput!) { createManualReview(input: $i) { manualReview { id reviewId status release stigId checkContentHash scope { kind labels { key value } } } } }`;
const SUBMIT = `mutation($id: ID!) { submitManualReview(input: { id: $id }) { manualReview { status submittedBy } } }`;
const ACCEPT = `mutation($id: ID!) { acceptManualReview(input: { id: $id }) { manualReview { status acceptedBy expiresAt } } }`;

async function assess(): Promise<AssessmentWithResults> {
  return app.gateway.servicesFor(await graphql.principal(ASSESSOR)).assessments.run({ nodes: ['labelled'], benchmark: BENCHMARK });
}

function resultOf(run: AssessmentWithResults, stigId: string) {
  const r = run.results.find((x) => x.stigId === stigId);
  if (r === undefined) throw new Error(`no result for ${stigId}`);
  return r;
}

beforeAll(async () => {
  dir = tempDir('plimsoll-reviews-it-');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  app = await openApp({ db: path.join(dir, 'plimsoll.db') });
  graphql = await startInProcessGraphql(app);
  const services = app.gateway.servicesFor(await graphql.principal(ASSESSOR));
  const imported = await services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R1), shared(...DOCKER_STIG_V2R2)]));
  v2r1 = imported.find((s) => s.kind === 'benchmark' && s.file.includes('V2R1'))!.documentId;
  await services.nodes.register({ name: 'labelled', endpoint: daemon.endpoint, labels: { env: 'prod', site: 'lab' } });
});

afterAll(async () => {
  await graphql?.stop();
  await app?.close();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('manual reviews over GraphQL and in assessments', () => {
  let reviewGid: string;
  let reviewId: string;

  it('finds manual rules of V2R2 that V2R1 has with the same and with a changed check text', async () => {
    const run = await assess();
    const library = app.services.library;
    const latest = (await library.findBenchmark(BENCHMARK))!;
    expect(latest.documentId).not.toBe(v2r1);
    for (const r of run.results.filter((x) => x.status === 'not-checked')) {
      const old = await library.getRule(v2r1, r.stigId);
      if (old === undefined) continue;
      if (old.checkContentHash === r.checkContentHash) same ??= old;
      else changed ??= old;
    }
    expect(same).toBeDefined();
  });

  it('writes against V2R1, refuses self-acceptance and an assessor, and is accepted by another admin', async () => {
    const created = await graphql.gql(ADMIN, CREATE, {
      i: { benchmark: v2r1, stigId: same.stigId, scope: { kind: 'LABELS', labels: [{ key: 'env', value: 'prod' }] }, result: 'PASS', statement: 'Examined the UCP settings with the site ISSO.', evidence: [{ text: 'CCB minutes 2026-11' }, { url: 'https://wiki.example/ucp' }], expiry: 'P90D' },
    });
    expect(created.errors).toBeUndefined();
    const review = created.data?.createManualReview.manualReview;
    expect(review).toMatchObject({ status: 'DRAFT', release: 'V2R1', stigId: same.stigId, checkContentHash: same.checkContentHash, scope: { kind: 'LABELS', labels: [{ key: 'env', value: 'prod' }] } });
    reviewGid = review.id;
    reviewId = review.reviewId;
    expect((await graphql.gql(ADMIN, SUBMIT, { id: reviewGid })).data?.submitManualReview.manualReview).toEqual({ status: 'SUBMITTED', submittedBy: ADMIN.name });
    const self = await graphql.gql(ADMIN, ACCEPT, { id: reviewGid });
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN_SEPARATION_OF_DUTIES');
    expect((await graphql.gql(ASSESSOR, ACCEPT, { id: reviewGid })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const accepted = await graphql.gql(OTHER_ADMIN, ACCEPT, { id: reviewGid });
    expect(accepted.data?.acceptManualReview.manualReview).toMatchObject({ status: 'ACCEPTED', acceptedBy: OTHER_ADMIN.name });

    if (changed !== undefined) {
      const stale = await graphql.gql(ASSESSOR, CREATE, { i: { benchmark: v2r1, stigId: changed.stigId, scope: { kind: 'ALL_NODES' }, result: 'PASS', statement: 'Written against the old check text.', expiry: 'P30D' } });
      const id = stale.data?.createManualReview.manualReview.id;
      await graphql.gql(ASSESSOR, SUBMIT, { id });
      expect((await graphql.gql(ADMIN, ACCEPT, { id })).data?.acceptManualReview.manualReview.status).toBe('ACCEPTED');
    }
    const listed = await graphql.gql(ASSESSOR, `{ manualReviews(filter: { status: ACCEPTED }, first: 10) { totalCount edges { node { reviewId } } } }`);
    expect(listed.data?.manualReviews.totalCount).toBe(changed !== undefined ? 2 : 1);
    const refetched = await graphql.gql(ASSESSOR, 'query($id: ID!) { node(id: $id) { __typename ... on ManualReview { reviewId status } } }', { id: reviewGid });
    expect(refetched.data?.node).toEqual({ __typename: 'ManualReview', reviewId, status: 'ACCEPTED' });
    const audit = await graphql.gql(ADMIN, '{ auditLog(first: 30) { edges { node { actor action outcome } } } }');
    expect(audit.data?.auditLog.edges.map((e: Json) => e.node)).toContainEqual({ actor: ADMIN.name, action: 'acceptManualReview', outcome: 'FAILURE' });
    expect(audit.data?.auditLog.edges.map((e: Json) => e.node)).toContainEqual({ actor: OTHER_ADMIN.name, action: 'acceptManualReview', outcome: 'SUCCESS' });
  });

  it('answers the manual rule in a V2R2 assessment as attested, on the rule, the node-level row and in OSCAL; a changed check text is not answered', async () => {
    const run = await assess();
    const r = resultOf(run, same.stigId);
    expect(r.status).toBe('pass');
    expect(r.attestation).toMatchObject({ reviewId, submittedBy: ADMIN.name, acceptedBy: OTHER_ADMIN.name, writtenFor: expect.stringContaining('V2R1') });
    if (changed !== undefined) expect(resultOf(run, changed.stigId).status).toBe('not-checked');
    // Automated rules never take a review's answer.
    expect(run.results.filter((x) => x.attestation !== undefined).map((x) => x.stigId)).toEqual([same.stigId]);

    const rows = await app.services.assessments.targetResults(run.id, { rule: same.stigId }, { first: 10 });
    expect(rows.edges.map((e) => [e.node.target.kind, e.node.status, e.node.attestedBy])).toEqual([['node', 'pass', reviewId]]);

    const document = (await app.services.assessments.resultsDocument(run.id)) as Json;
    expect(createOscalValidator(shared(...OSCAL_SCHEMA_112)).validate(document, 'assessment-results.json')).toEqual([]);
    const finding = (document['assessment-results'].results[0].findings as Json[]).find((f) => f.props.some((p: Json) => p.name === 'stig-id' && p.value === same.stigId))!;
    expect(finding.target.status.state).toBe('satisfied');
    expect(finding.props).toContainEqual(expect.objectContaining({ name: 'review-accepted-by', value: OTHER_ADMIN.name }));

    const q = await graphql.gql(ASSESSOR, `query($id: String!, $stig: String!) { assessment(assessmentId: $id) { results(filter: { stigId: $stig }, first: 1) { edges { node { status attestation { reviewId acceptedBy } reviewNotes { reason } } } } } }`, { id: run.id, stig: same.stigId });
    expect(q.errors).toBeUndefined();
    expect(q.data?.assessment.results.edges[0].node).toEqual({ status: 'PASS', attestation: { reviewId, acceptedBy: OTHER_ADMIN.name }, reviewNotes: [] });
  });

  it('keeps an uploaded evidence file by sha256, usable only by its uploader, downloadable by readers', async () => {
    const bytes = Buffer.from('UCP audit log forwarding: enabled\n');
    const upload = await app.gateway.servicesFor(await graphql.principal(ASSESSOR)).uploads.create({ name: 'ucp-logging.txt', bytes });
    const input = { benchmark: BENCHMARK, stigId: same.stigId, scope: { kind: 'ALL_NODES' }, result: 'PASS', statement: 'See the attached export.', evidence: [{ uploadId: upload.id }], expiry: 'P30D' };
    expect((await graphql.gql(ADMIN, CREATE, { i: input })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const created = await graphql.gql(ASSESSOR, `mutation($i: CreateManualReviewInput!) { createManualReview(input: $i) { manualReview { reviewId evidence { kind name sha256 size downloadUrl } } } }`, { i: input });
    expect(created.errors).toBeUndefined();
    const [file] = created.data?.createManualReview.manualReview.evidence as Json[];
    expect(file).toMatchObject({ kind: 'FILE', name: 'ucp-logging.txt', sha256: upload.sha256, size: bytes.length });
    const download = await app.gateway.servicesFor(await graphql.principal({ name: 'bob-auditor', role: 'auditor' })).downloads.open(file!.downloadUrl);
    expect(download).toMatchObject({ fileName: 'ucp-logging.txt', contentType: 'text/plain' });
    expect(download.body.equals(bytes)).toBe(true);
  });

  it('once expired, the review stops applying: the rule is not checked again and the review shows as expired', async () => {
    // Time passes: the accepted review's expiry is moved into the past in the database.
    const sqlite = new SQLite(path.join(dir, 'plimsoll.db'));
    sqlite.prepare('UPDATE manual_review SET expires_at = ? WHERE id = ?').run('2020-01-01T00:00:00.000Z', reviewId);
    sqlite.close();
    const run = await assess();
    const r = resultOf(run, same.stigId);
    expect(r.status).toBe('not-checked');
    expect(r.attestation).toBeUndefined();
    expect(r.reviewNotes).toEqual([{ reviewId, why: 'expired', expiresAt: '2020-01-01T00:00:00.000Z', acceptedBy: OTHER_ADMIN.name }]);
    expect((await graphql.gql(ASSESSOR, 'query($id: String!) { manualReview(reviewId: $id) { status } }', { id: reviewId })).data?.manualReview.status).toBe('EXPIRED');
    const document = (await app.services.assessments.resultsDocument(run.id)) as Json;
    const finding = (document['assessment-results'].results[0].findings as Json[]).find((f) => f.props.some((p: Json) => p.name === 'stig-id' && p.value === same.stigId))!;
    expect(finding.props).toContainEqual(expect.objectContaining({ name: 'expired-review-id', value: reviewId }));
  });

  it('imports a STIG Viewer checklist a person filled in (CKLB of the last run) as reviews submitted by the importer', async () => {
    const last = await assess();
    const assessor = app.gateway.servicesFor(await graphql.principal(ASSESSOR));
    const rendered = await assessor.reports.render(last.id, 'cklb', { node: 'labelled' });
    const cklb = JSON.parse(new TextDecoder().decode(rendered.bytes)) as { stigs: { rules: { rule_version: string; status: string; comments: string }[] }[] };
    // A person answers the manual rule the expired review no longer answers.
    const rule = cklb.stigs[0]!.rules.find((r) => r.rule_version === same.stigId)!;
    expect(rule.status).toBe('not_reviewed');
    rule.status = 'not_applicable';
    rule.comments = 'No UCP in this enclave; checked with the ISSO.';
    const upload = await assessor.uploads.create({ name: 'labelled.cklb', bytes: Buffer.from(JSON.stringify(cklb)) });
    const IMPORT = 'mutation($i: ImportChecklistInput!) { importChecklist(input: $i) { format node submittedCount skippedCount } }';
    // Only the uploader can use the upload.
    expect((await graphql.gql(ADMIN, IMPORT, { i: { uploadId: upload.id } })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The checklist names the engine's host ("vm" here), not the node's name in Plimsoll: say which node.
    const node = (await app.services.nodes.find('labelled'))!;
    const imported = await graphql.gql(ASSESSOR, IMPORT, { i: { uploadId: upload.id, dockerNodeId: toGlobalId('DockerNode', node.id) } });
    expect(imported.errors?.map((e) => `${String(e.extensions?.code)}: ${e.message}`)).toBeUndefined();
    expect(imported.data?.importChecklist).toMatchObject({ format: 'CKLB', node: node.id, submittedCount: 1 });
    const reviews = await app.services.reviews.list({ status: 'submitted', stigId: same.stigId });
    expect(reviews.map((r) => [r.result, r.statement])).toEqual([['not-applicable', 'No UCP in this enclave; checked with the ISSO.']]);
  });
});
