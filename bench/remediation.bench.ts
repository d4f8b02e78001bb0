/**
 * Remediation plans at fleet size, on a temp SQLite file: an assessment of one node with N containers, each
 * failing the four in-place rules (memory, PIDs limit, CPU shares, restart policy), evaluated by the real checks
 * and stored through the real repositories; then the plan proposed from it (4N items), a dry run (4N preflights)
 * and an application that records its N reads and 4N changes (each change before it is sent and after). The engine is in memory, so
 * the numbers are Plimsoll's own cost (reading failures and facts, building and storing items, recording calls);
 * a real engine adds its round trips, and the re-assessment after applying (an assessment benchmark of its own)
 * is left out.
 */
import fs from 'node:fs';
import { DEFAULT_MILESTONE_POLICY } from '../src/domain/milestones.js';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { targetIndexOf } from '../src/assessment/target-keys.js';
import { targetResultsOf } from '../src/assessment/target-results.js';
import { SeparationOfDuties } from '../src/auth/separation-of-duties.js';
import { cpuSharesCheck } from '../src/checks/containers/host-resource-rules.js';
import { restartPolicyCheck } from '../src/checks/containers/lifecycle-rules.js';
import { memoryLimitCheck, pidsLimitCheck } from '../src/checks/resources.js';
import { summarize } from '../src/domain/assessment.js';
import type { Principal } from '../src/domain/auth.js';
import { ErrorCode, PlimsollError } from '../src/domain/errors.js';
import type { ApiObject, NodeFacts } from '../src/domain/facts.js';
import type { RuleResult } from '../src/domain/results.js';
import { DefaultRemediationService } from '../src/remediation/remediation-service.js';
import { KyselyAssessmentRepository } from '../src/repositories/assessment-repository.js';
import { openDatabase } from '../src/repositories/database/database.js';
import type { EngineUpdateClient } from '../src/repositories/docker-client.js';
import { KyselyRemediationRepository } from '../src/repositories/remediation-repository.js';
import { KyselyTargetResultRepository } from '../src/repositories/target-result-repository.js';
import { UserRepository } from '../src/repositories/user-repository.js';

export interface RemediationMeasure {
  containers: number;
  items: number;
  proposeMs: number;
  dryRunMs: number;
  applyMs: number;
  /** Calls recorded by the application: one read per container, then one change per item. */
  recordedCalls: number;
}

const NODE = { id: 'node-1', name: 'bench node', endpoint: 'unix:///bench.sock', labels: {}, createdAt: '2025-01-01T00:00:00Z' };
const AT = '2025-01-01T00:00:00.000Z';
const CHECKS = [memoryLimitCheck, pidsLimitCheck, cpuSharesCheck, restartPolicyCheck];

function inspectOf(i: number): ApiObject {
  return {
    Id: `c${String(i).padStart(63, "0")}`,
    Name: `/app-${i}`,
    Config: { Image: 'app:1', Labels: {} },
    State: { Running: true },
    HostConfig: { Memory: 0, MemorySwap: 0, PidsLimit: null, CpuShares: 0, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } },
  };
}

/** An engine holding the containers in memory and applying updates to them. */
function memoryEngine(containers: Map<string, ApiObject>): EngineUpdateClient {
  return {
    endpoint: NODE.endpoint,
    inspectContainer: async (id) => {
      const c = containers.get(id);
      if (c === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, id);
      return structuredClone(c);
    },
    updateContainer: async (id, update) => {
      const c = containers.get(id)!;
      c.HostConfig = { ...(c.HostConfig as ApiObject), ...update };
      return { warnings: 0 };
    },
    inspectSwarm: async () => ({}),
    updateSwarm: async () => undefined,
    swarmUnlockKey: async () => '',
  };
}

const person = (id: string, name: string, role: 'admin' | 'assessor'): Principal => ({ userId: id, name, role, kind: 'person', via: 'token' });

