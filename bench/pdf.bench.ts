/**
 * PDF reports: the attestation and the remediation plan of a synthetic fleet on the real Docker STIG V2R2
 * (101 rules; 8 containers per node; pdf-fleet.ts), for one node and for 100 nodes. Rendering only: the
 * reporting input is built beforehand (loading it is the report-input loader's work, measured with the
 * database). Each row is the median of a few warm runs in one process after one unmeasured run, and the first
 * run is reported beside it (it pays for pdfkit's font metrics and the JIT).
 *
 *   node dist/bench/pdf.bench.js            (these rows only; npm run bench runs them with the others)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportLayoutRepository } from '../src/repositories/report-layout-repository.js';
import { renderAttestationPdf } from '../src/reporting/attestation-pdf.js';
import type { PdfReportInput } from '../src/reporting/pdf-report-input.js';
import { renderRemediationPdf } from '../src/reporting/remediation-pdf.js';
import type { ReportLayouts } from '../src/reporting/report-layout.js';
import { fleetPdfInput } from './pdf-fleet.js';
import { type BenchRow, formatRows } from './run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONTAINERS = 8;

type Renderer = (input: PdfReportInput, layouts: ReportLayouts) => Promise<Uint8Array>;

async function measure(render: Renderer, input: PdfReportInput, layouts: ReportLayouts, runs: number): Promise<{ firstMs: number; medianMs: number; bytes: number; pages: number }> {
  let t0 = performance.now();
  const first = await render(input, layouts);
  const firstMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    t0 = performance.now();
    await render(input, layouts);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const pages = /\/Type \/Pages\n\/Count (\d+)/.exec(Buffer.from(first).toString('latin1'))?.[1];
  return { firstMs: Math.round(firstMs), medianMs: Math.round(times[Math.floor(times.length / 2)]!), bytes: first.length, pages: Number(pages ?? 0) };
}

/** The PDF rows: attestation for 1 node (< 1 s) and 100 nodes (< 10 s); the remediation plan beside them. */
export async function benchPdf(log: (line: string) => void = () => {}): Promise<BenchRow[]> {
  const layouts = await new ReportLayoutRepository(path.join(ROOT, 'reports')).load();
  const rows: BenchRow[] = [];
  const cases: { nodes: number; runs: number; target: number }[] = [
    { nodes: 1, runs: 5, target: 1000 },
    { nodes: 100, runs: 3, target: 10_000 },
  ];
  for (const c of cases) {
    const input = fleetPdfInput({ nodes: c.nodes, containersPerNode: CONTAINERS, extras: true });
    const results = input.report.results.length;
    for (const [name, render, target] of [
      ['attestation', renderAttestationPdf, c.target],
      ['remediation plan', renderRemediationPdf, undefined],
    ] as const) {
      log(`  PDF ${name}, ${c.nodes} node(s)…`);
      const m = await measure(render, input, layouts, c.runs);
      rows.push({
        name: `PDF ${name}, ${c.nodes} node${c.nodes === 1 ? '' : 's'} (101 rules)`,
        value: m.medianMs,
        unit: 'ms',
        ...(target !== undefined ? { target } : {}),
        note: `median of ${c.runs} warm; first ${m.firstMs} ms; ${results} rule results, ${m.pages} pages, ${Math.round(m.bytes / 1024)} KiB`,
      });
    }
  }
  return rows;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  benchPdf((l) => void process.stderr.write(`${l}\n`))
    .then((rows) => console.log(formatRows(rows).join('\n')))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
