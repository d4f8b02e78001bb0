/**
 * The attestation's drift and signature sections (see attestation-pdf.ts for the others). Drift lists each
 * comparison the drift service recorded for the run (previous run, reference run) with its changes in the drift
 * service's own one-line wording; the signature block fills the layout's roles with the signers given and
 * leaves ruled blank lines for wet signatures.
 */
import { type PdfCanvas, pdfText } from './pdf-canvas.js';
import type { PdfDriftComparison } from './pdf-report-input.js';
import { type PdfReportModel, showDate } from './pdf-report-model.js';
import type { AttestationSectionId, ReportLayouts, SectionLayout } from './report-layout.js';

export interface RenderContext {
  canvas: PdfCanvas;
  model: PdfReportModel;
  layouts: ReportLayouts;
}

/** Change kinds the summary counts, in order, with their words. */
const KIND_WORDS: readonly (readonly [string, string])[] = [
  ['regression', 'Regressions (now failing)'],
  ['remediation', 'Remediations (now passing)'],
  ['error-appeared', 'Errors appeared'],
  ['error-cleared', 'Errors cleared'],
  ['status-changed', 'Other status changes'],
  ['exemption-changed', 'Exemption changes'],
  ['target-appeared', 'Targets appeared'],
  ['target-disappeared', 'Targets disappeared'],
  ['evidence-changed', 'Evidence changes'],
  ['rule-added', 'Rules added'],
  ['rule-removed', 'Rules removed'],
  ['node-not-compared', 'Nodes not compared'],
  ['expiring', 'Expiring soon'],
  ['expired', 'Expired'],
  ['newer-release', 'Newer benchmark releases'],
];

function comparisonTitle(c: PdfDriftComparison): string {
  const which = c.against === 'previous' ? 'Since the previous run' : 'Since the reference run';
  return `${which}: assessment ${c.assessmentId}${c.finishedAt !== undefined ? `, finished ${showDate(c.finishedAt)}` : ''}`;
}

export function drawDrift({ canvas, model }: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  const comparisons = model.input.drift ?? [];
  if (comparisons.length === 0) return canvas.empty(section, 'No drift comparison was recorded.');
  for (const c of comparisons) {
    canvas.subheading(comparisonTitle(c));
    if (c.changes.length === 0) {
      canvas.paragraph('No changes: every target has the same verdict and evidence as in that run.');
      continue;
    }
    const counts = new Map<string, number>();
    for (const ch of c.changes) counts.set(ch.kind, (counts.get(ch.kind) ?? 0) + 1);
    const known = new Set(KIND_WORDS.map(([k]) => k));
    canvas.keyValues([
      ...KIND_WORDS.filter(([k]) => counts.has(k)).map(([k, word]): [string, string] => [word, String(counts.get(k))]),
      ...[...counts].filter(([k]) => !known.has(k)).map(([k, n]): [string, string] => [k, String(n)]),
    ]);
    canvas.table(
      [
        { header: 'Change', width: 0.14 },
        { header: 'Node', width: 0.12 },
        { header: 'STIG ID', width: 0.16, mono: true },
        { header: 'What changed', width: 0.58 },
      ],
      c.changes.map((ch) => [ch.kind, ch.nodeName, ch.stigId ?? '-', ch.line]),
    );
  }
}

export function drawSignatures({ canvas, model, layouts }: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  const { doc, branding: b } = canvas;
  const signers = model.input.signers ?? [];
  const line = (label: string, value: string | undefined): void => {
    canvas.ensureSpace(26);
    const y = doc.y + 12;
    doc.font(b.fonts.bold).fontSize(b.fontSizes.body).fillColor(b.colors.muted).text(pdfText(label), canvas.left, y, { width: 90, lineBreak: false });
    if (value !== undefined && value !== '') doc.font(b.fonts.regular).fillColor(b.colors.text).text(pdfText(value), canvas.left + 96, y - 1, { width: canvas.width * 0.6, lineBreak: false });
    doc.moveTo(canvas.left + 92, y + 10).lineTo(canvas.left + 96 + canvas.width * 0.6, y + 10).lineWidth(0.6).strokeColor(b.colors.text).stroke();
    doc.x = canvas.left;
    doc.y = y + 14;
  };
  for (const role of layouts.attestation.signatureRoles) {
    const signer = signers.find((s) => s.role === role.role);
    canvas.ensureSpace(140);
    canvas.subheading(role.label);
    line('Name', signer?.name);
    line('Title', signer?.title);
    line('Date', signer?.date !== undefined ? showDate(signer.date) : undefined);
    line('Signature', undefined);
    doc.moveDown(1);
  }
}
