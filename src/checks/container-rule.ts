/**
 * The per-container rule aggregator. A container rule judges each container's inspection and the
 * node's outcome follows from them: no containers → not-applicable; a container whose inspection
 * lacks a field the rule reads (or holds a value of the wrong type) → error, because missing data
 * never passes; otherwise fail when any container fails. Platform containers (UCP, Kubernetes, DTR)
 * are left out only for rules whose STIG check command filters them (`grep -iv "ucp\|kube\|dtr"`), by
 * the node's own pattern when it has one, else the rule's; each one left out is an `excluded` observation
 * naming what matched, so nothing is dropped silently.
 */
import type { ApiObject, ContainerFacts, NodeFacts } from '../domain/facts.js';
import { STIG_PLATFORM_PATTERN, compilePlatformPattern } from '../domain/node.js';
import type { CheckOutcome, Observation } from '../domain/results.js';
import type { Check } from './check.js';
import { containerObservation, hasField, readField } from './evidence.js';

export { STIG_PLATFORM_PATTERN };

/** What identifies a container as a platform container: its name or image matched by the pattern. */
export function platformMatch(container: ContainerFacts, pattern: RegExp): { field: 'name' | 'image'; value: string } | undefined {
  if (pattern.source === '(?:)') return undefined;
  if (pattern.test(container.name)) return { field: 'name', value: container.name };
  if (pattern.test(container.image)) return { field: 'image', value: container.image };
  return undefined;
}

/** True for a platform container under `pattern` (default: the STIG's `ucp|kube|dtr`). */
export function isPlatformContainer(container: ContainerFacts, pattern: string = STIG_PLATFORM_PATTERN): boolean {
  const re = compilePlatformPattern(pattern);
  return re instanceof RegExp && platformMatch(container, re) !== undefined;
}

/** One piece of a container's judgement: a field, its value and the verdict on it. */
export interface ContainerJudgement {
  field: string;
  value: unknown;
  verdict: 'pass' | 'fail';
  /** About the value, without the container name (the aggregator adds it). */
  message: string;
}

/** Judgements, or why the container's data can't be judged (a value of an unexpected type). */
export type JudgeResult = { judgements: ContainerJudgement[] } | { invalid: string };

export interface ContainerRuleSpec {
  stigId: string;
  title: string;
  /** Fields the rule reads; a container whose inspection lacks one is an error, never a pass. */
  requiredFields: readonly string[];
  /** What passes, in words, recorded in every observation. */
  expected: string;
  /** True when the STIG check command filters out platform containers. */
  excludesPlatformContainers: boolean;
  /** The pattern the rule's own check text greps when it differs from `ucp|kube|dtr` (e.g. `ucp|kubelet|dtr`). */
  stigPlatformPattern?: string;
  /** What a failing container does, for the summary: "run privileged" → "2 of 7 containers run privileged". */
  failing: string;
  judge(inspect: ApiObject, container: ContainerFacts): JudgeResult;
}

const MAX_NAMES = 5;

