/**
 * What the OSCAL plan and results of a finished run are built from: the run's benchmark, rules, nodes (with
 * their collection status and asset facts), results and per-target results, mapped to the reporting input.
 */
import type { AssessmentSummary, Assessment, NodeRunStatus } from '../domain/assessment.js';
import type { AssetFacts } from '../domain/asset.js';
import type { Principal } from '../domain/auth.js';
import type { BenchmarkProfile } from '../domain/content.js';
import type { FactsSnapshot, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { RuleResult } from '../domain/results.js';
import type { StoredBenchmark, StoredRule } from '../domain/services.js';
import type { TargetResult } from '../domain/target-results.js';
import type { AssessmentReportInput } from '../reporting/oscal-ar-builder.js';
import { type CheckCatalog, type ControlLookup, controlIdsOf } from './evaluate.js';

/** How one node of a run went. */
export interface NodeRun {
  node: DockerNode;
  status: NodeRunStatus;
  snapshot?: FactsSnapshot;
  /** Effective asset facts (overrides applied) at the run. */
  asset?: AssetFacts;
  /** The collector's error, for a failed node. */
  error?: unknown;
}

/** A finished run, as the service holds it. */
export interface FinishedRun {
  id: string;
  benchmark: StoredBenchmark;
  profile: BenchmarkProfile | undefined;
  rules: readonly StoredRule[];
  nodes: readonly NodeRun[];
  results: readonly RuleResult[];
  targets: readonly TargetResult[];
  summary: AssessmentSummary;
  startedAt: string;
  finishedAt: string;
  actor: Principal;
  tool: { name: string; version: string };
}

function engineVersion(facts: NodeFacts): string | undefined {
  const v = facts.version.Version;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The reporting input of a finished run. */
export function reportInputOf(run: FinishedRun, checks: CheckCatalog, controls: ControlLookup): AssessmentReportInput {
  const b = run.benchmark;
  const assessment: Assessment = {
    id: run.id,
    status: 'completed',
    benchmarkDocumentId: b.documentId,
    benchmarkId: b.id,
    benchmarkTitle: b.title,
    benchmarkVersion: b.version,
    ...(b.release !== undefined ? { benchmarkRelease: b.release } : {}),
    ...(run.profile !== undefined ? { profileId: run.profile.id } : {}),
    nodeIds: run.nodes.map((n) => n.node.id),
    nodes: run.nodes.map((n) => ({ nodeId: n.node.id, name: n.node.name, endpoint: n.node.endpoint, status: n.status, ...(n.asset !== undefined ? { asset: n.asset } : {}) })),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    startedBy: run.actor.name,
    summary: run.summary,
  };
  return {
    assessment,
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
    ...(run.profile !== undefined ? { profile: { id: run.profile.id, title: run.profile.title } } : {}),
    rules: run.rules.map((r) => ({
      ruleId: r.ruleId,
      stigId: r.stigId,
      title: r.title,
      severity: r.severity,
      checkContent: r.checkContent,
      automated: checks.checkFor(r.stigId) !== undefined,
      controlIds: controlIdsOf(controls(r.ccis)),
    })),
    results: run.results,
    targets: run.targets,
    nodes: run.nodes.map(({ node, snapshot, status, asset }) => {
      const version = snapshot ? engineVersion(snapshot.facts) : undefined;
      return {
        id: node.id,
        name: node.name,
        endpoint: node.endpoint,
        status,
        ...(snapshot !== undefined ? { collectedAt: snapshot.collectedAt, factsSha256: snapshot.sha256 } : {}),
        ...(version !== undefined ? { engineVersion: version } : {}),
        ...(asset !== undefined ? { asset } : {}),
      };
    }),
    actor: { name: run.actor.name, role: run.actor.role },
    tool: run.tool,
  };
}
