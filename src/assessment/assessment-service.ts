/**
 * Assessment runs: resolve the benchmark, profile and nodes; record a `running` assessment; collect
 * one inventory per node (stored with its sha256); evaluate every selected rule in memory; build and
 * validate the OSCAL assessment results; store results, summary and document in one transaction;
 * write `assessment-results.json` when asked. A run that can't finish is marked `failed` with its
 * error before the error propagates; a run whose process died is marked `interrupted` at the next
 * start (see runner.ts for the policy).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { packageInfo } from '../config/package-info.js';
import { type AssessmentSummary, summarize, type Assessment, type AssessmentWithResults } from '../domain/assessment.js';
import type { Principal } from '../domain/auth.js';
import { canonicalSha256 } from '../domain/canonical-json.js';
import { isPlimsollError, PlimsollError } from '../domain/errors.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { RuleResult } from '../domain/results.js';
import type {
  AssessmentRequest,
  AssessmentService,
  FactsCollector,
  ImportService,
  LibraryService,
  ListOptions,
  NodeService,
  Page,
  StoredBenchmark,
} from '../domain/services.js';
import type { AssessmentResultsWriter } from '../reporting/oscal-ar-writer.js';
import type { AssessmentResultsDocument } from '../reporting/oscal-values.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import { applyExemptions, type ExemptionSource } from './apply-exemptions.js';
import { type CheckCatalog, controlLookupFrom, evaluateNode, selectRules } from './evaluate.js';
import { interruptionReason, localRunnerHost, type RunnerHost, runnerIdOf } from './runner.js';
import { type FileProbe, resolveBenchmark, resolveNodes, resolveProfile } from './targets.js';

export interface AssessmentServiceDeps {
  repo: AssessmentRepository;
  library: LibraryService;
  imports: ImportService;
  nodes: NodeService;
  collector: FactsCollector;
  checks: CheckCatalog;
  writer: AssessmentResultsWriter;
  /** Approved exemptions, applied to the results before the document is built; absent: none apply. */
  exemptions?: ExemptionSource;
}

export interface AssessmentServiceOptions {
  /** Clock (default: now). */
  now?: () => Date;
  /** Id generator of assessments and facts snapshots (default crypto.randomUUID). */
  newId?: () => string;
  /** This process as a runner (default: the local host and pid). */
  runner?: RunnerHost;
  /** Existence of benchmark files (default: the local filesystem). */
  files?: FileProbe;
  /** Name and version of the tool, as the OSCAL documents name it (default: Plimsoll at its package.json version). */
  tool?: { name: string; version: string };
}

const localFiles: FileProbe = {
  async isFile(p) {
    try {
      return (await fs.stat(p)).isFile();
    } catch {
      return false;
    }
  },
};

function errorMessage(e: unknown): string {
  if (isPlimsollError(e) || e instanceof Error) return e.message;
  return String(e);
}

