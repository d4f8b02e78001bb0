/**
 * The attestation report (PDF): cover, scope, summary charts, results by rule with the targets that failed,
 * manual reviews, exemptions and accepted risks, drift, the OSCAL results digest and the signature block, in
 * the order and wording of reports/attestation.json. Pure over its input and layouts: the same assessment gives
 * the same bytes. A section without data prints the layout's `empty` sentence, never invented content.
 */
import type { RuleResult } from '../domain/results.js';
import { benchmarksOf, releaseLabel } from './oscal-inventory.js';
import { PdfCanvas, type TableCell } from './pdf-canvas.js';
import { stackedBarChart } from './pdf-charts.js';
import { findingKey, type PdfReportInput } from './pdf-report-input.js';
import { PdfReportModel, SEVERITY_ORDER, showDate, targetLabel } from './pdf-report-model.js';
import { drawDrift, drawSignatures, type RenderContext } from './attestation-sections.js';
import type { AttestationSectionId, ReportLayouts, SectionLayout } from './report-layout.js';

/** Failed targets listed per rule before "and N more": a rule row must fit on a page. */
const MAX_TARGETS_PER_RULE = 40;

/** Renders the attestation report of one assessment. */
export async function renderAttestationPdf(input: PdfReportInput, layouts: ReportLayouts): Promise<Uint8Array> {
  const { assessment, benchmark } = input.report;
  const layout = layouts.attestation;
  const canvas = new PdfCanvas(layouts.branding, {
    title: `${layout.title}: ${benchmark.title}`,
    subject: `Assessment ${assessment.id}`,
    author: input.report.actor.name,
    keywords: `STIG, ${benchmark.benchmarkId}, ${releaseLabel(benchmark)}, attestation`,
    date: new Date(assessment.finishedAt ?? assessment.startedAt),
  });
  const ctx: RenderContext = { canvas, model: new PdfReportModel(input), layouts };
  for (const section of layout.sections) SECTIONS[section.id](ctx, section);
  return canvas.finish(`${layout.title} - assessment ${assessment.id}`);
}

type SectionRenderer = (ctx: RenderContext, section: SectionLayout<AttestationSectionId>) => void;

const SECTIONS: Record<AttestationSectionId, SectionRenderer> = {
  cover: drawCover,
  scope: drawScope,
  summary: drawSummary,
  results: drawResults,
  reviews: drawReviews,
  exemptions: drawExemptions,
  drift: drawDrift,
  integrity: drawIntegrity,
  signatures: drawSignatures,
};

function drawCover({ canvas, model, layouts }: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  const { assessment, benchmark, profile, actor, tool, nodes } = model.input.report;
  const b = layouts.branding;
  canvas.bookmark(section.title);
  canvas.doc.moveDown(4);
  canvas.paragraph(b.organization, { color: b.colors.muted, size: b.fontSizes.subheading });
  canvas.paragraph(layouts.attestation.title, { bold: true, color: b.colors.primary, size: b.fontSizes.title });
  if (layouts.attestation.subtitle !== undefined) canvas.paragraph(layouts.attestation.subtitle, { color: b.colors.muted, size: b.fontSizes.subheading, gap: 2 });
  const rows: [string, string][] = [
    ['System', model.input.system ?? 'Not recorded: the nodes listed under Scope'],
    // A run of several benchmarks names each (with its release and profile); one benchmark keeps its four rows.
    ...(benchmarksOf(model.input.report).length > 1
      ? benchmarksOf(model.input.report).map((x, i): [string, string] => [`Benchmark ${i + 1}`, `${x.title} (${x.benchmarkId}) ${releaseLabel(x)}${x.profile !== undefined ? `, profile ${x.profile.id}` : ', every rule'}`])
      : ([
          ['Benchmark', `${benchmark.title} (${benchmark.benchmarkId})`],
          ['Release', `${releaseLabel(benchmark)}${benchmark.releaseDate !== undefined ? `, benchmark date ${benchmark.releaseDate}` : ''}`],
          ...(benchmark.sha256 !== undefined ? ([['Benchmark sha256', benchmark.sha256]] as [string, string][]) : []),
          ['Profile', profile !== undefined ? `${profile.title ?? profile.id} (${profile.id})` : 'Every rule of the benchmark (no profile)'],
        ] as [string, string][])),
    ['Assessment', assessment.id],
    ['Status', assessment.status],
    ['Started', showDate(assessment.startedAt)],
    ['Finished', assessment.finishedAt !== undefined ? showDate(assessment.finishedAt) : 'Not finished'],
    ['Assessor', actor.role !== undefined ? `${actor.name} (${actor.role})` : actor.name],
    ['Nodes', `${nodes.length}: ${nodes.slice(0, 12).map((n) => n.name).join(', ')}${nodes.length > 12 ? ` and ${nodes.length - 12} more` : ''}`],
    ['Tool', `${tool.name} ${tool.version}`],
    ['OSCAL results sha256', model.input.oscalResultsSha256 ?? 'Not recorded'],
  ];
  canvas.keyValues(rows);
}

