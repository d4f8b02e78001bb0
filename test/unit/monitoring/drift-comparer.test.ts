/**
 * The narrowed comparison (the database finds the targets whose verdicts differ, only those are read) against
 * the full one (every per-target result of both runs read), on real SQLite through the real repositories: for
 * random pairs of runs (statuses, exemptions, targets and rules in one run only, configuration changes) both give
 * the same changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerKey } from '../../../src/assessment/target-keys.js';
import type { Assessment, AssessmentSummary } from '../../../src/domain/assessment.js';
import { canonicalSha256 } from '../../../src/domain/canonical-json.js';
import type { ApiObject, NodeFacts } from '../../../src/domain/facts.js';
import type { TargetStatus } from '../../../src/domain/target-results.js';
import { DriftComparer, type RunSide } from '../../../src/monitoring/drift-comparer.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import type { NewTargetResult } from '../../../src/repositories/assessment/target-result-rows.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyDriftSourceRepository } from '../../../src/repositories/drift-source-repository.js';
import { tempDir } from '../../harness/content.js';
import { seededRandom as random } from '../../harness/seeded-random.js';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = tempDir('plimsoll-drift-comparer-');
  db = await openDatabase(path.join(dir, 'drift.db'));
  // The runs reference no stored benchmark document: the comparison never reads it.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
});
afterAll(async () => {
  await db?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const STATUSES: TargetStatus[] = ['pass', 'pass', 'pass', 'fail', 'error', 'not-applicable'];
/** A rule's severity differs between rules and between the two runs (a new release may change it). */
const SEVERITIES = ['high', 'medium', 'low', 'unknown'] as const;

async function storeRun(repo: KyselyAssessmentRepository, id: string, rnd: () => number, names: string[], rules: string[]): Promise<Assessment> {
  const at = `2026-01-0${id.endsWith('1') ? 1 : 2}T00:00:00.000Z`;
  await repo.createRunning({ id, benchmarkDocumentId: 'doc', nodes: [{ id: 'n1', name: 'local', endpoint: 'unix:///x.sock' }], startedAt: at, startedBy: 'test', runner: 'test' });
  const containers = names.map((name) => {
    const inspect: ApiObject = {
      Id: `${name}-${id}`, Name: `/${name}`, Config: { Image: 'busybox', Env: [`K=${rnd() < 0.2 ? 'b' : 'a'}`] }, HostConfig: { PidMode: rnd() < 0.2 ? 'host' : '', Memory: rnd() < 0.2 ? 0 : 64, CapAdd: name.endsWith('7') && id.endsWith('2') ? ['SYS_ADMIN'] : null },
      Mounts: [{ Type: 'volume', Name: `data-${name}`, Destination: '/data', RW: !(name.endsWith('3') && id.endsWith('2')) }],
    };
    return { id: `${name}-${id}`, name, image: 'busybox', inspect };
  });
  const facts: NodeFacts = { nodeId: 'n1', nodeName: 'local', endpoint: 'unix:///x.sock', collectedAt: at, version: {}, info: {}, containers };
  await repo.storeFacts({ id: `${id}-facts`, assessmentId: id, nodeId: 'n1', collectedAt: at, sha256: canonicalSha256(facts), facts });
  const targets: NewTargetResult[] = [];
  for (const c of containers) {
    for (const stigId of rules) {
      const status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
      const field = stigId.endsWith('1') ? 'HostConfig.PidMode' : 'HostConfig.Memory';
      targets.push({
        nodeId: 'n1', ruleId: `SV-${stigId}`, stigId, checkContentHash: 'h', severity: SEVERITIES[(id.charCodeAt(id.length - 1) + stigId.charCodeAt(stigId.length - 1)) % SEVERITIES.length]!,
        target: { kind: 'container', key: containerKey(c.name, c.inspect), id: c.id, name: c.name },
        status, message: `${status} here`, ...(status === 'fail' && rnd() < 0.3 ? { exemptedBy: rnd() < 0.5 ? 'ex-1' : 'ex-2' } : {}),
        observations: [{ target: { kind: 'container', id: c.id, name: c.name }, field, value: 1, expected: 'x', verdict: status === 'fail' ? 'fail' : 'pass', message: '', collectedAt: at }],
        collectedAt: at,
      });
    }
  }
  const summary = { counts: {}, failedBySeverity: { high: 0, medium: 0, low: 0, unknown: 0 } } as unknown as AssessmentSummary;
  await repo.complete(id, { finishedAt: at, summary, results: [], targets, resultsDocument: {}, planDocument: {} });
  // What the comparer reads of a run (the stored one joins a benchmark document these runs do not have).
  return { id, nodes: [{ nodeId: 'n1', name: 'local' }] } as unknown as Assessment;
}

