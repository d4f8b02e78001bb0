/**
 * Findings over time (pure): from a node's open findings and its per-target results in a new run, which
 * findings open (a target failing a rule with none open) and which close: remediated when the target passes the
 * rule again, otherwise closed without remediation (the target is gone, the rule was not in the run, or it no
 * longer applies to the target). An `error`, or a target whose inventory part was not collected, keeps the
 * finding open: nothing shows it was fixed.
 */
import type { EpisodeState } from '../domain/drift.js';
import type { AssessedTargetKind } from '../domain/target-results.js';
import type { EpisodeClosing, FindingEpisode } from '../repositories/posture-repository.js';

export interface EpisodeRun {
  assessmentId: string;
  nodeId: string;
  benchmarkId: string;
  /** When the node's facts were collected. */
  at: string;
}

const idOf = (kind: string, key: string, stigId: string): string => `${kind}\u0000${key}\u0000${stigId}`;

/** The findings to open and close after a run. */
export function episodeUpdates(
  open: readonly FindingEpisode[],
  states: readonly EpisodeState[],
  run: EpisodeRun,
  collectedKinds: ReadonlySet<AssessedTargetKind>,
): { open: Omit<FindingEpisode, 'id'>[]; close: EpisodeClosing[] } {
  const byPair = new Map<string, EpisodeState>();
  const targets = new Set<string>();
  const rules = new Set<string>();
  const errored = new Set<string>();
  for (const s of states) {
    byPair.set(idOf(s.kind, s.key, s.stigId), s);
    targets.add(`${s.kind}\u0000${s.key}`);
    rules.add(s.stigId);
    if (s.status === 'error') errored.add(s.stigId);
  }
  const openIds = new Set(open.map((e) => idOf(e.targetKind, e.targetKey, e.stigId)));
  const toOpen: Omit<FindingEpisode, 'id'>[] = [];
  for (const s of states) {
    if (s.status !== 'fail' || openIds.has(idOf(s.kind, s.key, s.stigId))) continue;
    openIds.add(idOf(s.kind, s.key, s.stigId));
    toOpen.push({
      nodeId: run.nodeId, benchmarkId: run.benchmarkId, targetKind: s.kind, targetKey: s.key, targetName: s.name, stigId: s.stigId,
      severity: s.severity, openedAt: run.at, openedAssessmentId: run.assessmentId,
    });
  }
  const at = Date.parse(run.at);
  const toClose: EpisodeClosing[] = [];
  for (const e of open) {
    const reason = closeReason(e, byPair.get(idOf(e.targetKind, e.targetKey, e.stigId)), { targets, rules, errored, collectedKinds });
    if (reason === undefined) continue;
    toClose.push({ id: e.id, closedAt: run.at, closedAssessmentId: run.assessmentId, reason, durationSeconds: Math.max(0, Math.round((at - Date.parse(e.openedAt)) / 1000)) });
  }
  return { open: toOpen, close: toClose };
}

interface RunShape {
  targets: ReadonlySet<string>;
  rules: ReadonlySet<string>;
  /** Rules that could not be decided on some target in the run (their untouched targets stay open). */
  errored: ReadonlySet<string>;
  collectedKinds: ReadonlySet<AssessedTargetKind>;
}

function closeReason(e: FindingEpisode, state: EpisodeState | undefined, run: RunShape): EpisodeClosing['reason'] | undefined {
  if (state !== undefined) {
    switch (state.status) {
      case 'fail':
      case 'error':
        return undefined;
      case 'pass':
        return 'remediated';
      default:
        return 'not-applicable';
    }
  }
  if (!run.collectedKinds.has(e.targetKind) || run.errored.has(e.stigId)) return undefined;
  if (!run.rules.has(e.stigId)) return 'rule-removed';
  if (!run.targets.has(`${e.targetKind}\u0000${e.targetKey}`)) return 'target-gone';
  return 'not-applicable';
}