function engineVersion(facts: NodeFacts): string | undefined {
  const v = facts.version.Version;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** AssessmentService over the library, nodes, a facts collector, the checks and a repository. */
export class DefaultAssessmentService implements AssessmentService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly runner: RunnerHost;
  private readonly files: FileProbe;
  private readonly tool: { name: string; version: string };
  /** Runs in progress in this process, never marked interrupted. */
  private readonly active = new Set<string>();

  constructor(
    private readonly deps: AssessmentServiceDeps,
    options: AssessmentServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.runner = options.runner ?? localRunnerHost();
    this.files = options.files ?? localFiles;
    this.tool = options.tool ?? { name: 'Plimsoll', version: packageInfo(path.dirname(fileURLToPath(import.meta.url))).version };
  }

  async run(request: AssessmentRequest, actor: Principal): Promise<AssessmentWithResults> {
    const { library, imports, nodes, repo } = this.deps;
    const benchmark = await resolveBenchmark(request.benchmark, { library, imports, files: this.files }, actor);
    const profile = resolveProfile(benchmark, request.profileId);
    const targets = await resolveNodes(request.nodes, nodes, actor);
    const rules = selectRules((await library.listRules(benchmark.documentId)).items, profile);
    const mappings = await library.mapCcisToControls([...new Set(rules.flatMap((r) => r.ccis))]);
    const controls = controlLookupFrom(mappings);

    const id = this.newId();
    const startedAt = this.now().toISOString();
    await repo.createRunning({
      id,
      benchmarkDocumentId: benchmark.documentId,
      ...(profile !== undefined ? { profileId: profile.id } : {}),
      nodeIds: targets.map((n) => n.id),
      startedAt,
      startedBy: actor.name,
      runner: runnerIdOf(this.runner),
    });
    this.active.add(id);
    try {
      const snapshots = await this.collectAll(id, targets);
      const evaluated = snapshots.flatMap((s) => evaluateNode(rules, s.facts, this.deps.checks, controls));
      const exemptions = (await this.deps.exemptions?.listApproved()) ?? [];
      const evaluatedAt = this.now();
      const results = applyExemptions(evaluated, exemptions, { now: evaluatedAt, nodes: targets, facts: snapshots.map((s) => s.facts) });
      const finishedAt = evaluatedAt.toISOString();
      const summary = summarize(results);
      const document = this.render({ id, benchmark, profileId: profile?.id, targets, snapshots, results, summary, startedAt, finishedAt, actor });
      await repo.complete(id, { finishedAt, summary, results, resultsDocument: document });
      if (request.outDir !== undefined) await this.deps.writer.writeToDirectory(document, request.outDir);
    } catch (e) {
      // Completed runs stay completed (a failed file write is reported, the stored results remain).
      await repo.fail(id, errorMessage(e), this.now().toISOString()).catch(() => false);
      throw e;
    } finally {
      this.active.delete(id);
    }
    const stored = await repo.get(id);
    if (stored === undefined) throw new Error(`assessment ${id} vanished after completion`);
    return stored;
  }

  list(page?: ListOptions): Promise<Page<Assessment>> {
    return this.deps.repo.list(page);
  }

  get(id: string): Promise<AssessmentWithResults | undefined> {
    return this.deps.repo.get(id);
  }

  resultsDocument(id: string): Promise<unknown | undefined> {
    return this.deps.repo.resultsDocument(id);
  }

  async markInterrupted(): Promise<number> {
    const running = await this.deps.repo.listRunning();
    const runs: { id: string; error: string }[] = [];
    for (const r of running) {
      const reason = interruptionReason(r.runner, this.runner, this.active.has(r.id));
      if (reason !== undefined) runs.push({ id: r.id, error: reason });
    }
    return this.deps.repo.markInterrupted(runs, this.now().toISOString());
  }

  /**
   * Collects every node concurrently and stores each snapshot. When any node fails, the snapshots of
   * the others stay stored and the first error (naming its endpoint) is thrown with all messages.
   */
  private async collectAll(assessmentId: string, targets: readonly DockerNode[]): Promise<FactsSnapshot[]> {
    const settled = await Promise.allSettled(targets.map((n) => this.deps.collector.collect(n)));
    const snapshots: FactsSnapshot[] = [];
    const failures: unknown[] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === 'rejected') {
        failures.push(s.reason);
        continue;
      }
      // The snapshot belongs to the node it was collected from, whatever the collector wrote into it.
      const facts: NodeFacts = { ...s.value, nodeId: targets[i]!.id };
      const snapshot: FactsSnapshot = { id: this.newId(), assessmentId, nodeId: facts.nodeId, collectedAt: facts.collectedAt, sha256: canonicalSha256(facts), facts };
      await this.deps.repo.storeFacts(snapshot);
      snapshots.push(snapshot);
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      const first = failures[0];
      const all = failures.map(errorMessage).join('; ');
      throw isPlimsollError(first) ? new PlimsollError(first.code, all, first.problems, { cause: first }) : new Error(all, { cause: first });
    }
    return snapshots;
  }

  private render(run: {
    id: string;
    benchmark: StoredBenchmark;
    profileId: string | undefined;
    targets: readonly DockerNode[];
    snapshots: readonly FactsSnapshot[];
    results: RuleResult[];
    summary: AssessmentSummary;
    startedAt: string;
    finishedAt: string;
    actor: Principal;
  }): AssessmentResultsDocument {
    const b = run.benchmark;
    const byNode = new Map(run.snapshots.map((s) => [s.nodeId, s]));
    const assessment: Assessment = {
      id: run.id,
      status: 'completed',
      benchmarkDocumentId: b.documentId,
      benchmarkId: b.id,
      benchmarkTitle: b.title,
      benchmarkVersion: b.version,
      ...(b.release !== undefined ? { benchmarkRelease: b.release } : {}),
      ...(run.profileId !== undefined ? { profileId: run.profileId } : {}),
      nodeIds: run.targets.map((n) => n.id),
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      startedBy: run.actor.name,
      summary: run.summary,
    };
    const profile = b.profiles.find((p) => p.id === run.profileId);
    return this.deps.writer.render({
      assessment,
      results: run.results,
      benchmark: {
        documentId: b.documentId,
        benchmarkId: b.id,
        title: b.title,
        version: b.version,
        ...(b.release !== undefined ? { release: b.release } : {}),
        ...(b.releaseDate !== undefined ? { releaseDate: b.releaseDate } : {}),
        sourceFile: b.sourceFile,
        sha256: b.sha256,
      },
      ...(profile !== undefined ? { profile: { id: profile.id, title: profile.title } } : {}),
      nodes: run.targets.map((n) => {
        const s = byNode.get(n.id);
        const version = s ? engineVersion(s.facts) : undefined;
        return {
          id: n.id,
          name: n.name,
          endpoint: n.endpoint,
          ...(s !== undefined ? { collectedAt: s.collectedAt, factsSha256: s.sha256 } : {}),
          ...(version !== undefined ? { engineVersion: version } : {}),
        };
      }),
      actor: { name: run.actor.name, role: run.actor.role },
      tool: this.tool,
    });
  }
}
