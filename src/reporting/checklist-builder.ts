/**
 * Builds the STIG Viewer checklist of one node of a stored assessment (the neutral model the CKL and CKLB
 * writers serialise). Pure: the same input gives the same checklist (uuids are name-based).
 *
 * - Asset: the node's effective asset facts (host name, FQDN, IP and MAC addresses, role); the node's name when
 *   no host name was collected (STIG Viewer and STIG Manager need one).
 * - One rule per benchmark rule of the run, in benchmark order, with every STIG_DATA attribute STIG Viewer shows
 *   (from the rule details when the input carries them; an absent detail is left empty, never invented).
 * - Status: pass → NotAFinding; fail → Open (also when an exemption accepts the risk: it stays distinct from
 *   open through the severity override and the comments, never by a passing status); not-applicable →
 *   Not_Applicable; not-checked and error → Not_Reviewed (nobody decided it), unless an accepted review
 *   (attestation) answers the not-checked rule: then its result.
 * - Finding details: the evidence, concisely: the check's message, then the failing targets with the failing
 *   fields (at most MAX_LISTED_TARGETS, then a count), marked as Plimsoll's automated verdict.
 * - Comments: the reviewer's statement, then Plimsoll's generated block (GENERATED_COMMENTS_MARKER): who attested
 *   and accepted and when, the exemption accepting the risk (approver, expiry, justification), expired
 *   exemptions, a stale automation. Importing the checklist separates the two again.
 * - Severity override where a risk was accepted: one category lower (CAT I → II, II → III; III stays), the
 *   justification naming the exemption, its approver and expiry. DISA lets a documented mitigation lower a
 *   finding by one category; the category itself is never raised or dropped.
 */
import { v5 as uuidv5 } from 'uuid';
import { AUTOMATED_DETAILS_PREFIX, type Checklist, type ChecklistAsset, type ChecklistRule, type ChecklistSeverity, type ChecklistStatus, joinComments } from '../domain/checklist.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { RuleResult, RuleStatus } from '../domain/results.js';
import { xmlChars } from '../formats/xml-writer.js';
import type { TargetResult } from '../domain/target-results.js';
import { type ArBenchmark, type ArNode, type AssessmentReportInput, benchmarksOf, type PlannedRule } from './oscal-inventory.js';

/** How many failing targets the finding details list before counting the rest. */
export const MAX_LISTED_TARGETS = 25;

const CHECKLIST_NS = '6f1d3b0e-8a4c-5e2f-9b7d-4c1a2e3f5d60';

/** What STIG Viewer shows of a rule beyond the run's results (StoredRule has these fields). */
export interface ChecklistRuleDetails {
  ruleId: string;
  discussion: string;
  checkContent: string;
  fixText: string;
  ccis: readonly string[];
  legacyIds: readonly string[];
  weight?: number;
  /** The group's title (DISA: the SRG id). */
  groupTitle?: string;
}

/** An accepted review that answers a not-checked rule on a node (wp-reviews' RuleAttestation with its node and rule). */
export interface ChecklistAttestation {
  nodeId: string;
  ruleId: string;
  reviewId: string;
  result: 'pass' | 'fail' | 'not-applicable';
  statement: string;
  submittedBy: string;
  submittedAt: string;
  acceptedBy: string;
  acceptedAt: string;
  expiresAt: string;
  /** The release the review was written against. */
  writtenFor?: string;
}

/**
 * A rule result as the review package extends it (RuleResult.attestation, set by apply-reviews on a not-checked
 * result an accepted review answers; exemption kinds). Read structurally, so results without them still build.
 */
type ReviewedResult = RuleResult & {
  attestation?: Omit<ChecklistAttestation, 'nodeId' | 'ruleId'>;
  exemption?: RuleResult['exemption'] & { kind?: string };
};

const EXEMPTION_KIND_LABEL: Record<string, string> = {
  'risk-accepted': 'Risk accepted',
  'false-positive': 'False positive (approved)',
  'operational-requirement': 'Operational requirement (approved)',
};

