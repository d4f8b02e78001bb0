/**
 * OSCAL formats: reading NIST's SP 800-53 rev5 catalog (3 MB JSON, 2 MB XML; the YAML form is written from the
 * JSON here, the reference content has none) in each format into the one JSON model, and converting it to each
 * other format (read + write), warm: the median of 5 runs after one unmeasured run in the same process.
 * Validation against the OSCAL schema is not included (the schema benchmark is the resolution's cold row).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type OscalFormat, OSCAL_FORMATS, readOscalDocument, writeOscalDocument } from '../src/formats/oscal/document.js';
import type { BenchRow } from './run.js';
import { sharedData } from './content.bench.js';

const TARGET_MS = 1000;

function medianMs(runs: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]!);
}

/** One row per format read and per conversion, each with its 1 s target. */
export function benchOscalFormats(runs = 5): BenchRow[] {
  const json = fs.readFileSync(sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.json'));
  const inputs: Record<OscalFormat, Buffer> = {
    json,
    xml: fs.readFileSync(sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.xml')),
    yaml: Buffer.from(writeOscalDocument(readOscalDocument('catalog.json', json).json, 'yaml')),
  };
  const rows: BenchRow[] = [];
  for (const from of OSCAL_FORMATS) {
    const file = `catalog.${from}`;
    rows.push({ name: `rev5 catalog read, ${from}`, value: medianMs(runs, () => void readOscalDocument(file, inputs[from])), unit: 'ms', target: TARGET_MS, note: `${Math.round(inputs[from].length / 1024)} KiB; median of ${runs}, warm` });
    for (const to of OSCAL_FORMATS) {
      if (to === from) continue;
      rows.push({ name: `rev5 catalog convert, ${from} → ${to}`, value: medianMs(runs, () => void writeOscalDocument(readOscalDocument(file, inputs[from]).json, to)), unit: 'ms', target: TARGET_MS, note: 'read + write; warm' });
    }
  }
  return rows;
}