function names(containers: readonly ContainerFacts[]): string {
  const shown = containers.slice(0, MAX_NAMES).map((c) => c.name || c.id.slice(0, 12));
  return containers.length > MAX_NAMES ? `${shown.join(', ')}, … (${containers.length} in all)` : shown.join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Formats a value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** Builds a Check from a per-container rule. */
export function containerCheck(spec: ContainerRuleSpec): Check {
  return {
    stigId: spec.stigId,
    title: spec.title,
    targetKinds: ['container'],
    ...(spec.excludesPlatformContainers ? { platformFilter: spec.stigPlatformPattern ?? STIG_PLATFORM_PATTERN } : {}),
    evaluate: (facts) => evaluateContainers(spec, facts),
  };
}

/** The containers a rule leaves out (each as an `excluded` observation), or why the node's pattern can't be used. */
function platformExclusions(spec: ContainerRuleSpec, facts: NodeFacts): { excluded: ContainerFacts[]; observations: Observation[] } | { invalid: string } {
  if (!spec.excludesPlatformContainers) return { excluded: [], observations: [] };
  const own = facts.platformContainerPattern;
  const pattern = own ?? spec.stigPlatformPattern ?? STIG_PLATFORM_PATTERN;
  const re = compilePlatformPattern(pattern);
  if (!(re instanceof RegExp)) return { invalid: `${re.invalid} (the node's setting)` };
  const source = own !== undefined ? "the node's platform container pattern" : `the STIG check command's filter (grep -iv "${pattern.replace(/\|/g, '\\|')}")`;
  const excluded: ContainerFacts[] = [];
  const observations: Observation[] = [];
  for (const container of facts.containers) {
    const match = platformMatch(container, re);
    if (match === undefined) continue;
    excluded.push(container);
    observations.push({
      ...containerObservation(facts, container, {
        field: match.field,
        value: match.value,
        expected: `a workload container (name and image not matched by /${pattern}/i)`,
        verdict: 'pass',
        message: `Container ${container.name}: left out as a platform container: its ${match.field} ${JSON.stringify(match.value)} matches /${pattern}/i, ${source}.`,
      }),
      verdict: 'excluded',
    });
  }
  return { excluded, observations };
}

function evaluateContainers(spec: ContainerRuleSpec, facts: NodeFacts): CheckOutcome {
  if (facts.containers.length === 0) {
    return { status: 'not-applicable', message: 'The node has no containers, running or stopped, to check.', observations: [] };
  }
  const platform = platformExclusions(spec, facts);
  if ('invalid' in platform) return { status: 'error', message: `Cannot decide: ${platform.invalid}.`, observations: [] };
  const excluded = platform.excluded;
  const checked = facts.containers.filter((c) => !excluded.includes(c));
  const exclusionNote =
    excluded.length === 0 ? '' : ` (${plural(excluded.length, 'platform container')} left out as the STIG check does: ${names(excluded)})`;
  if (checked.length === 0) {
    return {
      status: 'not-applicable',
      message: `The node has only platform containers, which the STIG check leaves out: ${names(excluded)}.`,
      observations: platform.observations,
    };
  }

  const observations: Observation[] = [...platform.observations];
  const failed: ContainerFacts[] = [];
  const problems: { container: ContainerFacts; why: string }[] = [];
  for (const container of checked) {
    const missing = spec.requiredFields.filter((f) => !hasField(container.inspect, f));
    if (missing.length > 0) {
      problems.push({ container, why: `its inspection has no ${missing.join(', ')}` });
      continue;
    }
    const result = spec.judge(container.inspect, container);
    if ('invalid' in result) {
      problems.push({ container, why: result.invalid });
      continue;
    }
    if (result.judgements.length === 0) {
      // A judge must say something about every container it accepts; silence would read as a pass.
      problems.push({ container, why: 'the rule produced no observation' });
      continue;
    }
    for (const j of result.judgements) {
      observations.push(
        containerObservation(facts, container, {
          field: j.field,
          value: j.value,
          expected: spec.expected,
          verdict: j.verdict,
          message: `Container ${container.name}: ${j.message}`,
        }),
      );
    }
    if (result.judgements.some((j) => j.verdict === 'fail')) failed.push(container);
  }

  const decided = checked.length - problems.length;
  // "containers" even for one: the verb phrase ("are privileged") is plural.
  const summary = `${failed.length} of ${decided} containers ${spec.failing}`;
  if (problems.length > 0) {
    const why = problems.slice(0, MAX_NAMES).map((p) => `${p.container.name || p.container.id.slice(0, 12)}: ${p.why}`);
    return {
      status: 'error',
      message:
        `Cannot decide for ${problems.length} of ${plural(checked.length, 'container')} (${why.join('; ')}` +
        `${problems.length > MAX_NAMES ? '; …' : ''}); of the others, ${summary}${exclusionNote}.`,
      observations,
    };
  }
  return { status: failed.length > 0 ? 'fail' : 'pass', message: `${summary}${exclusionNote}.`, observations };
}

export interface FieldRuleSpec extends Omit<ContainerRuleSpec, 'requiredFields' | 'judge'> {
  /** The one field the rule reads, e.g. `HostConfig.Privileged`. */
  field: string;
  /** The verdict on the field's value (missing fields never reach here), or why the value can't be judged. */
  decide(value: unknown): { verdict: 'pass' | 'fail'; message: string } | { invalid: string };
}

/** A container rule that reads one field (the common case). */
export function fieldCheck(spec: FieldRuleSpec): Check {
  return containerCheck({
    ...spec,
    requiredFields: [spec.field],
    judge: (inspect) => {
      const value = readField(inspect, spec.field);
      const decision = spec.decide(value);
      if ('invalid' in decision) return { invalid: `${spec.field} is ${show(value)}: ${decision.invalid}` };
      return { judgements: [{ field: spec.field, value, verdict: decision.verdict, message: decision.message }] };
    },
  });
}
