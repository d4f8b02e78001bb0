/**
 * The `plimsoll` command-line program. Commands are thin: parse, one service call, print. Errors of
 * every command end in `runCli`, which prints them (`error[CODE]: message`, problems below) and
 * returns the exit code; nothing here calls process.exit.
 */
import { Command, CommanderError } from 'commander';
import { registerAssessCommand } from './commands/assess.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerContentCommands } from './commands/content.js';
import { registerConvertCommand } from './commands/convert.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerDriftCommands } from './commands/drift.js';
import { registerExemptionCommands } from './commands/exemption.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerReviewCommands } from './commands/review.js';
import { registerChecklistCommands } from './commands/checklist.js';
import { registerImportCommand } from './commands/import.js';
import { registerNodeCommands } from './commands/node.js';
import { registerRemediateCommand } from './commands/remediate.js';
import { registerReportCommands } from './commands/report.js';
import { registerResolveCommand } from './commands/resolve.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTokenCommands } from './commands/token.js';
import { registerScheduleCommands } from './commands/schedule.js';
import { registerUserCommands } from './commands/user.js';
import { registerWebhookCommands } from './commands/webhook.js';
import { registerSupplyChainCommands } from './commands/registry.js';
import { EXIT, describeError } from './format.js';
import { createCliContext, type CliIo, type CliRuntimeSource } from './runtime.js';

export interface ProgramOptions {
  version?: string;
}

/** Builds the commander program over a runtime (or a loader of one) writing to `io`. */
export function buildProgram(source: CliRuntimeSource, io: CliIo, options: ProgramOptions = {}): Command {
  // Output and exit settings first: subcommands inherit them when created.
  const program: Command = new Command('plimsoll')
    .description('Compliance assessment of Docker fleets: DISA STIG rules and NIST SP 800-53 controls, as OSCAL evidence.')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError()
    .option('--as <user>', 'act as this user (PLIMSOLL_USER; default: the local operator, an admin created on first use)');
  const ctx = createCliContext(source, io, () => (program.opts() as { as?: string }).as);
  if (options.version !== undefined) program.version(options.version, '-V, --version');
  registerServeCommand(program, ctx);
  registerContentCommands(program, ctx);
  registerImportCommand(program, ctx);
  registerResolveCommand(program, ctx);
  registerConvertCommand(program, ctx);
  registerDiffCommand(program, ctx);
  registerAssessCommand(program, ctx);
  registerNodeCommands(program, ctx);
  registerUserCommands(program, ctx);
  registerTokenCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerExemptionCommands(program, ctx);
  registerDriftCommands(program, ctx);
  registerHistoryCommand(program, ctx);
  registerScheduleCommands(program, ctx);
  registerWebhookCommands(program, ctx);
  registerSupplyChainCommands(program, ctx);
  registerRemediateCommand(program, ctx);
  registerReviewCommands(program, ctx);
  registerChecklistCommands(program, ctx);
  registerReportCommands(program, ctx);
  return program;
}

/** Runs the CLI on user arguments (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], source: CliRuntimeSource, io: CliIo, options: ProgramOptions = {}): Promise<number> {
  const program = buildProgram(source, io, options);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version displays are successes; usage errors (already printed by commander, as is
      // the help shown when no command is given) are bad input.
      return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    const { lines, exitCode } = describeError(e);
    io.err(lines.join('\n'));
    return exitCode;
  }
}
