/**
 * Imports a STIG Viewer checklist (CKL or CKLB, as content: an upload's bytes or a file the CLI read) as manual
 * reviews, submitted by the importing user, through the review service's one-transaction import (all or
 * nothing). What it decides itself:
 *
 * - Which entries are reviews (`checklistImports`): answered rules with a reviewer's statement or details;
 *   unreviewed rules and Plimsoll's own automated verdicts are left out and reported as skipped.
 * - Which rules: each entry is matched by benchmark id AND release (the STIG's version and release info, e.g.
 *   V2R2) to a benchmark document in the library, then by rule id (SV-…) in that document, whose STIG id must
 *   be the entry's: a checklist of another release, or a rule that release does not have, is refused naming
 *   the file and the rule's place (line or JSON pointer), before anything is stored.
 * - Scope: the node given, else the node named by the checklist's host name (the review service refuses an
 *   unknown node). Statement: the comments without Plimsoll's generated block, else the finding details;
 *   the finding details are kept as text evidence.
 */
import { type ChecklistImport, checklistImports } from '../domain/checklist.js';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { ChecklistImportOutcome, ChecklistImportRequest, ChecklistService, LibraryService, StoredDocument, UploadService } from '../domain/services.js';
import { checklistEntries, type ReadChecklistOptions } from '../formats/ckl/checklist-read.js';
import { readChecklist } from '../formats/ckl/read-checklist.js';

/** How long reviews imported from a checklist apply once accepted, unless the importer says otherwise. */
export const DEFAULT_IMPORT_EXPIRY = { kind: 'period', period: 'P365D' } as const;

/** One review to create (the review service's ImportedReviewInput, as far as checklists fill it in). */
export interface ChecklistReviewInput {
  /** The benchmark document id of the release the checklist was written for. */
  benchmark: string;
  stigId: string;
  scope: { kind: 'node'; node: string };
  result: ChecklistImport['result'];
  statement: string;
  evidence?: { kind: 'text'; text: string }[];
  expiry: { kind: 'period'; period: string } | { kind: 'date'; date: string };
}

/** The review service's import (ReviewService.importReviews): creates every review submitted, or none. */
export interface ReviewImporter {
  importReviews(reviews: readonly ChecklistReviewInput[], actor: Principal): Promise<readonly { id: string }[]>;
}

export interface ChecklistImportDeps {
  library: Pick<LibraryService, 'listDocuments' | 'getRule'>;
  reviews: ReviewImporter;
  /** Turns an upload id into its bytes (only the uploader's own uploads). */
  uploads: Pick<UploadService, 'resolve'>;
  read?: ReadChecklistOptions;
}

function releaseOfDocument(d: StoredDocument): string | undefined {
  return d.release !== undefined ? `V${d.version}R${d.release}` : undefined;
}

export class ChecklistImportService implements ChecklistService {
  constructor(private readonly deps: ChecklistImportDeps) {}

  /** Reads the checklist, matches its answered rules to the library and imports them as submitted reviews. */
  async importChecklist(req: ChecklistImportRequest, actor: Principal): Promise<ChecklistImportOutcome> {
    const [file] = await this.deps.uploads.resolve([req.file], actor);
    const name = file!.name;
    const read = readChecklist(file!.bytes, name, this.deps.read);
    const { imports, skipped } = checklistImports(checklistEntries(read));
    const node = req.node?.trim() || read.checklist.asset.hostName.trim();
    if (node === '') throw new PlimsollError(ErrorCode.BAD_INPUT, `${name}: the checklist names no host; say which node its reviews are for`);
    const documents = await this.deps.library.listDocuments('benchmark');
    const matched = new Map<string, { documentId: string; benchmarkId: string; release: string }>();
    const inputs: ChecklistReviewInput[] = [];
    for (const i of imports) {
      const where = `${name} (${i.place})`;
      if (i.release === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, `${where}: the STIG of rule ${i.ruleId} names no version and release, so its rule can't be matched to a benchmark release`);
      const key = `${i.benchmarkId}\u0000${i.release}`;
      let doc = matched.get(key);
      if (doc === undefined) {
        const found = documents.filter((d) => d.id === i.benchmarkId && releaseOfDocument(d) === i.release).sort((a, b) => b.importedAt.localeCompare(a.importedAt))[0];
        if (found === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `${where}: benchmark ${i.benchmarkId} ${i.release} is not in the library; import that release first`);
        doc = { documentId: found.documentId, benchmarkId: i.benchmarkId, release: i.release };
        matched.set(key, doc);
      }
      const rule = await this.deps.library.getRule(doc.documentId, i.ruleId);
      if (rule === undefined || rule.ruleId !== i.ruleId || rule.stigId !== i.stigId) {
        throw new PlimsollError(ErrorCode.BAD_INPUT, `${where}: rule ${i.ruleId} (${i.stigId}) is not a rule of ${i.benchmarkId} ${i.release}`);
      }
      const details = i.findingDetails.trim();
      inputs.push({
        benchmark: doc.documentId,
        stigId: i.stigId,
        scope: { kind: 'node', node },
        result: i.result,
        statement: i.statement,
        ...(details !== '' && details !== i.statement.trim() ? { evidence: [{ kind: 'text', text: i.findingDetails }] } : {}),
        expiry: req.expiry ?? DEFAULT_IMPORT_EXPIRY,
      });
    }
    const created = inputs.length > 0 ? await this.deps.reviews.importReviews(inputs, actor) : [];
    return { format: read.format, node, benchmarks: [...matched.values()], reviewIds: created.map((r) => r.id), skipped };
  }
}
