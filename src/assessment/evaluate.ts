/**
 * Evaluation of a benchmark's rules against one node's facts: pure, in memory, one result per rule.
 * Rules without an automated check are `not-checked` (manual review), never `pass`, and so are rules whose
 * check is not configured where the node is (it answers `not-checked` with the reason); a check that
 * throws or answers something that is not a verdict gives `error`, so one broken check can't abort a
 * run or hide as a pass.
 *
 * With the catalog's automation records, an automated rule's result says which check text its check was
 * written against, and is flagged stale (with a sentence appended to its message) when the benchmark's
 * check text hashes differently. With the catalog's remediations, a failed rule's result carries the fix
 * text followed by the concrete remediation.
 */
import { type AutomationRecord, automationStatusOf } from '../checks/automation.js';
import { withConcreteRemediation } from '../checks/remediation.js';
import { directRev5References } from '../domain/cci-mapping.js';
import type { BenchmarkProfile, BenchmarkRule } from '../domain/content.js';
import type { Check } from '../checks/check.js';
import type { NodeFacts } from '../domain/facts.js';
import type { CheckOutcome, RuleAutomation, RuleResult, RuleStatus } from '../domain/results.js';
import type { ControlMapping } from '../domain/services.js';

/** What evaluation needs of the checks: the one that decides a rule, by STIG id; optionally what each was written against and how to fix a failure. */
export interface CheckCatalog {
  checkFor(stigId: string): ({ evaluate(facts: NodeFacts): CheckOutcome } & Partial<Pick<Check, 'facts' | 'targetKinds'>>) | undefined;
  /** The release and check-content hash the rule's check was written against (automation.ts); absent: staleness is not reported. */
  automationFor?(stigId: string): Pick<AutomationRecord, 'release' | 'checkContentHash'> | undefined;
  /** The rule's concrete remediation (remediation.ts); absent: failures carry the fix text only. */
  remediationFor?(stigId: string): string | undefined;
}

/** The SP 800-53 mappings of a rule: those of its CCIs, and of its direct rev5 references (rules no CCI covers). */
export type ControlLookup = (rule: Pick<BenchmarkRule, 'ccis' | 'sp80053'>) => readonly ControlMapping[];

export const MANUAL_REVIEW_MESSAGE = 'No automated check; manual review required';

const CHECK_STATUSES: ReadonlySet<RuleStatus> = new Set<RuleStatus>(['pass', 'fail', 'not-applicable', 'not-checked', 'error']);

/**
 * A lookup over flat lists of mappings: CCI mappings (LibraryService.mapCcisToControls) keyed by CCI, and direct
 * reference mappings (mapReferencesToControls, which carry no CCI) keyed by the reference.
 */
export function controlLookupFrom(mappings: readonly ControlMapping[], direct: readonly ControlMapping[] = []): ControlLookup {
  const index = (list: readonly ControlMapping[], keyOf: (m: ControlMapping) => string): Map<string, ControlMapping[]> => {
    const out = new Map<string, ControlMapping[]>();
    for (const m of list) out.set(keyOf(m), [...(out.get(keyOf(m)) ?? []), m]);
    return out;
  };
  const byCci = index(mappings, (m) => m.cci);
  const byReference = index(direct, (m) => m.index);
  return (rule) => [...rule.ccis.flatMap((c) => byCci.get(c) ?? []), ...directRev5References(rule).flatMap((r) => byReference.get(r) ?? [])];
}

/**
 * The statement ids a rule evidences: resolved mappings only (an id no loaded catalog holds is not
 * claimed as a reviewed control), distinct, in first-seen order.
 */
export function controlIdsOf(mappings: readonly ControlMapping[]): string[] {
  const ids = new Set<string>();
  for (const m of mappings) if (m.resolved && m.statementId !== '') ids.add(m.statementId);
  return [...ids];
}

