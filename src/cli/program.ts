/**
 * The `plimsoll` command-line program. Commands are thin: parse, one service call, print. Errors of
 * every command end in `runCli`, which prints them (`error[CODE]: message`, problems below) and
 * returns the exit code; nothing here calls process.exit.
 *
 * A process loads only the module of the command it runs (commands/index.ts): every other top-level command is a
 * stub that `--help` lists as the index describes it. Which command runs is read from the arguments before
 * commander parses them; should commander still reach a stub (arguments read otherwise), the stub's module is loaded
 * and the arguments are parsed again.
 */
import { Command, CommanderError, Help } from 'commander';
import { COMMANDS, commandNamed, type CommandHead, type RegisterCommands } from './commands/index.js';
import { EXIT } from './exit-codes.js';
import { createCliContext, type CliIo, type CliRuntimeSource } from './runtime.js';

export interface ProgramOptions {
  /** What `--version` prints; a function is called only then (the executable reads package.json only for `-V`). */
  version?: string | (() => string);
}

/** The stub of a command whose module is not loaded: it takes any arguments and asks for its module. */
class StubReached extends Error {
  constructor(readonly head: CommandHead) {
    super(`command ${head.name} is not loaded`);
    this.name = 'StubReached';
  }
}

/**
 * Builds the commander program over a runtime (or a loader of one) writing to `io`: the commands of the loaded
 * modules (`loaded`, by the index's loader) complete, stubs for the others, in the index's order.
 */
function buildProgram(source: CliRuntimeSource, io: CliIo, options: ProgramOptions, loaded: ReadonlyMap<CommandHead['load'], RegisterCommands>): Command {
  const stubTerms = new WeakMap<Command, string>();
  // Output and exit settings first: subcommands inherit them when created.
  const program: Command = new Command('plimsoll')
    .description('Compliance assessment of Docker fleets: DISA STIG rules and NIST SP 800-53 controls, as OSCAL evidence.')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .configureHelp({
      subcommandTerm(this: Help, cmd: Command): string {
        return stubTerms.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
      },
    })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError()
    .option('--as <user>', 'act as this user (PLIMSOLL_USER; default: the local operator, an admin created on first use)');
  const ctx = createCliContext(source, io, () => (program.opts() as { as?: string }).as);
  const { version } = options;
  // commander's program.version(), but with the text asked for only when the option is given.
  if (version !== undefined) {
    program.option('-V, --version', 'output the version number').on('option:version', () => {
      const text = typeof version === 'string' ? version : version();
      io.out(text);
      throw new CommanderError(0, 'commander.version', text);
    });
  }
  const registered = new Set<RegisterCommands>();
  for (const head of COMMANDS) {
    // A module registers all its commands where the index lists the first of them.
    const registrar = loaded.get(head.load);
    if (registrar !== undefined && !registered.has(registrar)) {
      registered.add(registrar);
      registrar(program, ctx);
    }
    const command = program.commands.find((c) => c.name() === head.name);
    if (command !== undefined) {
      command.description(head.description);
      continue;
    }
    const stub = program
      .command(head.name)
      .description(head.description)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        throw new StubReached(head);
      });
    stubTerms.set(stub, head.term === '' ? head.name : `${head.name} ${head.term}`);
  }
  const unlisted = program.commands.filter((c) => !COMMANDS.some((head) => head.name === c.name()));
  if (unlisted.length > 0) throw new Error(`commands/index.ts does not list ${unlisted.map((c) => c.name()).join(', ')}`);
  return program;
}

/** Runs the CLI on user arguments (without `node` and the script) and returns the exit code. */
export async function runCli(args: readonly string[], source: CliRuntimeSource, io: CliIo, options: ProgramOptions = {}): Promise<number> {
  const loaded = new Map<CommandHead['load'], RegisterCommands>();
  const named = commandNamed(args);
  if (named !== undefined) loaded.set(named.load, await named.load());
  for (;;) {
    const program = buildProgram(source, io, options, loaded);
    try {
      await program.parseAsync([...args], { from: 'user' });
      return EXIT.ok;
    } catch (e) {
      // Once its module is loaded a stub is no longer reached, unless the index names a command the module does not register (a bug).
      if (e instanceof StubReached && !loaded.has(e.head.load)) {
        loaded.set(e.head.load, await e.head.load());
        continue;
      }
      if (e instanceof CommanderError) {
        // Help and version displays are successes; usage errors (already printed by commander, as is
        // the help shown when no command is given) are bad input.
        return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      }
      const { describeError } = await import('./format.js');
      const { lines, exitCode } = describeError(e);
      io.err(lines.join('\n'));
      return exitCode;
    }
  }
}
