/** `plimsoll assess`: one assessment run of nodes against a benchmark. */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { decideFailOn, FAIL_ON_SEVERITIES, type FailOnSeverity } from '../../assessment/fail-on.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { CliExit, EXIT, formatAssessmentSummary, formatFailOn } from '../format.js';
import { collect } from '../options.js';
import type { CliContext } from '../runtime.js';
import { ASSESSMENT_RESULTS_FILE } from '../../domain/download.js';
import { LocalFiles } from '../../repositories/local-files.js';
import { localContentOr } from '../local-content.js';

/** The file `--out` receives: the stored OSCAL results document, as `GET /downloads/...` serves it. */
export const RESULTS_FILE_NAME = ASSESSMENT_RESULTS_FILE;

interface AssessOptions {
  node: string[];
  benchmark: string;
  profile?: string;
  out?: string;
  db?: string;
  json?: boolean;
  failOn?: FailOnSeverity;
}

export function registerAssessCommand(program: Command, ctx: CliContext): void {
  program
    .command('assess')
    .description(`assess nodes against a benchmark; exits 0 when the run completes, whatever it found, unless --fail-on is given (then ${EXIT.findingsAtOrAbove} when failed rules at or above that severity remain open)`)
    .requiredOption('--node <ref>', 'node name, id or endpoint (repeatable); unknown endpoints are registered', collect)
    .requiredOption('--benchmark <ref>', 'benchmark file (read here and imported), document id or XCCDF benchmark id')
    .option('--profile <id>', 'XCCDF profile selecting the rules (e.g. MAC-1_Classified)')
    .option('--out <dir>', `directory to write ${RESULTS_FILE_NAME} (OSCAL assessment results) into`)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the assessment with its results as JSON')
    .addOption(
      new Option('--fail-on <severity>', `exit ${EXIT.findingsAtOrAbove} when failed rules of this severity or higher remain open (not covered by an approved exemption); lists them on stderr`).choices([
        ...FAIL_ON_SEVERITIES,
      ]),
    )
    .action(async (opts: AssessOptions) => {
      const benchmark = await localContentOr(opts.benchmark);
      const { assessment, document } = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const run = await services.assessments.run({ nodes: opts.node, benchmark, ...(opts.profile !== undefined ? { profileId: opts.profile } : {}) });
        return { assessment: run, document: opts.out !== undefined && run.status === 'completed' ? await services.assessments.resultsDocument(run.id) : undefined };
      });
      // The stored results document, written into the user's own directory by the CLI (never by the service).
      const written = opts.out !== undefined && document !== undefined ? await new LocalFiles().writeText(path.join(opts.out, RESULTS_FILE_NAME), `${JSON.stringify(document, null, 2)}\n`) : undefined;
      ctx.io.out(opts.json ? JSON.stringify(assessment, null, 2) : formatAssessmentSummary(assessment, written).join('\n'));
      if (assessment.status !== 'completed') {
        throw new PlimsollError(ErrorCode.INTERNAL, `assessment ${assessment.id} ended ${assessment.status}${assessment.error ? `: ${assessment.error}` : ''}`);
      }
      if (opts.failOn !== undefined) {
        const decision = decideFailOn(assessment.results, opts.failOn);
        if (decision.failed) throw new CliExit(EXIT.findingsAtOrAbove, formatFailOn(decision));
        // With --json stdout stays one JSON document.
        if (!opts.json) ctx.io.out(formatFailOn(decision).join('\n'));
      }
    });
}
