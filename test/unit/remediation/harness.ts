/**
 * The remediation service over a real SQLite database (migrations, repositories, users and separation of
 * duties as wired in main.ts), with two hand-written parts that behave rather than replay: an engine that keeps
 * containers and a swarm and applies the updates it is sent (or fails them as told), and an assessment runner
 * that evaluates the real checks on that engine's state and stores the results through the real repository.
 */
import { randomUUID, createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DEFAULT_MILESTONE_POLICY } from '../../../src/domain/milestones.js';
import path from 'node:path';
import { targetIndexOf } from '../../../src/assessment/target-keys.js';
import { SeparationOfDuties } from '../../../src/auth/separation-of-duties.js';
import type { Check } from '../../../src/checks/check.js';
import { summarize } from '../../../src/domain/assessment.js';
import { principalOf, type Principal, type User } from '../../../src/domain/auth.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { ContainerUpdate } from '../../../src/domain/remediation.js';
import type { AssessmentService } from '../../../src/domain/services.js';
import { targetResultsOf } from '../../../src/assessment/target-results.js';
import type { RuleResult } from '../../../src/domain/results.js';
import { DefaultRemediationService } from '../../../src/remediation/remediation-service.js';
import type { UnlockKeySealer } from '../../../src/remediation/plan-applier.js';
import type { RunnerHost } from '../../../src/assessment/runner.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import type { EngineUpdateClient } from '../../../src/repositories/docker-client.js';
import { KyselyRemediationRepository } from '../../../src/repositories/remediation-repository.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { UserRepository } from '../../../src/repositories/user-repository.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';
import { COLLECTED_AT } from '../checks/facts-helpers.js';

const person = (id: string, name: string, role: User['role'], createdBy?: string): User => ({ id, name, role, kind: 'person', origin: 'admin', createdAt: '2024-12-01T00:00:00Z', ...(createdBy ? { createdBy } : {}) });
export const USERS: User[] = [person('u-carol', 'carol', 'admin'), person('u-dave', 'dave', 'admin'), person('u-alice', 'alice', 'assessor', 'u-carol'), person('u-carol-2', 'carol-2', 'admin', 'u-carol')];
export const as = (name: string): Principal => principalOf(USERS.find((u) => u.name === name)!, 'token');

export const NODE: DockerNode = { id: 'node-1', name: 'node one', endpoint: 'unix:///fake.sock', labels: {}, createdAt: '2024-12-01T00:00:00Z' };
export const DOCUMENT_ID = 'doc-1';

/** A failure an engine call is told to meet: a dockerode-shaped HTTP error behind the PlimsollError the client throws. */
export function httpFailure(statusCode: number): PlimsollError {
  return new PlimsollError(ErrorCode.NODE_UNREACHABLE, `Docker engine answered HTTP ${statusCode}`, [], { cause: Object.assign(new Error(`(HTTP code ${statusCode})`), { statusCode, json: { message: 'the engine says something we never keep' } }) });
}

/** An engine with containers (by id) and optionally a swarm; applies updates to them. */
export class FakeEngine implements EngineUpdateClient {
  readonly endpoint = NODE.endpoint;
  containers = new Map<string, ApiObject>();
  swarm: ApiObject | undefined;
  unlockKey = 'SWMKEY-1-fake-unlock-key-do-not-log';
  /** Fail the next update of these container ids (or the swarm: key `swarm`). */
  failures = new Map<string, PlimsollError>();
  calls: string[] = [];
  /** Fail every inspection with this (an engine that can't be read). */
  inspectFailure: PlimsollError | undefined;

  add(c: ContainerFacts): void {
    this.containers.set(c.id, structuredClone(c.inspect));
  }

