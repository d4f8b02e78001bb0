/**
 * Runs every benchmark and prints one table: name, value, unit, target and whether the target is met.
 *
 *   npm run build && npm run bench            (node dist/bench/run.js)
 *   node dist/bench/run.js --json             (the rows as JSON)
 *   node dist/bench/run.js --skip-docker      (no private daemon: content benchmarks only)
 *   node dist/bench/run.js --skip-notary      (no private notary-server: no trust verification benchmark)
 *
 * Benchmarks: the Docker STIG import (cold and warm), reading and converting the rev5 catalog in XML, JSON
 * and YAML (oscal-formats.bench.ts), the SSG RHEL 8 data-stream import as whole `plimsoll import` processes
 * beside `oscap info --profiles` on the same file (when /usr/share/xml/scap/ssg/content/ssg-rhel8-ds.xml is
 * installed; xccdf-import.bench.ts), the MODERATE profile resolution, and an
 * end-to-end assessment of a private daemon with 100 and 1,000 containers (assessment.bench.ts), trust
 * verification of 200 images against a private notary-server (trust.bench.ts; skipped with --skip-notary), the
 * hash-chained audit log (append and verify, audit.bench.ts), the drift of two stored assessments of 10,000
 * per-target results each (drift.bench.ts), 1,000 scheduled nodes on one private daemon at a concurrency of
 * 20 (monitoring.bench.ts) and remediation plans of 4,000 items (proposal, dry run, application with every call
 * recorded; remediation.bench.ts), the signed bundle of a one-node assessment (report.bench.ts) and the POA&M of a
 * 100-node assessment (poam.bench.ts), and the PDF attestation and remediation plan for 1 and 100 nodes
 * (pdf.bench.ts), and the cold start of the `plimsoll` executable: `--help` and `assess` of a 30-container node as
 * whole processes, beside docker-bench-security's time (cold-start.bench.ts).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchAssessment } from './assessment.bench.js';
import { benchAssessProcess, PEAK_RSS_TARGET_MB } from './assess-process.bench.js';
import { benchAudit } from './audit.bench.js';
import { benchColdStart } from './cold-start.bench.js';
import { benchMonitoring } from './monitoring.bench.js';
import { benchModerateResolution, benchStigImport } from './content.bench.js';
import { benchDrift } from './drift.bench.js';
import { benchReports } from './report.bench.js';
import { benchTrust } from './trust.bench.js';
import { benchOscalFormats } from './oscal-formats.bench.js';
import { benchRemediation } from './remediation.bench.js';
import { benchPoam } from './poam.bench.js';
import { benchPdf } from './pdf.bench.js';
import { benchDataStreamImportCli, benchDataStreamImportInChild, DEFAULT_DATA_STREAM, oscapAvailable } from './xccdf-import.bench.js';

export interface BenchRow {
  name: string;
  value: number | null;
  unit: string;
  /** `< 100` (ms, MB…): the row fails when the value is not below it. */
  target?: number;
  note?: string;
}

/** `ok`, `MISS`, `-` (no target) or `skipped`. */
export function verdict(row: BenchRow): string {
  if (row.value === null) return 'skipped';
  if (row.target === undefined) return '-';
  return row.value < row.target ? 'ok' : 'MISS';
}

