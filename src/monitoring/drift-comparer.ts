/**
 * Compares one node in two stored runs: reads each side once (per-target statuses, the facts snapshot), runs
 * the per-target comparison, then reads only what the changes need (the observations of changed rows, those of
 * targets whose configuration changed) to name the fields. Used by the per-run recorder and by ad-hoc diffs.
 */
import type { Assessment } from '../domain/assessment.js';
import { DRIFT_CHANGE_KINDS, type DriftChange, type TargetState } from '../domain/drift.js';
import type { NodeFacts } from '../domain/facts.js';
import type { DriftSourceRepository } from '../repositories/drift-source-repository.js';
import { targetIdOf } from '../repositories/drift-source-repository.js';
import { compareTargets, transitionFields, type RuleEntry } from './drift-engine.js';
import { diffProjections, evidenceChanges, type FieldReaders } from './drift-evidence.js';
import { collectedKindsOf, projectFacts } from './drift-projection.js';

/** One node of one run, as read for comparing. */
export interface RunSide {
  run: Assessment;
  nodeId: string;
  nodeName: string;
  /** Every per-target result of the node, or (with `rules`) those of the targets that differ from the other run. */
  states: TargetState[];
  rules?: ReadonlyMap<string, RuleEntry>;
  /** Absent when the node was not collected in this run. */
  facts?: { sha256: string; facts: NodeFacts };
}

const KIND_ORDER = new Map<string, number>(DRIFT_CHANGE_KINDS.map((k, i) => [k, i]));

/** Changes in report order: by kind (regressions first), then as found (target and rule order). */
export function orderChanges(changes: DriftChange[]): DriftChange[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => KIND_ORDER.get(a.c.kind)! - KIND_ORDER.get(b.c.kind)! || a.i - b.i)
    .map((x) => x.c);
}

export class DriftComparer {
  constructor(private readonly source: DriftSourceRepository) {}

  /**
   * One node of two runs, read for comparing them: the database finds the targets whose verdicts differ (from
   * an index), and only those targets' results are read, with every rule's summary and both facts snapshots.
   * Comparing them gives what comparing every result would.
   */
  async sides(old: Assessment, now: Assessment, nodeId: string): Promise<[RunSide, RunSide]> {
    const [gone, differ, oldFacts, newFacts, oldSummary, newSummary] = await Promise.all([
      this.source.differingTargets(old.id, now.id, nodeId),
      this.source.differingTargets(now.id, old.id, nodeId),
      this.source.facts(old.id, nodeId),
      this.source.facts(now.id, nodeId),
      this.source.ruleSummary(old.id, nodeId),
      this.source.ruleSummary(now.id, nodeId),
    ]);
    const targets = [...new Map([...gone, ...differ].map((t) => [targetIdOf(t.kind, t.key), t])).values()];
    // Rule ids are only named by rules in one run (added or removed); transitions carry their rows' own.
    const onlyIn = (a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): string[] => [...a.keys()].filter((k) => !b.has(k));
    const [oldStates, newStates, oldIds, newIds] = await Promise.all([
      this.source.targetStatesOf(old.id, nodeId, targets),
      this.source.targetStatesOf(now.id, nodeId, targets),
      this.source.ruleIds(old.id, nodeId, onlyIn(oldSummary, newSummary)),
      this.source.ruleIds(now.id, nodeId, onlyIn(newSummary, oldSummary)),
    ]);
    const withIds = (summary: typeof oldSummary, ids: ReadonlyMap<string, string>): Map<string, RuleEntry> =>
      new Map([...summary].map(([stigId, r]) => [stigId, { ...r, ruleId: ids.get(stigId) ?? '' }]));
    const [oldRules, newRules] = [withIds(oldSummary, oldIds), withIds(newSummary, newIds)];
    const sideOf = (run: Assessment, states: TargetState[], rules: ReadonlyMap<string, RuleEntry>, facts: RunSide['facts']): RunSide => ({
      run, nodeId, nodeName: run.nodes.find((n) => n.nodeId === nodeId)?.name ?? nodeId, states, rules, ...(facts !== undefined ? { facts } : {}),
    });
    return [sideOf(old, oldStates, oldRules, oldFacts), sideOf(now, newStates, newRules, newFacts)];
  }

  /** The changes of a node collected in both runs (target transitions, presence, evidence, rules), in report order. */
  async compare(old: RunSide, now: RunSide): Promise<DriftChange[]> {
    if (old.facts === undefined || now.facts === undefined) throw new Error(`node ${now.nodeId} was not collected in both runs`);
    const result = compareTargets(
      { nodeId: old.nodeId, nodeName: old.nodeName, states: old.states, collectedKinds: collectedKindsOf(old.facts.facts), ...(old.rules !== undefined ? { rules: old.rules } : {}) },
      { nodeId: now.nodeId, nodeName: now.nodeName, states: now.states, collectedKinds: collectedKindsOf(now.facts.facts), ...(now.rules !== undefined ? { rules: now.rules } : {}) },
    );
    const ids = result.transitions.flatMap((t) => [t.oldId, t.newId]).filter((id): id is number => id !== undefined);
    const observations = await this.source.observations(ids);
    for (const t of result.transitions) {
      t.change.fields = transitionFields(t.change, observations.get(t.oldId ?? -1) ?? [], observations.get(t.newId ?? -1) ?? []);
    }
    const evidence = old.facts.sha256 === now.facts.sha256 ? [] : await this.evidence(old, now);
    return orderChanges([...result.transitions.map((t) => t.change), ...result.presence, ...evidence, ...result.rules]);
  }

  /**
   * The evidence changes of the targets whose configuration differs, each with the rules reading the field: the
   * results of those targets (both runs; their verdicts may not have changed) and then their observations.
   */
  private async evidence(old: RunSide, now: RunSide) {
    const diffs = diffProjections(projectFacts(old.facts!.facts), projectFacts(now.facts!.facts));
    if (diffs.length === 0) return [];
    const targets = diffs.map((d) => ({ kind: d.target.kind, key: d.target.key }));
    const [before, after] = await Promise.all([this.source.targetStatesOf(old.run.id, old.nodeId, targets), this.source.targetStatesOf(now.run.id, now.nodeId, targets)]);
    const rows = [...before, ...after];
    const observations = await this.source.observations(rows.map((s) => s.id));
    const byTarget = new Map<string, { stigId: string; field: string }[]>();
    for (const s of rows) {
      const id = targetIdOf(s.kind, s.key);
      const list = byTarget.get(id) ?? [];
      for (const o of observations.get(s.id) ?? []) list.push({ stigId: s.stigId, field: o.field });
      byTarget.set(id, list);
    }
    const readers = (t: { kind: string; key: string }): FieldReaders => byTarget.get(targetIdOf(t.kind, t.key)) ?? [];
    return evidenceChanges({ nodeId: now.nodeId, nodeName: now.nodeName }, diffs, readers);
  }
}
