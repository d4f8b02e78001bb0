/**
 * Generates the project's Docker STIG data from the benchmark the checks were written against (V2R2):
 *
 * - catalogs/docker-stig-automation.json: per automated rule (every registered check and every rule with a
 *   concrete remediation, i.e. being automated), the release and check-content hash it was written against;
 * - docs/stig-coverage.md: every rule, automated (from which facts) or manual and why.
 *
 *   npx vite-node scripts/generate-stig-data.ts [--check] [--stig FILE]
 *
 * `--check` writes nothing and exits 1 when a committed file differs. The default STIG file is
 * stig/U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml under the first PLIMSOLL_CONTENT_MIRROR
 * entry, else ../shared/data. Unit tests call `generateStigData` and compare with the committed files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildAutomationData } from '../src/checks/automation.js';
import { renderCoverageDoc } from '../src/checks/coverage-doc.js';
import { manualReasonFor } from '../src/checks/manual-reasons.js';
import { CHECKS, checkFor } from '../src/checks/registry.js';
import { isDockerStigId } from '../src/checks/check.js';
import { CHECK_READINGS } from '../src/checks/readings.js';
import { REMEDIATIONS } from '../src/checks/remediation.js';
import type { BenchmarkDocument } from '../src/domain/content.js';
import { fingerprint } from '../src/formats/fingerprint.js';
import { parseBenchmark } from '../src/formats/xccdf/parse.js';
import { isMainModule, mirrorPath, repoRootOf, writeGenerated } from './generated-files.js';

/** The repository: the nearest directory above this file holding package.json (scripts/ or dist/scripts/). */
export const REPO_ROOT = repoRootOf(import.meta.url);
export const STIG_V2R2_FILE = 'U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml';
export const AUTOMATION_DATA_PATH = path.join('catalogs', 'docker-stig-automation.json');
export const COVERAGE_DOC_PATH = path.join('docs', 'stig-coverage.md');
export const GENERATE_COMMAND = 'npx vite-node scripts/generate-stig-data.ts';

/** The shared V2R2 file: under PLIMSOLL_CONTENT_MIRROR's first entry, else ../shared/data. */
export function defaultStigPath(): string {
  return mirrorPath(REPO_ROOT, 'stig', STIG_V2R2_FILE);
}

/** Parses an XCCDF benchmark file. */
export function loadBenchmark(file: string): BenchmarkDocument {
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'benchmark') throw new Error(`${file} is a ${fp.kind}, not an XCCDF benchmark`);
  return parseBenchmark(fp.root, file, fp.xccdfVersion);
}

/** The generated files (path relative to the repository → content) from the STIG at `stigPath`. */
export function generateStigData(stigPath: string = defaultStigPath()): Map<string, string> {
  const b = loadBenchmark(stigPath);
  if (b.release === undefined) throw new Error(`${stigPath} has no release-info: can't name the release the checks were written against`);
  const release = `V${b.version}R${b.release}`;
  const automated = [...CHECKS.map((c) => c.stigId).filter(isDockerStigId), ...Object.keys(REMEDIATIONS)];
  const automation = buildAutomationData({ benchmarkId: b.benchmarkId, release, file: path.basename(stigPath), rules: b.rules }, automated);
  const remediated = new Set(Object.keys(REMEDIATIONS));
  const coverage = renderCoverageDoc({
    benchmark: { title: b.title, version: b.version, release: b.release, file: path.basename(stigPath) },
    rules: b.rules,
    checkFor,
    manualReasonFor,
    readingFor: (id) => CHECK_READINGS[id],
    planned: (id) => remediated.has(id),
    command: GENERATE_COMMAND,
  });
  return new Map([
    [AUTOMATION_DATA_PATH, `${JSON.stringify(automation, null, 2)}\n`],
    [COVERAGE_DOC_PATH, coverage],
  ]);
}

function main(argv: string[]): number {
  const i = argv.indexOf('--stig');
  const stig = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && stig === undefined) throw new Error('--stig needs a file');
  return writeGenerated(REPO_ROOT, generateStigData(stig ?? defaultStigPath()), argv.includes('--check'));
}

if (isMainModule(import.meta.url)) process.exitCode = main(process.argv.slice(2));
