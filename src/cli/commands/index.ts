/**
 * The index of the top-level commands: what `plimsoll --help` lists (name, the term commander would print for the
 * loaded command, description) and where each command's module is. A process loads only the module of the command
 * it runs: `--help` and usage errors of the program itself load none (the build's bundle splits at each literal
 * `import()` below). The descriptions live here, not in the modules; program.ts gives them to the commands a module
 * registers. `test/unit/cli/command-index.test.ts` checks each term against the command its module registers.
 */
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import type { CliContext } from '../runtime.js';

/** What a command module exports: it adds its top-level commands (every one named in this index) to the program. */
export type RegisterCommands = (program: Command, ctx: CliContext) => void;

export interface CommandHead {
  name: string;
  /** What follows the name in the program's help: `[options]` when the command has options, then its arguments. */
  term: string;
  description: string;
  /** The module's registrar; commands registered by the same one share it (a module is registered once). */
  load(): Promise<RegisterCommands>;
  /** Runs in a worker thread with bounded heap limits (src/cli/bounded-worker.ts): its memory grows with the fleet. */
  boundedHeap?: true;
}

const head = (name: string, term: string, description: string, load: () => Promise<RegisterCommands>, boundedHeap?: true): CommandHead => ({
  name,
  term,
  description,
  load,
  ...(boundedHeap ? { boundedHeap } : {}),
});

const drift = (): Promise<RegisterCommands> => import('./drift.js').then((m) => m.registerDriftCommands);
const supplyChain = (): Promise<RegisterCommands> => import('./registry.js').then((m) => m.registerSupplyChainCommands);
const report = (): Promise<RegisterCommands> => import('./report.js').then((m) => m.registerReportCommands);

