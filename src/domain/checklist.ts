/**
 * STIG Viewer checklists as one neutral model: what a CKL (STIG Viewer 2, XML) and a CKLB (STIG Viewer 3,
 * JSON) both say about one asset and the STIGs evaluated on it. The writers (src/formats/ckl/) serialise
 * this model and the readers return it, so a checklist written and read back is the same value, whichever
 * format carried it.
 *
 * Plimsoll writes its own part of a rule's comments (who reviewed, the exemption, the accepted risk) after a
 * marker line, so a checklist read back separates what a person wrote (`statement`) from what Plimsoll
 * generated: importing a checklist Plimsoll wrote and exporting it again gives the same comments.
 */

/** A rule's status in the checklist. CKL writes NotAFinding/Open/Not_Applicable/Not_Reviewed, CKLB snake case. */
export type ChecklistStatus = 'not-a-finding' | 'open' | 'not-applicable' | 'not-reviewed';
export const CHECKLIST_STATUSES: readonly ChecklistStatus[] = ['not-a-finding', 'open', 'not-applicable', 'not-reviewed'];

export type ChecklistSeverity = 'high' | 'medium' | 'low';

/** The asset (CKL ASSET, CKLB target_data). */
export interface ChecklistAsset {
  /** `Computing` or `Non-Computing`. */
  assetType: string;
  hostName: string;
  /** Addresses as STIG Viewer writes them: comma-separated. */
  ip: string;
  mac: string;
  fqdn: string;
  /** STIG Viewer's role (`None`, `Workstation`, `Member Server`, `Domain Controller`) or the node's role. */
  role: string;
  techArea: string;
  /** Free text about the target (CKL TARGET_COMMENT, CKLB target_data.comments). */
  comment: string;
  /** Classification marking of the asset (CKL MARKING, CKLB target_data.classification). */
  marking: string;
  webOrDatabase: boolean;
  webDbSite: string;
  webDbInstance: string;
}

/** A STIG of the checklist (CKL iSTIG/STIG_INFO, CKLB stigs[]). */
export interface ChecklistStigInfo {
  /** The benchmark id (`Docker_Enterprise_2-x_Linux-UNIX_STIG`). */
  stigId: string;
  title: string;
  /** The major version (`2`). */
  version: string;
  /** DISA's release line (`Release: 2 Benchmark Date: 24 Jul 2024`). */
  releaseInfo: string;
  /** The benchmark file name. */
  fileName: string;
  /** A uuid naming this STIG in the checklist (rules refer to it in CKLB). */
  uuid: string;
  classification: string;
  description: string;
  notice: string;
  source: string;
}

/** A severity override (CKL SEVERITY_OVERRIDE/SEVERITY_JUSTIFICATION, CKLB overrides.severity). */
export interface SeverityOverride {
  severity: ChecklistSeverity;
  reason: string;
}

/** One rule of a STIG with its evaluation (CKL VULN, CKLB rules[]). */
export interface ChecklistRule {
  /** The group id (`V-235802`: CKL Vuln_Num). */
  groupId: string;
  groupTitle: string;
  /** The XCCDF rule id with its `_rule` suffix (`SV-235802r960963_rule`). */
  ruleId: string;
  /** The STIG id (`DKER-EE-001960`: CKL Rule_Ver). */
  stigId: string;
  ruleTitle: string;
  severity: ChecklistSeverity;
  weight: string;
  discussion: string;
  checkContent: string;
  fixText: string;
  falsePositives: string;
  falseNegatives: string;
  documentable: string;
  mitigations: string;
  potentialImpacts: string;
  thirdPartyTools: string;
  mitigationControl: string;
  responsibility: string;
  securityOverrideGuidance: string;
  iaControls: string;
  checkContentRef: string;
  classification: string;
  legacyIds: string[];
  ccis: string[];
  status: ChecklistStatus;
  findingDetails: string;
  comments: string;
  severityOverride?: SeverityOverride;
}

export interface ChecklistStig {
  info: ChecklistStigInfo;
  rules: ChecklistRule[];
}

/** A whole checklist: one asset, one or more STIGs. */
export interface Checklist {
  /** The checklist's title (CKLB `title`; CKL has none and reads back as the host name). */
  title: string;
  /** A uuid of the checklist (CKLB `id`). */
  id: string;
  asset: ChecklistAsset;
  stigs: ChecklistStig[];
}

/**
 * The line that starts what Plimsoll generates in a rule's comments. Everything before it is the statement a
 * person wrote (a review's statement, or the comments of a checklist filled in elsewhere).
 */
