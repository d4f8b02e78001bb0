import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetPdfInput } from '../../../bench/pdf-fleet.js';
import { ReportLayoutRepository } from '../../../src/repositories/report-layout-repository.js';
import { renderAttestationPdf } from '../../../src/reporting/attestation-pdf.js';
import type { PdfReportInput } from '../../../src/reporting/pdf-report-input.js';
import type { ReportLayouts } from '../../../src/reporting/report-layout.js';
import { repoRoot } from '../../harness/content.js';
import { filledRects, flat, pageOf, type ReadPdf, readPdf } from './pdf-tools.js';
import { PdfReportModel } from '../../../src/reporting/pdf-report-model.js';

let layouts: ReportLayouts;
let input: PdfReportInput;
let bytes: Uint8Array;
let pdf: ReadPdf;

beforeAll(async () => {
  layouts = await new ReportLayoutRepository(path.join(repoRoot, 'reports')).load();
  input = fleetPdfInput({ nodes: 1, containersPerNode: 4, extras: true });
  bytes = await renderAttestationPdf(input, layouts);
  pdf = readPdf(bytes);
});

describe('attestation PDF', () => {
  it('has one bookmark per section of reports/attestation.json, in its order, opening the page that shows the section', () => {
    const sections = layouts.attestation.sections;
    expect(pdf.outline.map((o) => o.title)).toEqual(sections.map((s) => s.title));
    let previous = 0;
    for (const [i, s] of sections.entries()) {
      const entry = pdf.outline[i]!;
      expect(entry.page).toBeGreaterThanOrEqual(previous);
      previous = entry.page;
      if (s.id !== 'cover') expect(pdf.pages[entry.page - 1]).toContain(s.title);
    }
    // The results section has one child bookmark per severity present.
    const results = pdf.outline.find((o) => o.title === 'Results by rule')!;
    expect(results.kids.map((k) => k.title.split(' (')[0])).toEqual(['CAT I', 'CAT II', 'CAT III']);
  });

  it('numbers every page "Page N of M" and M is pdfinfo\'s page count', () => {
    expect(pdf.pageCount).toBeGreaterThan(5);
    expect(pdf.pages).toHaveLength(pdf.pageCount);
    pdf.pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${pdf.pageCount}`));
  });

  it('puts benchmark, release, assessment, dates, assessor and the OSCAL digest on the cover', () => {
    const cover = flat(pdf.pages[0]!);
    expect(cover).toContain('Security Assessment Attestation');
    expect(cover).toContain('System Mission Planning Platform (MPP)');
    expect(cover).toContain('Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide');
    expect(cover).toContain('V2R2, benchmark date 24 Jul 2024');
    expect(cover).toContain('asm-fleet');
    expect(cover).toContain('2026-11-30 10:02 UTC');
    expect(cover).toContain('alice (assessor)');
    expect(cover).toContain('3b'.repeat(32));
  });

  it('lists the nodes in scope with their asset facts and the containers counted', () => {
    const scope = flat(pdf.pages[pageOf(pdf, 'Scope\n') - 1]!);
    for (const fact of ['alpha', 'unix:///var/run/', 'alpha.example.mil', '10.0.0.4', '02:42:ac:11:00:02', 'Debian GNU/Linux 12', 'Engine 26.1.5', 'collected']) expect(scope).toContain(fact);
    expect(scope).toMatch(/ 4 collected/);
  });

  it('draws the summary charts as vectors (no raster image in the file) with their counts as text', () => {
    expect(pdf.images).toBe(0);
    const summary = flat(pdf.pages[pageOf(pdf, 'Results by severity') - 1]!);
    expect(summary).toContain('Results by SP 800-53 control family');
    const results = input.report.results;
    const open = results.filter((r) => r.status === 'fail').length - 2;
    expect(summary).toContain(`Failed, open ${open}`);
    expect(summary).toContain('Failed, exempted or accepted 2');
    const catI = results.filter((r) => r.severity === 'high');
    expect(summary).toContain(`CAT I ${catI.filter((r) => r.status === 'fail').length} open fail`);
    for (const family of ['AC', 'AU', 'CM', 'IA', 'SC', 'SI']) expect(summary).toMatch(new RegExp(` ${family} \\d+ `));
    // One red bar per chart row with open failures, plus one legend square per chart; a green one per row that passes some.
    const model = new PdfReportModel(input);
    const rows = [...model.bySeverity(layouts.branding), ...model.byControlFamily()];
    const page = pageOf(pdf, 'Results by severity');
    expect(filledRects(pdf, page, layouts.branding.statusColors.fail)).toBe(rows.filter((r) => (r.counts.fail ?? 0) > 0).length + 2);
    expect(filledRects(pdf, page, layouts.branding.statusColors.pass)).toBe(rows.filter((r) => (r.counts.pass ?? 0) > 0).length + 2);
  });

  it('gives every rule its result and names the containers that failed it', () => {
    const text = flat(pdf.text);
    for (const r of input.report.results) expect(text).toContain(r.stigId);
    const failing = input.report.targets.filter((t) => t.status === 'fail' && t.target.kind === 'container');
    expect(failing.length).toBeGreaterThan(3);
    const from = pdf.outline.find((o) => o.title === 'Results by rule')!.page;
    const to = pdf.outline.find((o) => o.title === 'Manual reviews')!.page;
    const section = flat(pdf.pages.slice(from - 1, to - 1).join('\n'));
    for (const t of failing) {
      // The rule's row: from its STIG id to the next rule's.
      const start = section.indexOf(`${t.stigId} `);
      const row = section.slice(start, section.indexOf('DKER-EE-', start + t.stigId.length));
      expect(row).toContain(`container ${t.target.name}`);
    }
    expect(text).toContain('fail, exempted (legacy-web)');
    expect(text).toContain('fail, accepted risk');
  });

  it('lists manual reviews with submitter and approver, and an expired one as expired', () => {
    const reviews = flat(pdf.pages[pageOf(pdf, 'Manual reviews\n') - 1]!);
    expect(reviews).toContain('DKER-EE-001030');
    expect(reviews).toContain('carol 2026-11-20 08:00 UTC');
    expect(reviews).toContain('dave 2026-11-21 08:00 UTC');
    expect(reviews).toMatch(/not-applicable expired/);
  });

  it('keeps exemptions and accepted risks apart from open failures and from each other', () => {
    const page = flat(pdf.pages[pageOf(pdf, 'Exemptions and accepted risks\n') - 1]!);
    expect(page).toContain('Exemptions: 1 failed rule result(s)');
    expect(page).toContain('legacy-web approved by bob');
    expect(page).toContain('Accepted risks: 1 failed rule result(s)');
    expect(page).toContain('Compensating control: host firewall.');
  });

  it('shows a risk-accepted exemption as an accepted risk, and rules answered by a review as attested', async () => {
    const manual = input.report.results.find((r) => r.status === 'not-checked')!;
    const answered = { ...input.report, results: input.report.results.map((r) => (r === manual ? { ...r, status: 'pass' as const } : r)) };
    const text = flat(
      readPdf(
        await renderAttestationPdf(
          { ...input, report: answered, exemptionKinds: { 'ex-1': 'risk-accepted' }, attestations: { [`${manual.nodeId}/${manual.stigId}`]: { submittedBy: 'carol', acceptedBy: 'dave', acceptedAt: '2026-11-21T08:00:00.000Z' } } },
          layouts,
        ),
      ).text,
    );
    expect(text).toContain('Accepted risks: 2 failed rule result(s)');
    expect(text).not.toContain('Exemptions: 1 failed rule result(s)');
    expect(text).toContain('pass, attested by carol, accepted by dave');
  });

  it('keeps a very long cell on its row\'s page, shortened and saying so', async () => {
    const statement = 'The control is met by the platform team. '.repeat(150);
    const long = readPdf(await renderAttestationPdf({ ...input, reviews: [{ ...input.reviews![0]!, statement }] }, layouts));
    long.pages.forEach((text, i) => expect(text).toContain(`Page ${i + 1} of ${long.pageCount}`));
    expect(flat(long.text)).toContain('(shortened for the table; the full text is in the record)');
  });

  it('shows drift per comparison with the drift service\'s lines, arrows spelled for the standard fonts', () => {
    const drift = flat(pdf.pages.slice(pageOf(pdf, 'Since the previous run') - 1).join('\n'));
    expect(drift).toContain('Since the previous run: assessment asm-prev, finished 2026-11-29 10:00 UTC');
    expect(drift).toContain('Regressions (now failing) 1');
    expect(drift).toContain('HostConfig.PidMode "" -> "host"');
    expect(drift).toContain('Since the reference run: assessment asm-ref');
    expect(drift).toContain('No changes: every target has the same verdict');
  });

  it('prints the OSCAL results digest and a signature block with named and blank lines', () => {
    const integrity = flat(pdf.pages[pageOf(pdf, 'Integrity\n') - 1]!);
    expect(integrity).toContain(`OSCAL assessment results sha256 ${'3b'.repeat(32)}`);
    const signatures = flat(pdf.pages[pageOf(pdf, 'Signatures\n') - 1]!);
    expect(signatures).toContain('Attested by (assessor) Name Alice Assessor Title ISSO Date 2026-11-30 12:00 UTC Signature');
    expect(signatures).toMatch(/Approved by \(authorizing official or designee\) Name Title Date Signature/);
  });

  it('says plainly when reviews, exemptions, drift and the digest are absent', async () => {
    const bare = readPdf(await renderAttestationPdf(fleetPdfInput({ nodes: 1, containersPerNode: 2 }), layouts));
    const text = flat(bare.text);
    const empty = (id: string): string => layouts.attestation.sections.find((s) => s.id === id)!.empty!;
    for (const id of ['reviews', 'exemptions', 'drift', 'integrity']) expect(text).toContain(empty(id));
    expect(text).toContain('OSCAL results sha256 Not recorded');
    expect(text).toContain('System Not recorded: the nodes listed under Scope');
    expect(bare.outline.map((o) => o.title)).toEqual(layouts.attestation.sections.map((s) => s.title));
  });

  it('renders the same assessment to the same bytes, dated by the assessment', async () => {
    const again = await renderAttestationPdf(fleetPdfInput({ nodes: 1, containersPerNode: 4, extras: true }), layouts);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect(pdf.info.CreationDate).toBe('Mon Nov 30 10:02:00 2026 UTC');
    const other = { ...input, report: { ...input.report, assessment: { ...input.report.assessment, finishedAt: '2026-12-01T00:00:00.000Z' } } };
    expect(Buffer.from(await renderAttestationPdf(other, layouts)).equals(Buffer.from(bytes))).toBe(false);
  });

  it('summarises a fleet per rule across nodes and charts each node', async () => {
    const fleet = readPdf(await renderAttestationPdf(fleetPdfInput({ nodes: 3, containersPerNode: 2 }), layouts));
    const text = flat(fleet.text);
    expect(text).toContain('Results by node');
    expect(text).toMatch(/pass on 3 of 3 nodes/);
    expect(text).toMatch(/node-001: container (web|app-1)/);
  });
});
