import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetPdfInput } from '../../../bench/pdf-fleet.js';
import { recreatesContainer } from '../../../src/checks/remediation.js';
import { ReportLayoutRepository } from '../../../src/repositories/report-layout-repository.js';
import type { PdfReportInput } from '../../../src/reporting/pdf-report-input.js';
import { renderRemediationPdf } from '../../../src/reporting/remediation-pdf.js';
import type { ReportLayouts } from '../../../src/reporting/report-layout.js';
import { repoRoot } from '../../harness/content.js';
import { flat, pageOf, type ReadPdf, readPdf } from './pdf-tools.js';

let layouts: ReportLayouts;
let input: PdfReportInput;
let bytes: Uint8Array;
let pdf: ReadPdf;

/** The overview table's rows as `[#, severity, due, STIG id]`, in document order. */
function overviewRows(p: ReadPdf): string[][] {
  const from = p.outline.find((o) => o.title === 'Overview')!.page;
  const to = p.outline.find((o) => o.title === 'Remediation items')!.page;
  const text = flat(p.pages.slice(from - 1, to - 1).join('\n'));
  return [...text.matchAll(/ (\d+) (CAT I{1,3}|Unknown) (\d{4}-\d\d-\d\d) (DKER-EE-\d+)/g)].map((m) => m.slice(1, 5));
}

beforeAll(async () => {
  layouts = await new ReportLayoutRepository(path.join(repoRoot, 'reports')).load();
  input = fleetPdfInput({ nodes: 1, containersPerNode: 4, extras: true });
  bytes = await renderRemediationPdf(input, layouts);
  pdf = readPdf(bytes);
});

describe('remediation plan PDF', () => {
  it('has a bookmark per section of reports/remediation-plan.json and numbers every page', () => {
    expect(pdf.outline.map((o) => o.title)).toEqual(layouts.remediation.sections.map((s) => s.title));
    expect(pdf.outline.find((o) => o.title === 'Remediation items')!.kids.map((k) => k.title)).toEqual(['CAT I (high)', 'CAT II (medium)', 'CAT III (low)']);
    pdf.pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pdf.pageCount}`));
    expect(pdf.images).toBe(0);
  });

  it('orders the items by severity, then due date, dated by the milestone policy from the first observation', async () => {
    const rows = overviewRows(pdf);
    const open = input.report.results.filter((r) => r.status === 'fail' && r.exemption === undefined && !(r.nodeId === 'node-0' && r.stigId === input.acceptedRisks![0]!.stigId));
    expect(rows).toHaveLength(open.length);
    expect(rows.map((r) => Number(r[0]))).toEqual(rows.map((_, i) => i + 1));
    const rank = { 'CAT I': 0, 'CAT II': 1, 'CAT III': 2, Unknown: 3 } as Record<string, number>;
    for (let i = 1; i < rows.length; i += 1) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(rank[a[1]!]! < rank[b[1]!]! || (a[1] === b[1] && a[2]! <= b[2]!)).toBe(true);
    }
    // Started 2026-11-30: CAT I due after 30 days, CAT II after 90, CAT III after 180.
    expect(new Set(rows.map((r) => `${r[1]} ${r[2]}`))).toEqual(new Set(['CAT I 2026-12-30', 'CAT II 2027-02-28', 'CAT III 2027-05-29']));

    // A carried-over finding keeps its first observation: due earlier, it comes first among its severity.
    const catII = open.filter((r) => r.severity === 'medium').at(-1)!;
    const carried = readPdf(await renderRemediationPdf({ ...input, firstObservedAt: { [`${catII.nodeId}/${catII.stigId}`]: '2026-10-01T00:00:00.000Z' } }, layouts));
    const first = overviewRows(carried).find((r) => r[1] === 'CAT II')!;
    expect(first.slice(2)).toEqual(['2026-12-30', catII.stigId]);

    // The policy is configurable (PLIMSOLL_POAM_DUE_DAYS).
    const strict = readPdf(await renderRemediationPdf({ ...input, milestonePolicy: { dueDays: { high: 7, medium: 14, low: 21, unknown: 14 } } }, layouts));
    expect(new Set(overviewRows(strict).map((r) => `${r[1]} ${r[2]}`))).toEqual(new Set(['CAT I 2026-12-07', 'CAT II 2026-12-14', 'CAT III 2026-12-21']));
  });

  it('gives concrete steps for each failing target, with the container named in the command', () => {
    const text = flat(pdf.text);
    expect(text).toContain('docker update --memory 256m --memory-swap 256m web');
    const failing = input.report.targets.filter((t) => t.status === 'fail' && t.target.kind === 'container' && t.exemptedBy === undefined);
    for (const t of failing) expect(text).toContain(`container ${t.target.name}`);
    // A daemon finding has no per-container command: the concrete remediation is printed once for the item.
    expect(text).toContain('Apply the concrete remediation above to this target.');
    expect(text).toContain('Concrete remediation');
    // A setting that can't change in place: the container is recreated, by name.
    const recreated = failing.find((t) => recreatesContainer(t.stigId))!;
    expect(text).toContain(`docker rm -f ${recreated.target.name}`);
  });

  it('names the owner when known and says when it is not', async () => {
    expect(flat(pdf.text)).toContain('owner: Platform team');
    const bare = readPdf(await renderRemediationPdf(fleetPdfInput({ nodes: 1, containersPerNode: 2 }), layouts));
    expect(flat(bare.text)).toContain('owner: not recorded');
  });

  it('lists exempted and accepted failures apart, never as items', () => {
    const deferredPage = pageOf(pdf, 'Exempted and accepted findings\n');
    const deferred = flat(pdf.pages.slice(deferredPage - 1).join('\n'));
    expect(deferred).toContain('exemption legacy-web');
    expect(deferred).toContain('accepted risk');
    const exempted = input.report.results.find((r) => r.exemption !== undefined)!;
    expect(overviewRows(pdf).map((r) => r[3])).not.toContain(exempted.stigId);
  });

  it('says plainly when nothing is open', async () => {
    const clean = fleetPdfInput({ nodes: 1, containersPerNode: 2 });
    const passing = { ...clean, report: { ...clean.report, results: clean.report.results.map((r) => (r.status === 'fail' ? { ...r, status: 'pass' as const } : r)), targets: clean.report.targets.map((t) => (t.status === 'fail' ? { ...t, status: 'pass' as const } : t)) } };
    const text = flat(readPdf(await renderRemediationPdf(passing, layouts)).text);
    expect(text).toContain(layouts.remediation.sections.find((s) => s.id === 'items')!.empty!);
    expect(text).toContain(layouts.remediation.sections.find((s) => s.id === 'deferred')!.empty!);
  });

  it('renders the same assessment to the same bytes', async () => {
    const again = await renderRemediationPdf(fleetPdfInput({ nodes: 1, containersPerNode: 4, extras: true }), layouts);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
  });
});
