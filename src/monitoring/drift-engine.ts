/**
 * The per-target comparison of one node in two runs (pure): targets matched by kind and stable key, rules by
 * STIG id. Targets of a kind whose inventory part was not collected on a side (the engine's images, the swarm's
 * services, the host's files) are unknown there, not absent: their rules are `error` on that side (the node-level
 * row says why), so they never show as disappeared or appeared, and only a failure on the known side is reported.
 */
import type { DriftField, DriftStatus, DriftTarget, RulePresenceChange, TargetPresenceChange, TargetState, TransitionChange, TransitionKind } from '../domain/drift.js';
import type { Observation, Severity } from '../domain/results.js';
import type { AssessedTargetKind } from '../domain/target-results.js';

/** One node's results in one run. */
export interface NodeSide {
  nodeId: string;
  nodeName: string;
  states: readonly TargetState[];
  /** Kinds whose inventory part was collected on this side. */
  collectedKinds: ReadonlySet<AssessedTargetKind>;
  /**
   * Every rule assessed on the node in this run, when `states` holds only some targets (those whose verdicts
   * differ from the other run's); absent, the rules are those of `states`.
   */
  rules?: ReadonlyMap<string, RuleEntry>;
}

/** A transition and the rows its fields are read from. */
export interface TransitionRows {
  change: TransitionChange;
  oldId?: number;
  newId?: number;
}

export interface TargetComparison {
  transitions: TransitionRows[];
  presence: TargetPresenceChange[];
  rules: RulePresenceChange[];
}

/** Kinds that exist once per node whatever runs on it: never appearing or disappearing. */
const SINGLETONS: ReadonlySet<AssessedTargetKind> = new Set<AssessedTargetKind>(['node', 'daemon']);

/** Every target kind, for a side whose every part was collected. */
export const ALL_KINDS: ReadonlySet<AssessedTargetKind> = new Set<AssessedTargetKind>(['node', 'daemon', 'container', 'image', 'swarm', 'swarm-node', 'service', 'network', 'secret', 'file']);

interface TargetEntry {
  target: DriftTarget;
  rules: Map<string, TargetState>;
}

/** A rule on one side: its rule id, severity and how many targets fail it. */
export interface RuleEntry {
  ruleId: string;
  severity: Severity;
  failingTargets: number;
}

const targetId = (kind: string, key: string): string => `${kind}\u0000${key}`;

function index(states: readonly TargetState[], given?: ReadonlyMap<string, RuleEntry>): { targets: Map<string, TargetEntry>; rules: ReadonlyMap<string, RuleEntry> } {
  const targets = new Map<string, TargetEntry>();
  const rules = new Map<string, RuleEntry>();
  for (const s of states) {
    const id = targetId(s.kind, s.key);
    let t = targets.get(id);
    if (t === undefined) {
      t = { target: { kind: s.kind, key: s.key, name: s.name }, rules: new Map() };
      targets.set(id, t);
    }
    t.rules.set(s.stigId, s);
    let r = rules.get(s.stigId);
    if (r === undefined) {
      r = { ruleId: s.ruleId, severity: s.severity, failingTargets: 0 };
      rules.set(s.stigId, r);
    }
    if (s.status === 'fail') r.failingTargets += 1;
  }
  return { targets, rules: given ?? rules };
}

