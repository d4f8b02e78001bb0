/** `plimsoll assess`: one assessment run of nodes against one or more benchmarks. */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { decideFailOn, FAIL_ON_SEVERITIES, type FailOnSeverity } from '../../assessment/fail-on.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { CliExit, EXIT, formatAssessedNodes, formatAssessmentSummary, formatFailOn } from '../format.js';
import { collect } from '../options.js';
import type { CliContext } from '../runtime.js';
import { ASSESSMENT_PLAN_FILE, ASSESSMENT_RESULTS_FILE } from '../../domain/download.js';
import { oscalJsonText } from '../../reporting/oscal-values.js';
import { LocalFiles } from '../../repositories/local-files.js';
import { localContentOr } from '../local-content.js';

/** The files `--out` receives: the stored OSCAL results and the plan they import, as `GET /downloads/...` serves them. */
export const RESULTS_FILE_NAME = ASSESSMENT_RESULTS_FILE;
export const PLAN_FILE_NAME = ASSESSMENT_PLAN_FILE;

interface AssessOptions {
  node: string[];
  benchmark: string[];
  profile?: string[];
  out?: string;
  db?: string;
  json?: boolean;
  failOn?: FailOnSeverity;
}

export function registerAssessCommand(program: Command, ctx: CliContext): void {
  program
    .command('assess')
    .requiredOption('--node <ref>', 'node name, id or endpoint (repeatable); unknown endpoints are registered', collect)
    .requiredOption(
      '--benchmark <ref>',
      'benchmark file (read here and imported), document id, XCCDF benchmark id or XCCDF 1.2 short name (built-in: plimsoll_container_platform); repeatable: one run assesses them all',
      collect,
    )
    .option('--profile <id>', 'XCCDF profile selecting the rules (e.g. MAC-1_Classified); repeatable: the Nth --profile goes with the Nth --benchmark, "-" for all of its rules', collect)
    .option('--out <dir>', `directory to write ${RESULTS_FILE_NAME} and ${PLAN_FILE_NAME} (OSCAL assessment results and the plan they import) into`)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the assessment with its results as JSON')
    .addOption(
      new Option('--fail-on <severity>', `exit ${EXIT.findingsAtOrAbove} when failed rules of this severity or higher remain open (not covered by an approved exemption); lists them on stderr`).choices([
        ...FAIL_ON_SEVERITIES,
      ]),
    )
    .action(async (opts: AssessOptions) => {
      const profiles = opts.profile ?? [];
      if (profiles.length > opts.benchmark.length) {
        throw new PlimsollError(ErrorCode.BAD_INPUT, `${profiles.length} --profile options for ${opts.benchmark.length} --benchmark option(s): the Nth --profile goes with the Nth --benchmark`);
      }
      const selections = await Promise.all(
        opts.benchmark.map(async (ref, i) => ({ benchmark: await localContentOr(ref), ...(profiles[i] !== undefined && profiles[i] !== '-' ? { profileId: profiles[i] } : {}) })),
      );
      const [first, ...rest] = selections;
      const { assessment, written } = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const run = await services.assessments.run({ nodes: opts.node, ...first!, ...(rest.length > 0 ? { additionalBenchmarks: rest } : {}) });
        if (opts.out === undefined || run.status !== 'completed') return { assessment: run, written: undefined };
        // The stored documents, written into the user's own directory by the CLI (never by the service), the
        // results streamed from storage as they are read.
        const documents = { plan: await services.assessments.planDocument(run.id), results: await services.assessments.resultsDocumentText(run.id) };
        return { assessment: run, written: await writeDocuments(opts.out, documents) };
      });
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
      // A node that could not be collected leaves the run incomplete: its rules are error, not evidence.
      const failed = assessment.nodes.filter((n) => n.status.state === 'failed');
      if (failed.length > 0) {
        throw new CliExit(EXIT.nodeUnreachable, [`${failed.length} of ${assessment.nodes.length} node(s) could not be collected; their rules are error:`, ...formatAssessedNodes(failed)]);
      }
    });
}

/**
 * Writes the stored plan, then the results that import it, into `dir` (the plan first: a reader who finds the
 * results finds the plan too), each as the download routes serve it, so the results' import-ap hash matches.
 */
async function writeDocuments(dir: string, docs: { plan: unknown; results: AsyncIterable<string> | undefined }): Promise<{ results: string; plan: string }> {
  if (docs.plan === undefined || docs.results === undefined) throw new PlimsollError(ErrorCode.INTERNAL, 'the completed assessment has no stored plan or results document');
  const files = new LocalFiles();
  const plan = await files.writeText(path.join(dir, PLAN_FILE_NAME), oscalJsonText(docs.plan));
  const results = await files.writeText(path.join(dir, RESULTS_FILE_NAME), docs.results);
  return { results, plan };
}
