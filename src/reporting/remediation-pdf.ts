/**
 * The remediation plan (PDF): the open failures of one assessment as prioritised items (severity, then due
 * date), each with the STIG fix text once and, per node, its owner when known and the concrete step for every
 * failing target (`docker update --memory 256m web`). Due dates come from the one milestone policy the POA&M
 * uses. Exempted and accepted failures are listed apart, never scheduled as open work. Layout and wording:
 * reports/remediation-plan.json. Pure over its input: the same assessment gives the same bytes.
 */
import { DEFAULT_MILESTONE_POLICY } from '../domain/milestones.js';
import { benchmarksOf, releaseLabel } from './oscal-inventory.js';
import { PdfCanvas } from './pdf-canvas.js';
import type { PdfReportInput } from './pdf-report-input.js';
import { PdfReportModel, type RemediationItem, SEVERITY_ORDER, showDate, targetLabel } from './pdf-report-model.js';
import type { RemediationSectionId, ReportLayouts, SectionLayout } from './report-layout.js';

interface Ctx {
  canvas: PdfCanvas;
  model: PdfReportModel;
  layouts: ReportLayouts;
  items: RemediationItem[];
}

/** Renders the remediation plan of one assessment. */
export async function renderRemediationPdf(input: PdfReportInput, layouts: ReportLayouts): Promise<Uint8Array> {
  const { assessment, benchmark } = input.report;
  const layout = layouts.remediation;
  const canvas = new PdfCanvas(layouts.branding, {
    title: `${layout.title}: ${benchmark.title}`,
    subject: `Assessment ${assessment.id}`,
    author: input.report.actor.name,
    keywords: `STIG, ${benchmark.benchmarkId}, ${releaseLabel(benchmark)}, remediation, POA&M`,
    date: new Date(assessment.finishedAt ?? assessment.startedAt),
  });
  const model = new PdfReportModel(input);
  const ctx: Ctx = { canvas, model, layouts, items: model.remediationItems() };
  for (const section of layout.sections) SECTIONS[section.id](ctx, section);
  return canvas.finish(`${layout.title} - assessment ${assessment.id}`);
}

type SectionRenderer = (ctx: Ctx, section: SectionLayout<RemediationSectionId>) => void;

const SECTIONS: Record<RemediationSectionId, SectionRenderer> = { cover: drawCover, overview: drawOverview, items: drawItems, deferred: drawDeferred };

function drawCover({ canvas, model, layouts, items }: Ctx, section: SectionLayout<RemediationSectionId>): void {
  const { assessment, nodes } = model.input.report;
  const b = layouts.branding;
  const policy = model.input.milestonePolicy ?? DEFAULT_MILESTONE_POLICY;
  canvas.bookmark(section.title);
  canvas.doc.moveDown(4);
  canvas.paragraph(b.organization, { color: b.colors.muted, size: b.fontSizes.subheading });
  canvas.paragraph(layouts.remediation.title, { bold: true, color: b.colors.primary, size: b.fontSizes.title });
  if (layouts.remediation.subtitle !== undefined) canvas.paragraph(layouts.remediation.subtitle, { color: b.colors.muted, size: b.fontSizes.subheading, gap: 2 });
  canvas.keyValues([
    [benchmarksOf(model.input.report).length > 1 ? 'Benchmarks' : 'Benchmark', benchmarksOf(model.input.report).map((x) => `${x.title} (${x.benchmarkId}) ${releaseLabel(x)}`).join('; ')],
    ['Assessment', assessment.id],
    ['Finished', assessment.finishedAt !== undefined ? showDate(assessment.finishedAt) : 'Not finished'],
    ['Nodes', String(nodes.length)],
    ['Open findings', `${items.reduce((n, i) => n + i.nodes.length, 0)} (rule on a node), in ${items.length} item(s)`],
    ['Milestone policy', SEVERITY_ORDER.filter((s) => s !== 'unknown').map((s) => `${b.severityLabels[s]} ${policy.dueDays[s]} days`).join(', ') + ` (unknown severity: ${policy.dueDays.unknown} days)`],
  ]);
}