/** In the order `--help` lists them. */
export const COMMANDS: readonly CommandHead[] = [
  head('serve', '[options]', 'run the GraphQL server (POST /graphql, GET /health)', () => import('./serve.js').then((m) => m.registerServeCommand)),
  head('content', '', 'pinned reference content (catalogs/sources.json)', () => import('./content.js').then((m) => m.registerContentCommands)),
  head('import', '[options] <files...>', 'import OSCAL catalogs and profiles, XCCDF benchmarks (STIGs) and the DISA CCI list; all files or none', () =>
    import('./import.js').then((m) => m.registerImportCommand)),
  head(
    'resolve',
    '[options] <profile>',
    'resolve an OSCAL profile (JSON, XML or YAML) into a catalog and write it as OSCAL JSON, validated against the OSCAL 1.1.2 schema; imports come from files beside the profile, else from catalogs in the library',
    () => import('./resolve.js').then((m) => m.registerResolveCommand),
  ),
  head(
    'convert',
    '[options] <file>',
    'convert an OSCAL catalog, profile, assessment plan, assessment results or POA&M between JSON, XML and YAML, losslessly; the output is read back and validated against the OSCAL JSON Schema before it is written',
    () => import('./convert.js').then((m) => m.registerConvertCommand),
  ),
  head('diff-benchmark', '[options] <old> <new>', 'compare two benchmark releases by STIG id and check-content hash: added, removed and changed rules', () =>
    import('./diff.js').then((m) => m.registerDiffCommand)),
  head(
    'assess',
    '[options]',
    `assess nodes against one or more benchmarks (collected once, assessed together, one set of OSCAL documents); exits 0 when the run completes, whatever it found, unless --fail-on is given (then ${EXIT.findingsAtOrAbove} when failed rules at or above that severity remain open); ${EXIT.nodeUnreachable} when a node could not be collected (the others are assessed, its rules are error)`,
    () => import('./assess.js').then((m) => m.registerAssessCommand),
    true,
  ),
  head('node', '', 'registered Docker engine endpoints', () => import('./node.js').then((m) => m.registerNodeCommands)),
  head('user', '', 'users: the people behind tokens, OIDC sign-ins and the CLI', () => import('./user.js').then((m) => m.registerUserCommands)),
  head('token', '', 'API bearer tokens (each belongs to a user; people mint tokens only for themselves)', () => import('./token.js').then((m) => m.registerTokenCommands)),
  head('audit', '', 'the audit log (a hash chain)', () => import('./audit.js').then((m) => m.registerAuditCommands)),
  head('exemption', '', 'exemptions: reviewed, time-boxed acceptance of failing rules on matching containers', () =>
    import('./exemption.js').then((m) => m.registerExemptionCommands)),
  head(
    'diff',
    '[options] <old> <new>',
    'compare two assessments node by node: rule transitions per target, targets appearing and disappearing, evidence changes, expiring exemptions, newer releases; one line per change',
    drift,
  ),
  head('drift', '[options] <assessment>', 'show the drift stored with an assessment: each node against its previous run and its reference run', drift),
  head('reference', '', 'reference runs: the assessment each later run of a node and benchmark is compared with', drift),
  head(
    'history',
    '[options]',
    'posture over time for a node or the fleet: pass rate, open findings by severity, exempted failures, findings opened and remediated, mean time to remediate',
    () => import('./history.js').then((m) => m.registerHistoryCommand),
  ),
  head('schedule', '', 'scheduled assessments: cron schedules of a node or a label selector, run by `serve` as their owner', () =>
    import('./schedule.js').then((m) => m.registerScheduleCommands)),
  head('webhook', '', 'webhooks (admins): signed POSTs of events to your endpoints, retried with backoff', () => import('./webhook.js').then((m) => m.registerWebhookCommands)),
  head('registry', '', 'registered container registries (admins write; credentials stored encrypted, never shown)', supplyChain),
  head('trust-server', '', 'registered trust servers (Notary) holding image signatures (admins write)', supplyChain),
  head('signers', '', "environments' allowed signers: whose signatures make an image trusted (admins write)", supplyChain),
  head(
    'remediate',
    '[options] <assessment>',
    `correct an assessment's failures under approval: without an action, propose a plan (one person proposes, another approves); --apply PLAN_ID checks every target and lists the Engine API calls (a dry run) unless --no-dry-run, which applies them, re-assesses the touched nodes and exits ${EXIT.notApplied} when not every change was made (a stale plan: none)`,
    () => import('./remediate.js').then((m) => m.registerRemediateCommand),
  ),
  head('review', '', 'manual reviews: attested answers to rules no check decides, accepted by another person', () => import('./review.js').then((m) => m.registerReviewCommands)),
  head('checklist', '', 'STIG Viewer checklists (CKL, CKLB) in: answered rules become submitted manual reviews', () =>
    import('./checklist.js').then((m) => m.registerChecklistCommands)),
  head('report', '[options] <assessment>', 'write one report of a completed assessment: rendered from the stored results, the same bytes as the server serves for download', report),
  head(
    'verify',
    '[options] <bundle> [files...]',
    'check a signed bundle: the signature over its in-toto statement and the digest of every file in it (and of the copies given); exit 0 only when everything verifies, 6 when anything does not',
    report,
  ),
];

/**
 * The top-level command `args` (user arguments) name, as commander will read them: the first operand, skipping
 * the value of the program's only option that takes one (--as); `help NAME` names NAME.
 */
export function commandNamed(args: readonly string[]): CommandHead | undefined {
  const [first, second] = operandsOf(args);
  const name = first === 'help' ? second : first;
  return COMMANDS.find((c) => c.name === name);
}

/** Whether `args` run a command with a bounded heap (not its help): in a worker thread, src/cli/bounded-worker.ts. */
export function runsBounded(args: readonly string[]): boolean {
  const [first] = operandsOf(args);
  return first !== undefined && COMMANDS.find((c) => c.name === first)?.boundedHeap === true && !args.includes('--help') && !args.includes('-h');
}

/** The first two operands of `args`, skipping the value of --as. */
function operandsOf(args: readonly string[]): string[] {
  const operands: string[] = [];
  for (let i = 0; i < args.length && operands.length < 2; i += 1) {
    if (args[i] === '--as') i += 1;
    else if (!args[i]!.startsWith('-')) operands.push(args[i]!);
  }
  return operands;
}
