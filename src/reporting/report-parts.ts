/**
 * The optional parts of the reporting input that other packages know about, read for one stored assessment:
 * what the PDF renderers print beside the results (attested rules, exemption kinds, the reviews that answered
 * rules, drift against the previous and reference runs, first observations of carried-over findings) and the
 * rule texts a STIG Viewer checklist carries. Everything comes from what was stored with or before the run, so
 * a re-render gives the same bytes; nothing is invented when a part is absent.
 */
import type { ReportWithChanges } from '../domain/drift.js';
import type { EarlierFinding } from '../domain/poam.js';
import type { ReviewEvidence } from '../domain/review.js';
import { describeChange } from '../monitoring/drift-format.js';
import { loadChecklistRuleDetails, type ChecklistRuleDetails } from './checklist-builder.js';
import type { PdfDriftChange, PdfReportInput, PdfReview } from './pdf-report-input.js';
import { findingKey } from './pdf-report-input.js';
import type { PdfRenderInput } from './pdf-renderers.js';

/** Where the parts come from (repositories and services, given by the wiring). */
export interface ReportPartSources {
  /** The drift stored with a run (DriftService.runDrift). */
  runDrift(assessmentId: string): Promise<ReportWithChanges[]>;
  /** Findings of the same node failing since an earlier assessment (TargetResultRepository.earlierFindings). */
  earlierFindings(assessmentId: string, nodeId?: string): Promise<EarlierFinding[]>;
  /** The benchmark's rules with their texts (LibraryService.listRules). */
  listRules(benchmarkDocumentId: string): Promise<{ items: readonly ChecklistRuleDetails[] }>;
}

/** Evidence in one line: the text, the URL, or the uploaded file by name and sha256. */
function evidenceText(e: ReviewEvidence): string {
  return e.kind === 'text' ? e.text : e.kind === 'url' ? e.url : `${e.name} (sha256:${e.sha256})`;
}

/** The reviews that answered this assessment's rules, as the attestation lists them (from the stored results). */
function reviewsOf(input: PdfRenderInput): PdfReview[] {
  const nodeNames = new Map(input.nodes.map((n) => [n.id, n.name]));
  const out: PdfReview[] = [];
  for (const r of input.results) {
    const a = r.attestation;
    if (a === undefined) continue;
    out.push({
      stigId: r.stigId, ruleId: r.ruleId, scope: nodeNames.get(r.nodeId) ?? r.nodeId, status: a.result, state: 'accepted', statement: a.statement,
      ...(a.evidence.length > 0 ? { evidence: a.evidence.map(evidenceText).join('; ') } : {}),
      submittedBy: a.submittedBy, submittedAt: a.submittedAt, approvedBy: a.acceptedBy, approvedAt: a.acceptedAt, expiresAt: a.expiresAt,
    });
  }
  return out;
}

function driftChangeOf(c: ReportWithChanges['changes'][number]): PdfDriftChange {
  const stigId = 'stigId' in c ? c.stigId : undefined;
  const severity = 'severity' in c ? c.severity : undefined;
  return { kind: c.kind, nodeName: c.nodeName, ...(stigId !== undefined ? { stigId } : {}), ...(severity !== undefined ? { severity } : {}), line: describeChange(c) };
}

/** The PDF's parts of one assessment (limited to the input's node when set). */
export async function pdfParts(sources: ReportPartSources, input: PdfRenderInput): Promise<Omit<PdfReportInput, 'report' | 'oscalResultsSha256' | 'milestonePolicy'>> {
  const attestations: Record<string, { submittedBy: string; acceptedBy: string; acceptedAt: string }> = {};
  const exemptionKinds: Record<string, string> = {};
  for (const r of input.results) {
    if (r.attestation !== undefined) attestations[findingKey(r.nodeId, r.stigId)] = { submittedBy: r.attestation.submittedBy, acceptedBy: r.attestation.acceptedBy, acceptedAt: r.attestation.acceptedAt };
    if (r.exemption?.kind !== undefined) exemptionKinds[r.exemption.id] = r.exemption.kind;
  }
  const firstObservedAt: Record<string, string> = {};
  for (const f of await sources.earlierFindings(input.assessment.id, input.node?.id)) {
    const key = findingKey(f.nodeId, f.stigId);
    const known = firstObservedAt[key];
    if (known === undefined || f.firstObservedAt < known) firstObservedAt[key] = f.firstObservedAt;
  }
  const nodeIds = new Set(input.nodes.map((n) => n.id));
  const drift = (await sources.runDrift(input.assessment.id))
    .filter((d) => nodeIds.has(d.report.nodeId) && d.report.comparedAssessmentId !== undefined)
    .map((d) => ({ against: d.report.comparison, assessmentId: d.report.comparedAssessmentId!, changes: d.changes.map(driftChangeOf) }));
  const reviews = reviewsOf(input);
  return {
    ...(reviews.length > 0 ? { reviews } : {}),
    ...(Object.keys(attestations).length > 0 ? { attestations } : {}),
    ...(Object.keys(exemptionKinds).length > 0 ? { exemptionKinds } : {}),
    ...(Object.keys(firstObservedAt).length > 0 ? { firstObservedAt } : {}),
    ...(drift.length > 0 ? { drift } : {}),
  };
}

/** The rule texts (discussion, check, fix, CCIs) a checklist carries. */
export function checklistParts(sources: ReportPartSources, input: PdfRenderInput): Promise<{ ruleDetails: readonly ChecklistRuleDetails[] }> {
  return loadChecklistRuleDetails(sources, input);
}