/** The reporting input of a checklist: the assessment's, one node, and the optional parts. */
export interface ChecklistReportInput extends AssessmentReportInput {
  /** The node the checklist is for (required when the assessment has several). */
  node?: ArNode;
  ruleDetails?: readonly ChecklistRuleDetails[];
  attestations?: readonly ChecklistAttestation[];
  /** The asset's classification marking (CKL MARKING); empty when not given. */
  marking?: string;
}

const STATUS: Record<RuleStatus, ChecklistStatus> = {
  pass: 'not-a-finding',
  fail: 'open',
  'not-applicable': 'not-applicable',
  'not-checked': 'not-reviewed',
  error: 'not-reviewed',
};
const ATTESTED: Record<ChecklistAttestation['result'], ChecklistStatus> = { pass: 'not-a-finding', fail: 'open', 'not-applicable': 'not-applicable' };
const LOWER: Record<ChecklistSeverity, ChecklistSeverity> = { high: 'medium', medium: 'low', low: 'low' };

function severityOf(s: PlannedRule['severity']): ChecklistSeverity {
  return s === 'high' || s === 'low' ? s : 'medium';
}

function asset(node: ArNode, marking: string): ChecklistAsset {
  const a = node.asset;
  const os = a?.os?.value;
  return {
    assetType: 'Computing',
    hostName: a?.hostName?.value ?? node.name,
    ip: (a?.ipAddresses?.value ?? []).join(', '),
    mac: (a?.macAddresses?.value ?? []).join(', '),
    fqdn: a?.fqdn?.value ?? '',
    role: a?.role?.value ?? 'None',
    techArea: '',
    comment: `Docker node ${node.name} (${node.endpoint})${node.engineVersion !== undefined ? `, Docker Engine ${node.engineVersion}` : ''}${os !== undefined ? `, ${os}` : ''}`,
    marking,
    webOrDatabase: false,
    webDbSite: '',
    webDbInstance: '',
  };
}

/** One failing (or erroring) target with the fields that decided it. */
function targetLine(t: TargetResult): string {
  const fields = t.observations.filter((o) => o.verdict === 'fail').map((o) => `${o.field} = ${JSON.stringify(o.value ?? null)} (expected ${o.expected})`);
  const what = t.target.kind === 'node' ? 'node' : `${t.target.kind} ${t.target.name}`;
  return `- ${what}${fields.length > 0 ? `: ${fields.join('; ')}` : t.message !== '' ? `: ${t.message}` : ''}`;
}

function findingDetails(r: RuleResult | undefined, targets: readonly TargetResult[], node: ArNode, tool: { name: string; version: string }, attested: ChecklistAttestation | undefined): string {
  if (r === undefined) return 'No result was recorded for this rule on this node.';
  if (attested !== undefined) return r.message === '' ? '' : `Not decided by a check: ${r.message}`;
  const head = `${AUTOMATED_DETAILS_PREFIX} (${tool.name} ${tool.version}) on ${node.name}${node.collectedAt !== undefined ? `, facts collected ${node.collectedAt}` : ''}: ${r.status}.`;
  const lines = [head, r.message];
  const failing = targets.filter((t) => t.status === 'fail');
  if (failing.length > 0) {
    lines.push(`Failing targets (${failing.length} of ${targets.length}):`);
    lines.push(...failing.slice(0, MAX_LISTED_TARGETS).map(targetLine));
    if (failing.length > MAX_LISTED_TARGETS) lines.push(`- … and ${failing.length - MAX_LISTED_TARGETS} more (see the OSCAL assessment results).`);
  } else if (r.status === 'pass' && targets.length > 0 && targets.some((t) => t.target.kind !== 'node')) {
    lines.push(`All ${targets.filter((t) => t.status === 'pass').length} targets checked pass.`);
  }
  const excluded = targets.filter((t) => t.status === 'excluded').length;
  if (excluded > 0) lines.push(`${excluded} platform target(s) left out as the check text leaves them out.`);
  return lines.filter((l) => l !== '').join('\n');
}