  async inspectContainer(id: string): Promise<ApiObject> {
    this.calls.push(`inspect ${id}`);
    if (this.inspectFailure !== undefined) throw this.inspectFailure;
    const c = this.containers.get(id);
    if (c === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no container ${id}`);
    return structuredClone(c);
  }

  async updateContainer(id: string, update: ContainerUpdate): Promise<{ warnings: number }> {
    this.calls.push(`update ${id} ${JSON.stringify(update)}`);
    const failure = this.failures.get(id);
    if (failure !== undefined) throw failure;
    const c = this.containers.get(id);
    if (c === undefined) throw httpFailure(404);
    c.HostConfig = { ...(c.HostConfig as ApiObject), ...update };
    return { warnings: 0 };
  }

  async inspectSwarm(): Promise<ApiObject> {
    this.calls.push('inspect swarm');
    if (this.swarm === undefined) throw httpFailure(503);
    return structuredClone(this.swarm);
  }

  async updateSwarm(version: number, spec: ApiObject): Promise<void> {
    this.calls.push(`update swarm ${version}`);
    const failure = this.failures.get('swarm');
    if (failure !== undefined) throw failure;
    if (this.swarm === undefined) throw httpFailure(503);
    if ((this.swarm.Version as { Index: number }).Index !== version) throw httpFailure(500);
    this.swarm = { ...this.swarm, Spec: spec, Version: { Index: version + 1 } };
  }

  async swarmUnlockKey(): Promise<string> {
    this.calls.push('unlock key');
    return this.unlockKey;
  }

  /** The node's facts now, as a collection would find them. */
  facts(): NodeFacts {
    const containers = [...this.containers.entries()].map(([id, inspect]) => ({ id, name: String(inspect.Name).replace(/^\//, ''), image: 'plimsoll/busybox:test', inspect: structuredClone(inspect) }));
    const base: NodeFacts = { nodeId: NODE.id, nodeName: NODE.name, endpoint: NODE.endpoint, collectedAt: COLLECTED_AT, version: {}, info: { OSType: 'linux' }, containers };
    if (this.swarm === undefined) return base;
    return { ...base, swarm: { status: 'collected', data: { localNodeState: 'active', isManager: true, swarm: structuredClone(this.swarm), nodes: [], services: [], secrets: [], configs: [], tasks: [], networks: [] } } };
  }
}

/** A sealer like SecretBox (AES-256-GCM with the purpose as associated data), with a key of its own. */
export function testSealer(): UnlockKeySealer & { sealed: string[] } {
  const key = randomBytes(32);
  const sealed: string[] = [];
  return {
    sealed,
    seal(plain, purpose) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([c.update(plain), c.final()]);
      const out = `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
      sealed.push(out);
      return out;
    },
    open(value, purpose) {
      const raw = Buffer.from(value.slice(3), 'base64url');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(purpose));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    },
  };
}

export interface Harness {
  db: Db;
  engine: FakeEngine;
  service: DefaultRemediationService;
  repo: KyselyRemediationRepository;
  /** Stores a completed assessment of the engine's state now, as evaluated by `checks`; returns its id. */
  assess(actor?: Principal): Promise<string>;
  runs: string[];
}

/** The harness over a fresh database in `dir`. */
export async function remediationHarness(dir: string, checks: readonly Check[], options: { sealer?: UnlockKeySealer; runner?: RunnerHost; now?: () => Date } = {}): Promise<Harness> {
  const db = await openDatabase(path.join(dir, 'remediation.db'));
  const users = new UserRepository(db);
  for (const u of USERS) await users.insert(u);
  await seedDocument(db, benchmark(DOCUMENT_ID));
  const assessmentRepo = new KyselyAssessmentRepository(db);
  const targetResults = new KyselyTargetResultRepository(db);
  const engine = new FakeEngine();
  const runs: string[] = [];
  const assess = async (actor: Principal = as('alice')): Promise<string> => {
    const id = randomUUID();
    await assessmentRepo.createRunning({ id, benchmarkDocumentId: DOCUMENT_ID, nodes: [NODE], startedAt: COLLECTED_AT, startedBy: actor.name, runner: 'test:1' });
    const facts = engine.facts();
    await assessmentRepo.storeFacts({ id: randomUUID(), assessmentId: id, nodeId: NODE.id, collectedAt: COLLECTED_AT, sha256: 'x', facts });
    const index = targetIndexOf(facts);
    const results: RuleResult[] = checks.map((c) => {
      const o = c.evaluate(facts);
      return { nodeId: NODE.id, stigId: c.stigId, ruleId: `SV-${c.stigId}`, groupId: 'V-1', checkContentHash: 'h', title: c.title, severity: 'medium', status: o.status, message: o.message, observations: o.observations, controlIds: [], ccis: [], fixText: `Fix ${c.stigId}` };
    });
    const targets = results.flatMap((r) => targetResultsOf(r, NODE, index).map((t) => ({ ...t, collectedAt: COLLECTED_AT })));
    await assessmentRepo.complete(id, { finishedAt: COLLECTED_AT, summary: summarize(results), results, targets, resultsDocument: {}, planDocument: {} });
    runs.push(id);
    return id;
  };
  const assessments: Pick<AssessmentService, 'run' | 'targetResults' | 'assessedNode'> = {
    run: async (request, actor) => {
      if (request.nodes.join() !== NODE.id || request.benchmark !== DOCUMENT_ID) throw new Error(`unexpected re-assessment ${JSON.stringify(request)}`);
      return (await assessmentRepo.get(await assess(actor)))!;
    },
    targetResults: (id, filter, page) => targetResults.page(id, filter, page ?? {}),
    assessedNode: (id, nodeId) => assessmentRepo.findNode(id, nodeId),
  };
  const repo = new KyselyRemediationRepository(db);
  const service = new DefaultRemediationService({
    repo,
    assessmentRepo,
    targetResults,
    milestonePolicy: DEFAULT_MILESTONE_POLICY,
    library: { getRule: async () => undefined },
    separation: new SeparationOfDuties(users),
    nodes: { find: async (ref) => (ref === NODE.id ? NODE : undefined) },
    clients: () => engine,
    assessments,
    ...(options.sealer !== undefined ? { sealer: options.sealer } : {}),
    ...(options.runner !== undefined ? { runner: options.runner } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  return { db, engine, service, repo, assess, runs };
}