/** The kind of a transition, or undefined when nothing changed. */
export function classifyTransition(from: DriftStatus, to: DriftStatus, fromExemption?: string, toExemption?: string): TransitionKind | undefined {
  if (from === to) return from === 'fail' && fromExemption !== toExemption ? 'exemption-changed' : undefined;
  if (to === 'fail') return 'regression';
  if (from === 'fail' && to === 'pass') return 'remediation';
  if (to === 'error') return 'error-appeared';
  if (from === 'error') return 'error-cleared';
  return 'status-changed';
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The comparison of one node's per-target results in two runs. */
export function compareTargets(oldSide: NodeSide, newSide: NodeSide): TargetComparison {
  const before = index(oldSide.states, oldSide.rules);
  const after = index(newSide.states, newSide.rules);
  const node = { nodeId: newSide.nodeId, nodeName: newSide.nodeName };
  const transitions: TransitionRows[] = [];
  const presence: TargetPresenceChange[] = [];

  const ids = [...new Set([...before.targets.keys(), ...after.targets.keys()])].sort(byText);
  for (const id of ids) {
    const o = before.targets.get(id);
    const n = after.targets.get(id);
    const kind = (n ?? o)!.target.kind;
    const knownOld = oldSide.collectedKinds.has(kind);
    const knownNew = newSide.collectedKinds.has(kind);
    if (!SINGLETONS.has(kind) && knownOld && knownNew && (o === undefined || n === undefined)) {
      presence.push(presenceChange(node, o === undefined ? 'target-appeared' : 'target-disappeared', (n ?? o)!));
      continue;
    }
    const target = (n ?? o)!.target;
    const stigIds = [...new Set([...(o?.rules.keys() ?? []), ...(n?.rules.keys() ?? [])])].sort(byText);
    for (const stigId of stigIds) {
      // A rule in one run only is reported once, as added or removed.
      if (!before.rules.has(stigId) || !after.rules.has(stigId)) continue;
      const os = o?.rules.get(stigId);
      const ns = n?.rules.get(stigId);
      // An unknown side (its part not collected) only matters when the known side fails.
      if (os === undefined && !knownOld && ns?.status !== 'fail') continue;
      if (ns === undefined && !knownNew) continue;
      const from: DriftStatus = os?.status ?? 'absent';
      const to: DriftStatus = ns?.status ?? 'absent';
      const kind = classifyTransition(from, to, os?.exemptedBy, ns?.exemptedBy);
      if (kind === undefined) continue;
      const state = (ns ?? os)!;
      const change: TransitionChange = {
        kind, ...node, stigId, ruleId: state.ruleId, severity: state.severity, target, from, to,
        ...(os?.exemptedBy !== undefined ? { fromExemption: os.exemptedBy } : {}),
        ...(ns?.exemptedBy !== undefined ? { toExemption: ns.exemptedBy } : {}),
        fields: [], reason: ns?.message ?? os?.message ?? '',
      };
      transitions.push({ change, ...(os !== undefined ? { oldId: os.id } : {}), ...(ns !== undefined ? { newId: ns.id } : {}) });
    }
  }

  const rules: RulePresenceChange[] = [];
  for (const [stigId, r] of [...after.rules].sort(([a], [b]) => byText(a, b))) {
    if (!before.rules.has(stigId)) rules.push({ kind: 'rule-added', ...node, stigId, ruleId: r.ruleId, severity: r.severity, failingTargets: r.failingTargets });
  }
  for (const [stigId, r] of [...before.rules].sort(([a], [b]) => byText(a, b))) {
    if (!after.rules.has(stigId)) rules.push({ kind: 'rule-removed', ...node, stigId, ruleId: r.ruleId, severity: r.severity, failingTargets: r.failingTargets });
  }
  return { transitions, presence, rules };
}

function presenceChange(node: { nodeId: string; nodeName: string }, kind: TargetPresenceChange['kind'], entry: TargetEntry): TargetPresenceChange {
  const failing = [...entry.rules.values()]
    .filter((s) => s.status === 'fail')
    .map((s) => ({ stigId: s.stigId, severity: s.severity }))
    .sort((a, b) => byText(a.stigId, b.stigId));
  return { kind, ...node, target: entry.target, ruleCount: entry.rules.size, failing };
}

/** The most fields a transition lists (a rule may observe many mounts or ports of one container). */
const MAX_FIELDS = 10;

/** Environment values are salted hashes: drift says they changed, never what they were. */
export function isRedactedField(field: string): boolean {
  return /(^|\.)Env(\b|\[|\.|$)/.test(field);
}

/**
 * The fields that decided a transition, with their value on both sides: the failing observations of the
 * failing side (the newer one for a regression), else every observation of either side, by field.
 */
export function transitionFields(change: TransitionChange, old: readonly Observation[], now: readonly Observation[]): DriftField[] {
  const failing = (obs: readonly Observation[]): Observation[] => obs.filter((o) => o.verdict === 'fail');
  const deciding = change.to === 'fail' ? failing(now) : change.from === 'fail' ? failing(old) : [...now, ...old];
  const fields: string[] = [];
  for (const o of deciding) if (!fields.includes(o.field)) fields.push(o.field);
  return fields.slice(0, MAX_FIELDS).map((field) => {
    const o = old.find((x) => x.field === field);
    const n = now.find((x) => x.field === field);
    if (isRedactedField(field)) return { field, redacted: true };
    return { field, ...(o !== undefined ? { old: o.value } : {}), ...(n !== undefined ? { new: n.value } : {}) };
  });
}