function generatedComments(r: RuleResult | undefined, attested: ChecklistAttestation | undefined): string[] {
  const out: string[] = [];
  if (attested !== undefined) {
    out.push(`Attested (review ${attested.reviewId}${attested.writtenFor !== undefined ? `, written for ${attested.writtenFor}` : ''}): submitted by ${attested.submittedBy} at ${attested.submittedAt}, accepted by ${attested.acceptedBy} at ${attested.acceptedAt}, expires ${attested.expiresAt}.`);
  }
  const e = (r as ReviewedResult | undefined)?.exemption;
  if (e !== undefined) out.push(`${EXEMPTION_KIND_LABEL[e.kind ?? 'risk-accepted'] ?? `Exemption (${e.kind})`}: exemption ${e.name} (${e.id}) approved by ${e.approvedBy} at ${e.approvedAt}, expires ${e.expiresAt}. Justification: ${e.justification}`);
  for (const x of r?.expiredExemptions ?? []) out.push(`Exemption ${x.name} (${x.id}) expired at ${x.expiresAt} and no longer applies.`);
  if (r?.automation?.stale === true) out.push(`Automation written against ${r.automation.automatedAgainst}; the check text has changed since.${r.automation.message !== undefined ? ` ${r.automation.message}` : ''}`);
  if (r?.status === 'error') out.push(`The check could not decide this rule (error): ${r.message}`);
  return out;
}

function rule(p: PlannedRule, d: ChecklistRuleDetails | undefined, r: RuleResult | undefined, targets: readonly TargetResult[], node: ArNode, input: ChecklistReportInput, attested: ChecklistAttestation | undefined): ChecklistRule {
  const severity = severityOf(p.severity);
  // An attestation answers a rule nobody's check decided: the one the result carries (the assessment applied it),
  // else one given for a not-checked result; one for a rule a check decided is ignored, as in assessments.
  const carried = (r as ReviewedResult | undefined)?.attestation;
  const answering = carried !== undefined ? { ...carried, nodeId: node.id, ruleId: p.ruleId } : attested !== undefined && (r === undefined || r.status === 'not-checked') ? attested : undefined;
  const status = answering !== undefined ? ATTESTED[answering.result] : r !== undefined ? STATUS[r.status] : 'not-reviewed';
  const e = (r as ReviewedResult | undefined)?.exemption;
  // Only an accepted risk lowers the category; a false positive or operational requirement is said in the comments.
  const lowers = e !== undefined && r?.status === 'fail' && (e.kind === undefined || e.kind === 'risk-accepted');
  return {
    groupId: r?.groupId ?? '',
    groupTitle: d?.groupTitle ?? '',
    ruleId: p.ruleId,
    stigId: p.stigId,
    ruleTitle: p.title,
    severity,
    weight: (d?.weight ?? 10).toFixed(1),
    discussion: d?.discussion ?? '',
    checkContent: d?.checkContent ?? p.checkContent ?? '',
    fixText: d?.fixText ?? r?.fixText ?? '',
    falsePositives: '',
    falseNegatives: '',
    documentable: 'false',
    mitigations: '',
    potentialImpacts: '',
    thirdPartyTools: '',
    mitigationControl: '',
    responsibility: '',
    securityOverrideGuidance: '',
    iaControls: '',
    checkContentRef: 'M',
    classification: 'Unclass',
    legacyIds: [...(d?.legacyIds ?? [])],
    ccis: [...(d?.ccis ?? r?.ccis ?? [])],
    status,
    // Text no XML can carry (control characters in a container name or message) is replaced in both formats alike.
    findingDetails: xmlChars(findingDetails(r, targets, node, input.tool, answering)),
    comments: xmlChars(joinComments(answering?.statement ?? '', generatedComments(r, answering))),
    ...(lowers
      ? { severityOverride: { severity: LOWER[severity], reason: `Risk accepted by exemption ${e.name} (${e.id}), approved by ${e.approvedBy}, expires ${e.expiresAt}: ${e.justification}` } }
      : {}),
  };
}