export const GENERATED_COMMENTS_MARKER = '--- Plimsoll ---';

/** Joins a person's statement and Plimsoll's generated lines into a rule's comments. */
export function joinComments(statement: string, generated: readonly string[]): string {
  if (generated.length === 0) return statement;
  const tail = [GENERATED_COMMENTS_MARKER, ...generated].join('\n');
  return statement === '' ? tail : `${statement}\n\n${tail}`;
}

/** The statement part of a rule's comments: what precedes Plimsoll's generated block (all of it when there is none). */
export function statementOf(comments: string): string {
  const at = comments.startsWith(GENERATED_COMMENTS_MARKER) ? 0 : comments.indexOf(`\n\n${GENERATED_COMMENTS_MARKER}`);
  return at < 0 ? comments : comments.slice(0, at);
}

/**
 * One answered rule of a checklist, the neutral form an import turns into a manual review: which benchmark
 * and release, which rule (rule id and STIG id), the status, the finding details and the comments.
 */
export interface ChecklistReviewEntry {
  benchmarkId: string;
  /** `V2R2`, when the STIG's version and release info give one. */
  release?: string;
  ruleId: string;
  stigId: string;
  groupId: string;
  status: ChecklistStatus;
  findingDetails: string;
  comments: string;
  /** The comments without Plimsoll's generated block. */
  statement: string;
  severityOverride?: SeverityOverride;
  /** Where the rule sits in the file (`/stigs/0/rules/3` in a CKLB, `line 120` in a CKL), for messages. */
  place: string;
}

/** The release (`V2R2`) a STIG's version and release info name, or undefined. */
export function releaseOf(info: Pick<ChecklistStigInfo, 'version' | 'releaseInfo'>): string | undefined {
  const version = /(\d+)/.exec(info.version)?.[1];
  const release = /Release:\s*(\d+)/i.exec(info.releaseInfo)?.[1];
  return version !== undefined && release !== undefined ? `V${version}R${release}` : undefined;
}

/** The first line of finding details Plimsoll writes for a verdict its own check decided. */
export const AUTOMATED_DETAILS_PREFIX = 'Plimsoll automated check';

/** A checklist entry to import as a manual review (submitted by the importing user). */
export interface ChecklistImport {
  benchmarkId: string;
  release?: string;
  ruleId: string;
  stigId: string;
  result: 'pass' | 'fail' | 'not-applicable';
  /** The reviewer's statement: the comments without Plimsoll's generated block, else the finding details. */
  statement: string;
  findingDetails: string;
  place: string;
}

/** An entry an import leaves out, and why. */
export interface ChecklistSkip {
  ruleId: string;
  place: string;
  reason: 'not-reviewed' | 'automated' | 'empty';
}

const IMPORT_RESULT: Record<Exclude<ChecklistStatus, 'not-reviewed'>, ChecklistImport['result']> = {
  'not-a-finding': 'pass',
  open: 'fail',
  'not-applicable': 'not-applicable',
};

/**
 * Which entries of a checklist become manual reviews. Left out: rules not reviewed (no answer), Plimsoll's own
 * automated verdicts without a reviewer's statement (a check decided them; a person did not), and answers with
 * neither statement nor details (a review states why).
 */
export function checklistImports(entries: readonly ChecklistReviewEntry[]): { imports: ChecklistImport[]; skipped: ChecklistSkip[] } {
  const imports: ChecklistImport[] = [];
  const skipped: ChecklistSkip[] = [];
  for (const e of entries) {
    const skip = (reason: ChecklistSkip['reason']): void => {
      skipped.push({ ruleId: e.ruleId, place: e.place, reason });
    };
    if (e.status === 'not-reviewed') skip('not-reviewed');
    else if (e.statement.trim() === '' && e.findingDetails.startsWith(AUTOMATED_DETAILS_PREFIX)) skip('automated');
    else if (e.statement.trim() === '' && e.findingDetails.trim() === '') skip('empty');
    else {
      imports.push({
        benchmarkId: e.benchmarkId,
        ...(e.release !== undefined ? { release: e.release } : {}),
        ruleId: e.ruleId,
        stigId: e.stigId,
        result: IMPORT_RESULT[e.status],
        statement: e.statement.trim() !== '' ? e.statement : e.findingDetails,
        findingDetails: e.findingDetails,
        place: e.place,
      });
    }
  }
  return { imports, skipped };
}