/** Proposes, dry-runs and applies a plan for `containers` containers failing four rules each. */
export async function benchRemediation(containers: number): Promise<RemediationMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-remediation-bench-'));
  const db = await openDatabase(path.join(dir, 'bench.db'));
  try {
    const users = new UserRepository(db);
    for (const [id, name, role] of [['u-a', 'alice', 'assessor'], ['u-c', 'carol', 'admin'], ['u-d', 'dave', 'admin']] as const) {
      await users.insert({ id, name, role, kind: 'person', origin: 'admin', createdAt: AT });
    }
    await db.insertInto('document').values({ id: 'doc', kind: 'benchmark', doc_id: 'b', title: 't', version: '2', release: '2', release_date: null, oscal_version: null, source_file: 'f', sha256: 's', counts_json: '{}', meta_json: '{"profiles":[]}', imported_at: AT, imported_by: 'bench' }).execute();
    const state = new Map(Array.from({ length: containers }, (_, i) => [String(inspectOf(i).Id), inspectOf(i)]));
    const facts: NodeFacts = {
      nodeId: NODE.id, nodeName: NODE.name, endpoint: NODE.endpoint, collectedAt: AT, version: {}, info: { OSType: 'linux' },
      containers: [...state.values()].map((inspect) => ({ id: String(inspect.Id), name: String(inspect.Name).slice(1), image: 'app:1', inspect })),
    };
    const assessments = new KyselyAssessmentRepository(db);
    const assessmentId = randomUUID();
    await assessments.createRunning({ id: assessmentId, benchmarkDocumentId: 'doc', nodes: [NODE], startedAt: AT, startedBy: 'alice', runner: 'bench:1' });
    await assessments.storeFacts({ id: randomUUID(), assessmentId, nodeId: NODE.id, collectedAt: AT, sha256: 'x', facts });
    const index = targetIndexOf(facts);
    const results: RuleResult[] = CHECKS.map((c) => {
      const o = c.evaluate(facts);
      return { nodeId: NODE.id, stigId: c.stigId, ruleId: c.stigId, groupId: 'V', checkContentHash: 'h', title: c.title, severity: 'medium', status: o.status, message: o.message, observations: o.observations, controlIds: [], ccis: [], fixText: 'fix' };
    });
    const targets = results.flatMap((r) => targetResultsOf(r, NODE, index).map((t) => ({ ...t, collectedAt: AT })));
    await assessments.complete(assessmentId, { finishedAt: AT, summary: summarize(results), results, targets, resultsDocument: {}, planDocument: {} });

    const service = new DefaultRemediationService({
      repo: new KyselyRemediationRepository(db),
      assessmentRepo: assessments,
      milestonePolicy: DEFAULT_MILESTONE_POLICY,
      targetResults: new KyselyTargetResultRepository(db),
      library: { getRule: async () => undefined },
      separation: new SeparationOfDuties(users),
      nodes: { find: async () => NODE },
      clients: () => memoryEngine(state),
      // The re-assessment is an assessment benchmark of its own.
      assessments: { run: async () => Promise.reject(new PlimsollError(ErrorCode.INTERNAL, 'not measured here')), targetResults: async () => Promise.reject(new Error('unused')), assessedNode: async () => undefined },
    });
    let start = performance.now();
    const plan = await service.propose({ assessmentId, memory: '256m', pidsLimit: 100 }, person('u-a', 'alice', 'assessor'));
    const proposeMs = performance.now() - start;
    await service.approve(plan.id, person('u-c', 'carol', 'admin'));
    start = performance.now();
    const dry = await service.apply(plan.id, {}, person('u-d', 'dave', 'admin'));
    const dryRunMs = performance.now() - start;
    start = performance.now();
    const applied = await service.apply(plan.id, { dryRun: false }, person('u-d', 'dave', 'admin'));
    const applyMs = performance.now() - start;
    if (plan.counts.engine !== 4 * containers || dry.calls.length !== 4 * containers || applied.plan.lifecycle.status !== 'applied') {
      throw new Error(`remediation benchmark: unexpected plan (${plan.counts.engine} items, ${dry.calls.length} planned calls, ${applied.plan.lifecycle.status})`);
    }
    if (applied.calls.length !== 5 * containers) throw new Error(`remediation benchmark: ${applied.calls.length} calls recorded, expected ${5 * containers}`);
    return { containers, items: plan.counts.engine, proposeMs: Math.round(proposeMs), dryRunMs: Math.round(dryRunMs), applyMs: Math.round(applyMs), recordedCalls: applied.calls.length };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