/** The rows as an aligned text table. */
export function formatRows(rows: readonly BenchRow[]): string[] {
  const cells = rows.map((r) => [r.name, r.value === null ? '-' : String(r.value), r.unit, r.target === undefined ? '' : `< ${r.target}`, verdict(r), r.note ?? '']);
  const all = [['benchmark', 'value', 'unit', 'target', 'result', 'note'], ...cells];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

async function contentRows(): Promise<BenchRow[]> {
  const stig = benchStigImport();
  const rows: BenchRow[] = [
    { name: 'Docker STIG V2R2 import, cold', value: stig.coldMs, unit: 'ms', target: 100, note: `${stig.count} rules; first run in a fresh process` },
    { name: 'Docker STIG V2R2 import, warm', value: stig.warmMs, unit: 'ms', target: 100, note: 'median of 10' },
  ];
  if (fs.existsSync(DEFAULT_DATA_STREAM) && oscapAvailable()) {
    const ds = benchDataStreamImportInChild(DEFAULT_DATA_STREAM);
    const cli = await benchDataStreamImportCli(DEFAULT_DATA_STREAM);
    const oscapRss = cli.oscap.peakRssMb !== undefined ? `, oscap ${cli.oscap.peakRssMb} MB` : '';
    rows.push(
      {
        name: 'SSG RHEL 8 data-stream import, plimsoll import', value: cli.plimsoll.medianMs, unit: 'ms', target: cli.oscap.medianMs + 1,
        note: `whole process, median of ${cli.runs}; target ≤ 1.0× oscap info --profiles (${cli.oscap.medianMs} ms, median of ${cli.runs}): ${cli.ratio}×; ${cli.plimsoll.rules} rules, ${cli.plimsoll.profiles} profiles stored; load ${cli.loadAverage}; node -e 0: ${cli.nodeFloor.medianMs} ms${cli.nodeFloor.withoutExtraCaCertsMs !== undefined ? ` (${cli.nodeFloor.withoutExtraCaCertsMs} ms without NODE_EXTRA_CA_CERTS, set here)` : ''}`,
      },
      { name: '  peak RSS (plimsoll import)', value: cli.plimsoll.peakRssMb ?? null, unit: 'MB', note: `max of ${cli.runs}${oscapRss}${cli.plimsoll.peakRssMb === undefined ? '; /usr/bin/time (Debian: time) not installed' : ''}` },
      { name: '  CPU time (user + system)', value: cli.plimsoll.medianCpuMs ?? null, unit: 'ms', ...(cli.oscap.medianCpuMs !== undefined ? { target: cli.oscap.medianCpuMs + 1 } : {}), note: `median of ${cli.runs}; oscap ${cli.oscap.medianCpuMs ?? '?'} ms` },
      { name: '  re-import of the stored file', value: cli.reimport.medianMs, unit: 'ms', note: `whole process, median of ${cli.runs}, CPU ${cli.reimport.medianCpuMs ?? '?'} ms, peak RSS ${cli.reimport.peakRssMb ?? '?'} MB; answered from the stored sha256, nothing parsed` },
      { name: '  parse and map only', value: ds.ms, unit: 'ms', note: `${ds.rules} rules, ${ds.profiles} profiles; fresh process, peak RSS ${ds.peakRssMb} MB` },
    );
  } else {
    const missing = fs.existsSync(DEFAULT_DATA_STREAM) ? 'oscap, the reference, is not installed (apt-get install openscap-scanner)' : `${DEFAULT_DATA_STREAM} not installed (apt-get install ssg-nondebian)`;
    rows.push({ name: 'SSG RHEL 8 data-stream import', value: null, unit: 'ms', note: missing });
  }
  const moderate = await benchModerateResolution();
  rows.push(
    { name: 'MODERATE profile resolution, warm', value: moderate.warmMs, unit: 'ms', target: 200, note: `${moderate.count} controls; median of 5, schema compiled` },
    { name: 'MODERATE profile resolution, cold', value: moderate.coldMs, unit: 'ms', note: 'fresh process: includes compiling the OSCAL 1.1.2 schema' },
  );
  rows.push(...benchOscalFormats());
  const reports = await benchReports();
  rows.push(
    { name: `signed bundle, one node (${reports.containers} containers)`, value: reports.bundleMs, unit: 'ms', target: 2000, note: `median of 5; AR + plan rendered, validated, signed; ${Math.round(reports.bundleBytes / 1024)} KiB` },
    { name: '  report input loaded from the database', value: reports.loadMs, unit: 'ms', note: 'median of 5' },
  );
  rows.push(...benchPoam(100));
  rows.push(...(await benchPdf()));
  const audit = await benchAudit(10_000);
  rows.push(
    { name: 'audit record append', value: audit.appendMsPerRecord, unit: 'ms', target: 10, note: `mean of ${audit.records}; one transaction each (head read + insert)` },
    { name: `audit chain verify, ${audit.records} records`, value: audit.verifyMs, unit: 'ms', target: 5000, note: 'streamed in batches of 1,000' },
  );
  const drift = await benchDrift(1000, 9);
  rows.push(
    {
      name: `drift of two assessments, ${drift.targetResults.toLocaleString('en-US')} per-target results each`, value: drift.medianMs, unit: 'ms', target: 100,
      note: `median of ${drift.runs}; stored runs compared through the service: ${drift.regressions} regressions, ${drift.appeared} appeared, ${drift.disappeared} disappeared, ${drift.evidenceChanges} evidence changes`,
    },
    { name: '  drift, CPU time', value: drift.medianCpuMs, unit: 'ms', note: 'of the process over the same comparisons: what it costs when the machine is shared' },
  );
  const remediation = await benchRemediation(1000);
  const note = `${remediation.items} items (${remediation.containers} containers × 4 in-place rules); in-memory engine`;
  rows.push(
    { name: `remediation plan proposal, ${remediation.items} items`, value: remediation.proposeMs, unit: 'ms', target: 3000, note: `${note}: failures and facts read, items built and stored` },
    { name: `remediation dry run, ${remediation.items} items`, value: remediation.dryRunMs, unit: 'ms', target: 2000, note: 'preflight of every item, each container inspected once' },
    { name: `remediation apply, ${remediation.items} changes`, value: remediation.applyMs, unit: 'ms', target: 10_000, note: `${remediation.recordedCalls} calls recorded (a read per container, each change before and after); re-assessment not included` },
  );
  return rows;
}

async function assessProcessRows(log: (line: string) => void): Promise<BenchRow[]> {
  const m = await benchAssessProcess(1000, Number(process.env.BENCH_RUNS ?? 3), log);
  const note = `plimsoll assess --out, whole CLI process, storage included; median of ${m.runs}; AR ${Math.round(m.resultsBytes / 1048576)} MiB; load ${m.loadAverage}`;
  return [
    { name: `plimsoll assess, ${m.containers} containers`, value: m.medianMs, unit: 'ms', note },
    { name: `  CPU, whole process (${m.containers})`, value: m.cpuMs, unit: 'ms', note: 'user + sys of the median run' },
    { name: `  peak RSS, whole process (${m.containers})`, value: m.peakRssMb, unit: 'MB', target: PEAK_RSS_TARGET_MB, note: 'max of the runs (GNU time %M); issue #12 target' },
    {
      name: `  same, without the bounded worker`,
      value: m.unboundedPeakRssMb,
      unit: 'MB',
      note: `one run with PLIMSOLL_ASSESS_HEAP_MB=0 (Node's own heap sizing), CPU ${m.unboundedCpuMs} ms: what the worker's heap limits save`,
    },
  ];
}

async function assessmentRows(log: (line: string) => void): Promise<BenchRow[]> {
  const measures = await benchAssessment([100, 1000], Number(process.env.BENCH_RUNS ?? 3), log);
  const target: Record<number, number> = { 100: 2000, 1000: 10_000 };
  return measures.flatMap((m) => [
    {
      name: `assessment, ${m.containers} containers, end to end`,
      value: m.totalMs,
      unit: 'ms',
      ...(target[m.containers] !== undefined ? { target: target[m.containers] } : {}),
      note: `median of ${m.runs} fresh processes; ${m.rules} rules, ${m.failed} failed, ${m.observations} observations, report ${Math.round(m.reportBytes / 1024)} KiB`,
    },
    { name: `  collect (${m.containers})`, value: m.collectMs, unit: 'ms' },
    { name: `  facts hash (${m.containers})`, value: m.hashMs, unit: 'ms' },
    { name: `  evaluate 101 rules (${m.containers})`, value: m.evaluateMs, unit: 'ms' },
    { name: `  compile OSCAL schema (${m.containers})`, value: m.schemaMs, unit: 'ms', note: 'once per process' },
    { name: `  build + validate AR (${m.containers})`, value: m.reportMs, unit: 'ms' },
    { name: `  peak RSS (${m.containers})`, value: m.peakRssMb, unit: 'MB', target: 300, note: `max of ${m.runs}` },
  ]);
}

async function trustRows(log: (line: string) => void): Promise<BenchRow[]> {
  const m = await benchTrust(200, log);
  const note = `${m.passed} of ${m.images} signed images passed; one GUN per image`;
  return [
    { name: `trust verification, ${m.images} images, warm cache`, value: m.warmMs, unit: 'ms', target: 2000, note: `median of 5; ${note}` },
    { name: `trust verification, ${m.images} images, cold cache`, value: m.coldMs, unit: 'ms', note: 'every GUN fetched in full' },
  ];
}

async function monitoringRows(log: (line: string) => void): Promise<BenchRow[]> {
  const m = await benchMonitoring(1000, 20, log);
  const other = Object.entries(m.other).map(([status, n]) => `${n} ${status}`).join(', ');
  return [
    { name: `scheduled assessments, ${m.nodes} nodes, concurrency ${m.concurrency}`, value: m.wallMs, unit: 'ms', target: 300_000, note: `from the firing until every job ended; ${m.succeeded} succeeded${other !== '' ? `, ${other}` : ''}; at most ${m.peakRunning} running at once; server CPU ${Math.round(m.cpuMs / 1000)} s` },
    { name: `  server peak RSS (${m.nodes} scheduled nodes)`, value: m.peakRssMb, unit: 'MB', target: 500, note: 'the whole server process: scheduler, runs, database' },
  ];
}

async function main(argv: string[]): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log('cold start of the executable…');
  const rows = await benchColdStart({ skipDocker: argv.includes('--skip-docker'), log });
  log('content benchmarks…');
  rows.push(...(await contentRows()));
  if (argv.includes('--skip-docker')) {
    rows.push({ name: 'assessment (private dockerd)', value: null, unit: 'ms', note: '--skip-docker' });
  } else {
    log('assessment benchmark (private dockerd)…');
    rows.push(...(await assessmentRows(log)));
    log('plimsoll assess, whole process, 1,000 containers (private dockerd)…');
    rows.push(...(await assessProcessRows(log)));
    log('scheduled assessments benchmark (private dockerd)…');
    rows.push(...(await monitoringRows(log)));
  }
  if (argv.includes('--skip-notary')) {
    rows.push({ name: 'trust verification (private notary-server)', value: null, unit: 'ms', note: '--skip-notary' });
  } else {
    log('trust verification benchmark (private notary-server)…');
    rows.push(...(await trustRows(log)));
  }
  if (argv.includes('--json')) console.log(JSON.stringify(rows.map((r) => ({ ...r, result: verdict(r) })), null, 2));
  else console.log(formatRows(rows).join('\n'));
  if (rows.some((r) => verdict(r) === 'MISS')) process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