/** The rules a profile selects (by XCCDF rule id), in benchmark order; all rules without a profile. */
export function selectRules<R extends BenchmarkRule>(rules: readonly R[], profile?: Pick<BenchmarkProfile, 'selectedRuleIds'>): R[] {
  if (profile === undefined) return [...rules];
  const selected = new Set(profile.selectedRuleIds);
  return rules.filter((r) => selected.has(r.ruleId));
}

function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message !== '' ? e.message : e.name;
  return String(e);
}

/** Runs one check, turning a throw or a malformed outcome into an `error` outcome. */
function runCheck(check: { evaluate(facts: NodeFacts): CheckOutcome }, facts: NodeFacts): CheckOutcome {
  let outcome: CheckOutcome;
  try {
    outcome = check.evaluate(facts);
  } catch (e) {
    return { status: 'error', message: `Check failed: ${describeThrown(e)}`, observations: [] };
  }
  if (outcome === null || typeof outcome !== 'object' || !CHECK_STATUSES.has(outcome.status) || typeof outcome.message !== 'string' || !Array.isArray(outcome.observations)) {
    return { status: 'error', message: `Check returned no valid outcome (status ${JSON.stringify((outcome as { status?: unknown } | null)?.status)})`, observations: [] };
  }
  return outcome;
}

/** A rule's result with an outcome decided elsewhere (a check, or a node that could not be collected). */
export function ruleResultOf(rule: BenchmarkRule & { documentId?: string }, nodeId: string, outcome: Pick<CheckOutcome, 'message' | 'observations'> & { status: RuleStatus }, controls: ControlLookup): RuleResult {
  return {
    // A stored rule names its benchmark: a run of several benchmarks keeps each result with its own.
    ...(rule.documentId !== undefined ? { benchmarkDocumentId: rule.documentId } : {}),
    nodeId,
    stigId: rule.stigId,
    ruleId: rule.ruleId,
    groupId: rule.groupId,
    checkContentHash: rule.checkContentHash,
    title: rule.title,
    severity: rule.severity,
    status: outcome.status,
    message: outcome.message,
    observations: outcome.observations,
    controlIds: controlIdsOf(controls(rule)),
    ccis: [...rule.ccis],
    fixText: rule.fixText,
  };
}

/** The result of one rule on one node. */
export function evaluateRule(rule: BenchmarkRule, facts: NodeFacts, checks: CheckCatalog, controls: ControlLookup): RuleResult {
  const check = checks.checkFor(rule.stigId);
  const outcome: Pick<CheckOutcome, 'message' | 'observations'> & { status: RuleStatus } =
    check === undefined ? { status: 'not-checked', message: MANUAL_REVIEW_MESSAGE, observations: [] } : runCheck(check, facts);
  const record = check !== undefined ? checks.automationFor?.(rule.stigId) : undefined;
  const automation = record !== undefined ? automationStatusOf(rule, record) : undefined;
  const concrete = outcome.status === 'fail' ? checks.remediationFor?.(rule.stigId) : undefined;
  return {
    ...ruleResultOf(rule, facts.nodeId, outcome, controls),
    message: automation?.stale === true ? withStaleness(outcome.message, automation) : outcome.message,
    ...(concrete !== undefined ? { remediation: withConcreteRemediation(rule.fixText, concrete) } : {}),
    ...(automation !== undefined ? { automation } : {}),
  };
}

/** The check's message, then the staleness warning naming what the check was written against. */
function withStaleness(message: string, automation: RuleAutomation): string {
  const text = message.trim();
  const sentence = text === '' || /[.!?]$/.test(text) ? text : `${text}.`;
  return `${sentence} ${automation.message ?? 'The automation may be stale'}: it was written against ${automation.automatedAgainst}.`.trim();
}

/** One result per rule for one node's facts, in rule order. */
export function evaluateNode(rules: readonly BenchmarkRule[], facts: NodeFacts, checks: CheckCatalog, controls: ControlLookup): RuleResult[] {
  return rules.map((rule) => evaluateRule(rule, facts, checks, controls));
}