function drawScope({ canvas, model }: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  const nodes = model.input.report.nodes;
  if (nodes.length === 0) return canvas.empty(section, 'No nodes.');
  const rows = nodes.map((n): string[] => {
    const a = n.asset;
    const status = n.status === undefined ? 'unknown' : n.status.state === 'failed' ? `failed (${n.status.reason}): ${n.status.message}` : n.status.state === 'interrupted' ? `interrupted: ${n.status.message}` : n.status.state;
    return [
      n.name,
      n.endpoint,
      [a?.hostName?.value, a?.fqdn?.value].filter((v) => v !== undefined).join('\n') || 'not recorded',
      [...(a?.ipAddresses?.value ?? []), ...(a?.macAddresses?.value ?? [])].join('\n') || 'not recorded',
      [a?.os?.value, a?.role?.value, n.engineVersion !== undefined ? `Engine ${n.engineVersion}` : undefined].filter((v) => v !== undefined).join('\n') || 'not recorded',
      String(model.containersOf(n.id)),
      status,
    ];
  });
  canvas.table(
    [
      { header: 'Node', width: 0.12, bold: true },
      { header: 'Endpoint', width: 0.16 },
      { header: 'Host name / FQDN', width: 0.16 },
      { header: 'IP / MAC addresses', width: 0.16 },
      { header: 'OS / role / engine', width: 0.16 },
      { header: 'Containers', width: 0.1 },
      { header: 'Collection', width: 0.14 },
    ],
    rows,
  );
}

function drawSummary({ canvas, model, layouts }: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  canvas.startSection(section.title, section.intro);
  const results = model.input.report.results;
  if (results.length === 0) return canvas.empty(section, 'No results.');
  const c = model.count(results);
  canvas.keyValues([
    ['Rule results', `${results.length} (${model.input.report.rules.length} rules on ${model.input.report.nodes.length} node(s))`],
    ['Passed', String(c.pass ?? 0)],
    ['Failed, open', String(c.fail ?? 0)],
    ['Failed, exempted or accepted', String(c.accepted ?? 0)],
    ['Not applicable', String(c['not-applicable'] ?? 0)],
    ['Not checked (manual review)', String(c['not-checked'] ?? 0)],
    ['Error', String(c.error ?? 0)],
  ]);
  stackedBarChart(canvas, 'Results by severity', model.bySeverity(layouts.branding));
  stackedBarChart(canvas, 'Results by SP 800-53 control family', model.byControlFamily());
  if (model.input.report.nodes.length > 1) stackedBarChart(canvas, 'Results by node', model.byNode());
}