/** The node a checklist is for: the input's node, else the assessment's only node. */
export function checklistNode(input: ChecklistReportInput): ArNode {
  if (input.node !== undefined) return input.node;
  if (input.nodes.length === 1) return input.nodes[0]!;
  throw new PlimsollError(ErrorCode.BAD_INPUT, `a checklist is for one node; assessment ${input.assessment.id} has ${input.nodes.length}: ${input.nodes.map((n) => n.name).join(', ')}`);
}

/** The checklist of one node of an assessment: one STIG (CKL iSTIG, CKLB stigs[]) per benchmark of the run. */
export function buildChecklist(input: ChecklistReportInput): Checklist {
  const node = checklistNode(input);
  const b = input.benchmark;
  const a = input.assessment;
  const results = new Map(input.results.filter((r) => r.nodeId === node.id).map((r) => [r.ruleId, r]));
  const targets = new Map<string, TargetResult[]>();
  for (const t of input.targets) {
    if (t.nodeId !== node.id) continue;
    const list = targets.get(t.ruleId);
    if (list) list.push(t);
    else targets.set(t.ruleId, [t]);
  }
  const details = new Map((input.ruleDetails ?? []).map((d) => [d.ruleId, d]));
  const attestations = new Map((input.attestations ?? []).filter((x) => x.nodeId === node.id).map((x) => [x.ruleId, x]));
  const id = uuidv5(`${a.id}\u0000${node.id}\u0000${b.documentId}`, CHECKLIST_NS);
  const stigOf = (x: ArBenchmark): Checklist['stigs'][number] => {
    const dateLabel = x.releaseDate !== undefined ? ` Benchmark Date: ${formatBenchmarkDate(x.releaseDate)}` : '';
    // Rules of older runs name no benchmark: they are the first's (a run had one then).
    const own = input.rules.filter((p) => (p.benchmarkDocumentId ?? b.documentId) === x.documentId);
    return {
      info: {
        stigId: x.benchmarkId,
        title: x.title,
        version: x.version,
        releaseInfo: x.release !== undefined ? `Release: ${x.release}${dateLabel}` : dateLabel.trim(),
        fileName: x.sourceFile !== undefined ? (x.sourceFile.split(/[\\/]/).pop() ?? '') : '',
        uuid: uuidv5(`${x.documentId}`, CHECKLIST_NS),
        classification: 'UNCLASSIFIED',
        description: '',
        notice: 'terms-of-use',
        source: 'STIG.DOD.MIL',
      },
      rules: own.map((p) => rule(p, details.get(p.ruleId), results.get(p.ruleId), targets.get(p.ruleId) ?? [], node, input, attestations.get(p.ruleId))),
    };
  };
  return {
    title: `${node.name}: ${benchmarksOf(input).map((x) => x.title).join(' and ')}`,
    id,
    asset: asset(node, input.marking ?? ''),
    stigs: benchmarksOf(input).map(stigOf),
  };
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2024-07-24` → `24 Jul 2024`, as DISA writes benchmark dates; anything else as given. */
export function formatBenchmarkDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return iso;
  return `${m[3]} ${MONTH_NAMES[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/**
 * The checklist part of a report input: the benchmark's rules as the library stores them (discussion, check and
 * fix text, CCIs, legacy ids, weight, group title). A report-input part loader adds it to a stored assessment's
 * input; without it a checklist leaves those attributes empty.
 */
export async function loadChecklistRuleDetails(
  library: { listRules(benchmarkDocumentId: string): Promise<{ items: readonly ChecklistRuleDetails[] }> },
  input: Pick<AssessmentReportInput, 'benchmark' | 'profile' | 'benchmarks'>,
): Promise<{ ruleDetails: readonly ChecklistRuleDetails[] }> {
  // Every benchmark of the run (rule ids differ between benchmarks, so one list serves them all).
  const lists = await Promise.all(benchmarksOf(input).map((b) => library.listRules(b.documentId)));
  return { ruleDetails: lists.flatMap((l) => l.items) };
}