function drawOverview({ canvas, layouts, items }: Ctx, section: SectionLayout<RemediationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  if (items.length === 0) return canvas.empty(section, 'No open findings.');
  canvas.table(
    [
      { header: '#', width: 0.06 },
      { header: 'Severity', width: 0.1 },
      { header: 'Due', width: 0.12 },
      { header: 'STIG ID', width: 0.17, mono: true },
      { header: 'Rule', width: 0.38 },
      { header: 'Nodes', width: 0.17 },
    ],
    items.map((item, i) => [
      String(i + 1),
      { text: layouts.branding.severityLabels[item.severity], color: item.severity === 'high' ? layouts.branding.statusColors.fail : layouts.branding.colors.text, bold: item.severity === 'high' },
      item.due,
      item.stigId,
      item.title,
      item.nodes.length <= 4 ? item.nodes.map((n) => n.nodeName).join(', ') : `${item.nodes.length} nodes`,
    ]),
  );
}

function drawItems({ canvas, layouts, items }: Ctx, section: SectionLayout<RemediationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  if (items.length === 0) return canvas.empty(section, 'No open findings.');
  const b = layouts.branding;
  let severity: string | undefined;
  items.forEach((item, i) => {
    if (item.severity !== severity) {
      severity = item.severity;
      canvas.subheading(`${b.severityLabels[item.severity]} (${item.severity})`);
    }
    canvas.ensureSpace(90);
    canvas.paragraph(`${i + 1}. ${item.stigId} - ${item.title}`, { bold: true, color: b.colors.primary, gap: 0.2 });
    canvas.keyValues(
      [
        ['Severity', `${b.severityLabels[item.severity]} (${item.severity})`],
        ['Due', item.due],
        ['Rule', item.ruleId],
      ],
      0.16,
    );
    canvas.paragraph('Fix text (STIG)', { bold: true, size: b.fontSizes.small, color: b.colors.muted, gap: 0.1 });
    canvas.paragraph(item.fixText.trim() !== '' ? item.fixText : 'The benchmark gives no fix text for this rule.', { size: b.fontSizes.small });
    if (item.concrete !== undefined) {
      canvas.paragraph('Concrete remediation', { bold: true, size: b.fontSizes.small, color: b.colors.muted, gap: 0.1 });
      canvas.paragraph(item.concrete, { size: b.fontSizes.small });
    }
    const fallback = item.concrete !== undefined ? 'Apply the concrete remediation above to this target.' : 'Follow the fix text.';
    canvas.table(
      [
        { header: 'Node / owner', width: 0.2 },
        { header: 'Target', width: 0.22 },
        { header: 'Steps for this target', width: 0.58 },
      ],
      item.nodes.flatMap((n) => {
        const who = `${n.nodeName}\nowner: ${n.owner ?? 'not recorded'}\nfirst observed ${n.firstObservedAt.slice(0, 10)}`;
        return n.steps.map((s, j) => [j === 0 ? who : '', targetLabel(s.target), s.commands.length > 0 ? { text: s.commands.join('\n'), color: b.colors.text, mono: true } : fallback]);
      }),
    );
  });
}

function drawDeferred({ canvas, model }: Ctx, section: SectionLayout<RemediationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  const deferred = model.deferred();
  if (deferred.length === 0) return canvas.empty(section, 'No exempted or accepted failures.');
  canvas.table(
    [
      { header: 'STIG ID', width: 0.17, mono: true },
      { header: 'Node', width: 0.15 },
      { header: 'Recorded as', width: 0.28 },
      { header: 'Expires', width: 0.2 },
      { header: 'Approved by', width: 0.2 },
    ],
    deferred.map(({ result: r, disposition: d }) =>
      d.kind === 'exempted'
        ? [r.stigId, model.nodeName(r.nodeId), `exemption ${d.by.name}`, showDate(d.by.expiresAt), d.by.approvedBy]
        : [r.stigId, model.nodeName(r.nodeId), 'accepted risk', d.by.expiresAt !== undefined ? showDate(d.by.expiresAt) : 'no expiry', d.by.approvedBy],
    ),
  );
}