/** The two runs of a seed, stored once (the golden test and the property test read the same pairs). */
const pairs = new Map<number, Promise<[Assessment, Assessment]>>();
function pair(seed: number): Promise<[Assessment, Assessment]> {
  let p = pairs.get(seed);
  if (p === undefined) {
    const rnd = random(seed);
    const repo = new KyselyAssessmentRepository(db);
    const names = Array.from({ length: 40 }, (_, i) => `c${i}`);
    p = (async (): Promise<[Assessment, Assessment]> => {
      const first = await storeRun(repo, `s${seed}-run-1`, rnd, names.filter(() => rnd() < 0.9), ['R-1', 'R-2', 'R-3', 'R-OLD']);
      const second = await storeRun(repo, `s${seed}-run-2`, rnd, names.filter(() => rnd() < 0.9), ['R-1', 'R-2', 'R-3', 'R-NEW']);
      return [first, second];
    })();
    pairs.set(seed, p);
  }
  return p;
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** One node of a run read whole (every per-target result and the facts): what the narrowed reading must equal. */
async function wholeSide(source: KyselyDriftSourceRepository, run: Assessment, nodeId: string): Promise<RunSide> {
  const [states, facts] = await Promise.all([source.targetStates(run.id, nodeId), source.facts(run.id, nodeId)]);
  return { run, nodeId, nodeName: run.nodes.find((n) => n.nodeId === nodeId)?.name ?? nodeId, states, ...(facts !== undefined ? { facts } : {}) };
}
const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/drift/comparer-golden.json');

describe('DriftComparer', () => {
  it.each(SEEDS)('the narrowed comparison equals the full one (seed %i)', async (seed) => {
    const [first, second] = await pair(seed);
    const source = new KyselyDriftSourceRepository(db);
    const comparer = new DriftComparer(source);
    const full = await comparer.compare(await wholeSide(source, first, 'n1'), await wholeSide(source, second, 'n1'));
    const narrowed = await comparer.compare(...(await comparer.sides(first, second, 'n1')));
    expect(narrowed).toEqual(full);
    // The scenario is rich enough to mean something.
    const kinds = new Set(full.map((c) => c.kind));
    for (const k of ['regression', 'remediation', 'target-appeared', 'target-disappeared', 'evidence-changed', 'rule-added', 'rule-removed'] as const) expect(kinds, k).toContain(k);
  });

  // Recorded before the comparison was made faster (one index scan per side instead of four queries, cheaper
  // evidence equality): the output must stay exactly what it was. Regenerate with PLIMSOLL_UPDATE_GOLDEN=1 only
  // for an intended change of the output.
  it('gives exactly the recorded changes for every seed (golden)', async () => {
    const comparer = new DriftComparer(new KyselyDriftSourceRepository(db));
    const got: Record<string, unknown> = {};
    for (const seed of SEEDS) {
      const [first, second] = await pair(seed);
      got[String(seed)] = await comparer.compare(...(await comparer.sides(first, second, 'n1')));
    }
    if (process.env.PLIMSOLL_UPDATE_GOLDEN === '1') {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    }
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(fs.readFileSync(GOLDEN, 'utf8')));
  });
});