function statusCell(ctx: RenderContext, r: RuleResult, withMessage: boolean): TableCell {
  const s = ctx.model.chartStatus(r);
  const d = ctx.model.disposition(r);
  const kind = d.kind === 'exempted' ? ctx.model.input.exemptionKinds?.[d.by.id] : undefined;
  const attested = ctx.model.input.attestations?.[findingKey(r.nodeId, r.stigId)];
  const word =
    d.kind === 'exempted'
      ? `fail, exempted (${d.by.name}${kind !== undefined ? `, ${kind}` : ''})`
      : d.kind === 'accepted'
        ? 'fail, accepted risk'
        : attested !== undefined
          ? `${r.status}, attested by ${attested.submittedBy}, accepted by ${attested.acceptedBy}`
          : r.status;
  return { text: withMessage && r.message !== '' ? `${word}: ${r.message}` : word, color: ctx.layouts.branding.statusColors[s], bold: r.status === 'fail' };
}

function failedTargetsText(ctx: RenderContext, results: readonly RuleResult[], multiNode: boolean): string {
  const parts: string[] = [];
  let listed = 0;
  let more = 0;
  for (const r of results) {
    const targets = ctx.model.failedTargets(r);
    if (targets.length === 0) continue;
    const room = Math.max(0, MAX_TARGETS_PER_RULE - listed);
    const shown = targets.slice(0, room).map(targetLabel);
    listed += shown.length;
    more += targets.length - shown.length;
    if (shown.length > 0) parts.push(multiNode ? `${ctx.model.nodeName(r.nodeId)}: ${shown.join(', ')}` : shown.join('\n'));
  }
  if (more > 0) parts.push(`and ${more} more (see the OSCAL results)`);
  return parts.join('\n');
}

function drawResults(ctx: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  const { canvas, model, layouts } = ctx;
  canvas.startSection(section.title, section.intro);
  const rules = model.resultsByRule();
  if (rules.length === 0) return canvas.empty(section, 'No results.');
  const multiNode = model.input.report.nodes.length > 1;
  for (const severity of SEVERITY_ORDER) {
    const group = rules.filter((r) => r.severity === severity);
    if (group.length === 0) continue;
    canvas.subheading(`${layouts.branding.severityLabels[severity]} (${severity}): ${group.length} rule(s)`);
    const rows = group.map((rule): TableCell[] => {
      let result: TableCell;
      if (!multiNode) result = statusCell(ctx, rule.results[0]!, true);
      else {
        const counts = model.count(rule.results);
        const text = Object.entries(counts)
          .map(([s, n]) => `${s === 'fail' ? 'open fail' : s === 'accepted' ? 'exempted/accepted' : s} on ${n}`)
          .join(', ');
        const worst = (counts.fail ?? 0) > 0 ? 'fail' : (counts.accepted ?? 0) > 0 ? 'accepted' : (counts.error ?? 0) > 0 ? 'error' : 'pass';
        result = { text: `${text} of ${rule.results.length} nodes`, color: layouts.branding.statusColors[worst], bold: worst === 'fail' };
      }
      return [rule.stigId, rule.title, result, failedTargetsText(ctx, rule.results, multiNode) || '-'];
    });
    canvas.table(
      [
        { header: 'STIG ID', width: 0.16, mono: true },
        { header: 'Rule', width: 0.32 },
        { header: 'Result', width: 0.26 },
        { header: 'Failed targets', width: 0.26 },
      ],
      rows,
    );
  }
}

function drawReviews(ctx: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  const { canvas, model } = ctx;
  canvas.startSection(section.title, section.intro);
  const reviews = [...(model.input.reviews ?? [])].sort((a, b) => a.stigId.localeCompare(b.stigId) || a.scope.localeCompare(b.scope));
  if (reviews.length === 0) return canvas.empty(section, 'No manual reviews were recorded.');
  canvas.table(
    [
      { header: 'STIG ID', width: 0.16, mono: true },
      { header: 'Scope', width: 0.1 },
      { header: 'Answer / state', width: 0.12 },
      { header: 'Statement and evidence', width: 0.28 },
      { header: 'Submitted by', width: 0.17 },
      { header: 'Approved by', width: 0.17 },
    ],
    reviews.map((r) => [
      r.stigId,
      r.scope,
      `${r.status}\n${r.state}${r.expiresAt !== undefined ? `\nexpires ${showDate(r.expiresAt)}` : ''}`,
      `${r.statement}${r.evidence !== undefined ? `\nEvidence: ${r.evidence}` : ''}${r.rejectionReason !== undefined ? `\nRejected: ${r.rejectionReason}` : ''}`,
      `${r.submittedBy}${r.submittedAt !== undefined ? `\n${showDate(r.submittedAt)}` : ''}`,
      r.approvedBy !== undefined ? `${r.approvedBy}${r.approvedAt !== undefined ? `\n${showDate(r.approvedAt)}` : ''}` : 'not approved',
    ]),
  );
}

