/**
 * Which invocations of the `plimsoll` executable run in a worker thread with bounded heap limits (see
 * bounded-worker.ts, loaded only for them): `assess`, whose memory grows with the fleet assessed. Kept free of
 * imports, since the entry point reads it before anything else, `--help` included.
 */

/** Commands that run in a bounded worker. */
const BOUNDED_COMMANDS: ReadonlySet<string> = new Set(['assess']);

/** Global options that take a value (`--as <user>`): their value is not the command. */
const VALUED_GLOBAL_OPTIONS: ReadonlySet<string> = new Set(['--as']);

/** The command the arguments name (the first one that is not a global option or its value), if any. */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (VALUED_GLOBAL_OPTIONS.has(arg)) i += 1;
  }
  return undefined;
}

/** Whether these arguments name a bounded command (not asking for its help). */
export function isBoundedCommand(args: readonly string[]): boolean {
  const command = commandOf(args);
  return command !== undefined && BOUNDED_COMMANDS.has(command) && !args.includes('--help') && !args.includes('-h');
}
