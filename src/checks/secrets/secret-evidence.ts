/**
 * What the secret rules (PLM-SEC-001..004) share. They never see a value: at collection every environment value
 * and every build-time value of a history line was replaced by its salted hash, and the classifier's findings were
 * kept by location (NodeFacts.envClassifications). A rule therefore needs proof that the screening ran (the
 * facts' secretPolicy names the secret classifier), and for each variable it judges, that the value it reads is a
 * hash: an unredacted value means the facts did not pass through the redactor, and nothing can be decided.
 * Evidence names the target, the variable (or history line), the classes and the salted hash; never the value.
 */
import { REDACTED_PREFIX, type EnvClassification } from '../../domain/env-redaction.js';
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import { SECRET_CLASSIFIER_ID } from '../../domain/secret-classifier.js';
import type { TargetRef } from '../../domain/results.js';
import { hasField, readField } from '../evidence.js';
import type { EngineDecision, EngineJudgement } from '../engine/engine-rule.js';

/** Why the facts can't be judged for secrets, or undefined when the secret classifier screened them. */
export function unscreened(facts: NodeFacts): EngineDecision | undefined {
  const classifiers = facts.secretPolicy?.classifiers;
  if (Array.isArray(classifiers) && classifiers.includes(SECRET_CLASSIFIER_ID)) return undefined;
  return {
    invalid: `the facts of ${facts.nodeName} were not screened for secrets at collection (no ${SECRET_CLASSIFIER_ID} in their secret policy): values are hashed before they are stored, so they can't be screened afterwards; assess the node again`,
  };
}

/** The findings recorded at collection, by location. */
export function findingsByLocation(facts: NodeFacts): Map<string, EnvClassification[]> {
  const map = new Map<string, EnvClassification[]>();
  for (const c of facts.envClassifications ?? []) map.set(c.location, [...(map.get(c.location) ?? []), c]);
  return map;
}

/** One variable of an `Env` list as stored: its name and salted hash (undefined for a `NAME` without a value). */
export interface StoredVariable {
  index: number;
  name: string;
  hash: string | undefined;
}

/**
 * The variables of an `Env` list at `path` of `obj` (null: none), or the reason it can't be judged: the field is
 * missing, not a list of strings, or holds a value that was not replaced by its hash.
 */
export function storedVariables(obj: ApiObject, path: string, what: string): StoredVariable[] | { invalid: string } {
  if (!hasField(obj, path)) return { invalid: `${what} has no ${path}` };
  const list = readField(obj, path);
  if (list === null) return [];
  if (!Array.isArray(list)) return { invalid: `${what}'s ${path} is not a list` };
  const out: StoredVariable[] = [];
  for (const [index, entry] of list.entries()) {
    if (typeof entry !== 'string') return { invalid: `${what}'s ${path}.${index} is not a NAME=value string` };
    const eq = entry.indexOf('=');
    if (eq < 0) {
      out.push({ index, name: entry, hash: undefined });
      continue;
    }
    const value = entry.slice(eq + 1);
    // Never echo the value: it was not hashed, so it may be the very secret.
    if (!value.startsWith(REDACTED_PREFIX)) return { invalid: `${what}'s ${path}.${index} (${entry.slice(0, eq)}) holds a value that was not replaced by its salted hash at collection` };
    out.push({ index, name: entry.slice(0, eq), hash: value });
  }
  return out;
}

/** The names of variables, for a passing observation (values are never shown). */
export function variableNames(variables: readonly StoredVariable[]): string[] {
  return variables.map((v) => v.name);
}

/** `a, b, c` with at most five shown. */
export function listed(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')}, … (${items.length} in all)` : items.join(', ');
}

/**
 * Judges one target's `Env` list: a failing judgement per variable the classifier flagged at `locationOf(index)`,
 * or one passing judgement listing the variable names.
 */
export function judgeEnv(
  target: TargetRef,
  field: string,
  variables: readonly StoredVariable[],
  findings: ReadonlyMap<string, EnvClassification[]>,
  locationOf: (index: number) => string,
  what: string,
): EngineJudgement[] {
  const failing: EngineJudgement[] = [];
  for (const v of variables) {
    const found = findings.get(locationOf(v.index)) ?? [];
    const classes = [...new Set(found.flatMap((f) => f.classes))].sort();
    if (classes.length === 0) continue;
    failing.push({
      target,
      field: `${field}.${v.index}`,
      value: { variable: v.name, classes, hash: v.hash ?? null },
      verdict: 'fail',
      message: `${what} sets ${v.name} to a secret value (${classes.join(', ')}; stored only as its salted hash).`,
    });
  }
  if (failing.length > 0) return failing;
  const names = variableNames(variables);
  return [
    {
      target,
      field,
      value: names,
      verdict: 'pass',
      message: names.length === 0 ? `${what} sets no environment variable.` : `${what} sets ${names.length} environment variable(s), none holding a secret value: ${listed(names)}.`,
    },
  ];
}