function drawExemptions(ctx: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  const { canvas, model } = ctx;
  canvas.startSection(section.title, section.intro);
  const deferred = model.deferred();
  const expired = model.input.report.results.flatMap((r) => (r.expiredExemptions ?? []).map((e) => ({ r, e })));
  if (deferred.length === 0 && expired.length === 0) return canvas.empty(section, 'No exemptions or accepted risks.');
  const exempted = deferred.filter((d) => d.disposition.kind === 'exempted');
  const accepted = deferred.filter((d) => d.disposition.kind === 'accepted');
  const table = (rows: string[][]): void =>
    canvas.table(
      [
        { header: 'STIG ID', width: 0.16, mono: true },
        { header: 'Node', width: 0.12 },
        { header: 'Approval', width: 0.22 },
        { header: 'Justification', width: 0.34 },
        { header: 'Expires', width: 0.16 },
      ],
      rows,
    );
  if (exempted.length > 0) {
    canvas.subheading(`Exemptions: ${exempted.length} failed rule result(s)`);
    table(
      exempted.map(({ result: r, disposition: d }) => {
        const e = d.kind === 'exempted' ? d.by : undefined;
        return [r.stigId, model.nodeName(r.nodeId), `${e?.name ?? ''}\napproved by ${e?.approvedBy ?? ''}\n${showDate(e?.approvedAt)}`, e?.justification ?? '', showDate(e?.expiresAt)];
      }),
    );
  }
  if (accepted.length > 0) {
    canvas.subheading(`Accepted risks: ${accepted.length} failed rule result(s)`);
    table(
      accepted.map(({ result: r, disposition: d }) => {
        const a = d.kind === 'accepted' ? d.by : undefined;
        return [r.stigId, model.nodeName(r.nodeId), `approved by ${a?.approvedBy ?? ''}\n${showDate(a?.approvedAt)}`, a?.justification ?? '', a?.expiresAt !== undefined ? showDate(a.expiresAt) : 'no expiry'];
      }),
    );
  }
  if (expired.length > 0) {
    canvas.subheading(`Expired exemptions (no longer applied): ${expired.length}`);
    table(expired.map(({ r, e }) => [r.stigId, model.nodeName(r.nodeId), e.name, 'Expired: the failure is open.', showDate(e.expiresAt)]));
  }
}

function drawIntegrity(ctx: RenderContext, section: SectionLayout<AttestationSectionId>): void {
  const { canvas, model } = ctx;
  canvas.startSection(section.title, section.intro);
  const sha = model.input.oscalResultsSha256;
  if (sha === undefined) canvas.empty(section, 'No OSCAL results digest was recorded.');
  else canvas.keyValues([['OSCAL assessment results sha256', sha]]);
  const facts = model.input.report.nodes.filter((n) => n.factsSha256 !== undefined);
  if (facts.length > 0) {
    canvas.subheading('Collected facts per node (sha256)');
    canvas.table(
      [
        { header: 'Node', width: 0.15, bold: true },
        { header: 'Collected', width: 0.17 },
        { header: 'sha256 of the stored facts', width: 0.68, mono: true },
      ],
      facts.map((n) => [n.name, showDate(n.collectedAt), n.factsSha256!]),
    );
  }
}
