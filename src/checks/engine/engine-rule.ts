/**
 * The node-level rule aggregator for engine and daemon rules. Such a rule reads the engine's /info and
 * /version, the daemon configuration (daemon.json and the dockerd command line) or the engine's images,
 * and judges one or more targets: the daemon itself (target kind `daemon`) or each image. Its judge
 * says one of four things: judgements (the outcome is `fail` when any fails), not applicable (with the
 * evidence of why), invalid (the data can't be judged: `error`, never `pass`), or a ready outcome (a
 * missing inventory part, from requirePart).
 */
import type { NodeFacts } from '../../domain/facts.js';
import type { CheckOutcome, Observation, TargetKind, TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';

/** One piece of a rule's judgement: a field of a target, its value and the verdict on it. */
export interface EngineJudgement {
  /** Default: the node's daemon. */
  target?: TargetRef;
  /** `info.LoggingDriver`, `daemon.json#/log-opts/max-size`, `cmdline --userland-proxy`, `Config.User`… */
  field: string;
  value: unknown;
  verdict: 'pass' | 'fail';
  /** A whole sentence; it becomes the observation's message. */
  message: string;
  /** Default: the rule's `expected`. */
  expected?: string;
}

/** What a judge decides. */
export type EngineDecision =
  | { judgements: EngineJudgement[] }
  | { notApplicable: string; judgements?: EngineJudgement[] }
  | { invalid: string; judgements?: EngineJudgement[] }
  | { outcome: CheckOutcome };

export interface EngineRuleSpec {
  stigId: string;
  title: string;
  /** Default `['daemon']`. */
  targetKinds?: TargetKind[];
  /** The facts parts read, when not implied by the target kinds (see Check.facts). */
  facts?: string[];
  /** What passes, in words, recorded in every observation. */
  expected: string;
  judge(facts: NodeFacts): EngineDecision;
  /** The outcome's message from its judgements; default: the messages of the deciding judgements. */
  summarize?(status: 'pass' | 'fail', judgements: readonly EngineJudgement[]): string;
}

/** The node's Docker daemon as an observation target. */
export function daemonTarget(facts: NodeFacts): TargetRef {
  return { kind: 'daemon', id: facts.nodeId, name: facts.nodeName };
}

function toObservation(facts: NodeFacts, spec: EngineRuleSpec, j: EngineJudgement): Observation {
  return {
    target: j.target ?? daemonTarget(facts),
    field: j.field,
    value: j.value === undefined ? null : j.value,
    expected: j.expected ?? spec.expected,
    verdict: j.verdict,
    message: j.message,
    collectedAt: facts.collectedAt,
  };
}

function defaultSummary(status: 'pass' | 'fail', judgements: readonly EngineJudgement[]): string {
  const deciding = judgements.filter((j) => j.verdict === status);
  const MAX = 5;
  const shown = deciding.slice(0, MAX).map((j) => j.message);
  return deciding.length > MAX ? `${shown.join(' ')} … (${deciding.length} in all)` : shown.join(' ');
}

/** Applies a rule's judge to the facts and aggregates its judgements into one outcome. */
export function evaluateEngineRule(spec: EngineRuleSpec, facts: NodeFacts): CheckOutcome {
  const decision = spec.judge(facts);
  if ('outcome' in decision) return decision.outcome;
  const observations = (decision.judgements ?? []).map((j) => toObservation(facts, spec, j));
  if ('invalid' in decision) return { status: 'error', message: `Cannot decide: ${decision.invalid}`, observations };
  if ('notApplicable' in decision) return { status: 'not-applicable', message: decision.notApplicable, observations };
  if (decision.judgements.length === 0) {
    // Silence would read as a pass: a judge must say something about what it accepts.
    return { status: 'error', message: 'Cannot decide: the rule produced no observation.', observations };
  }
  const status = decision.judgements.some((j) => j.verdict === 'fail') ? 'fail' : 'pass';
  return { status, message: (spec.summarize ?? defaultSummary)(status, decision.judgements), observations };
}

/** Builds a Check from a node-level engine or daemon rule. */
export function engineCheck(spec: EngineRuleSpec): Check {
  return {
    stigId: spec.stigId,
    title: spec.title,
    targetKinds: spec.targetKinds ?? ['daemon'],
    ...(spec.facts !== undefined ? { facts: spec.facts } : {}),
    evaluate: (facts) => evaluateEngineRule(spec, facts),
  };
}

/** Formats a value for a message: JSON, with `null` for missing values. */
export function show(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}
