/**
 * The index of top-level commands (src/cli/commands/index.ts) stands in for the command modules in `plimsoll --help`:
 * what it says of each command must be what the module registers, and the program must read from the arguments the
 * command commander will run.
 */
import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandNamed, type RegisterCommands } from '../../../src/cli/commands/index.js';
import { runCli } from '../../../src/cli/program.js';
import { createCliContext } from '../../../src/cli/runtime.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

/** Every module's registrar, once each, in the order the index first names them. */
async function registrars(): Promise<RegisterCommands[]> {
  const all = await Promise.all(COMMANDS.map((head) => head.load()));
  return [...new Set(all)];
}

describe('the command index', () => {
  it('names every top-level command the modules register, in the order of each module, with the term commander prints', async () => {
    const program = new Command('plimsoll');
    const ctx = createCliContext(new MemoryRuntime(), new MemoryIo());
    for (const register of await registrars()) register(program, ctx);
    // Registered in the index's order: a module's commands are consecutive there, in its own order.
    expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map((head) => head.name));
    const help = new Help();
    for (const head of COMMANDS) {
      const command = program.commands.find((c) => c.name() === head.name)!;
      expect(help.subcommandTerm(command), head.name).toBe([head.name, head.term].filter((s) => s !== '').join(' '));
      // The description is the index's alone: a module setting its own would be overwritten unseen.
      expect(command.description(), head.name).toBe('');
    }
  });

  it('gives each command the module that registers it', async () => {
    for (const head of COMMANDS) {
      const program = new Command('plimsoll');
      (await head.load())(program, createCliContext(new MemoryRuntime(), new MemoryIo()));
      expect(program.commands.map((c) => c.name())).toContain(head.name);
    }
  });

  it('lists each command once, and every one in --help with its term and description', async () => {
    expect(new Set(COMMANDS.map((head) => head.name)).size).toBe(COMMANDS.length);
    const io = new MemoryIo();
    expect(await runCli(['--help'], new MemoryRuntime(), io)).toBe(0);
    for (const head of COMMANDS) {
      const words = head.description.split(' ').slice(0, 3).join(' ');
      expect(io.outText).toMatch(new RegExp(`^  ${[head.name, head.term].filter((s) => s !== '').join(' ').replace(/[.[\]]/g, '\\$&')} +${words.replace(/[()]/g, '\\$&')}`, 'm'));
    }
  });
});

describe('the command the arguments name', () => {
  it('is the first operand, past the value of --as; help NAME names NAME', () => {
    const named = (...args: string[]): string | undefined => commandNamed(args)?.name;
    expect(named('import', 'a.xml')).toBe('import');
    expect(named('--as', 'import', 'assess', '--node', 'x')).toBe('assess');
    expect(named('--as=bob', 'node', 'list')).toBe('node');
    expect(named('-h', 'trust-server', 'add')).toBe('trust-server');
    expect(named('help', 'verify')).toBe('verify');
    expect(named('help')).toBeUndefined();
    expect(named('--help')).toBeUndefined();
    expect(named('-V')).toBeUndefined();
    expect(named('imprt', 'x')).toBeUndefined();
  });

  it('loads the module of the command it names, which prints its own help', async () => {
    const io = new MemoryIo();
    expect(await runCli(['help', 'reference'], new MemoryRuntime(), io)).toBe(0);
    expect(io.outText).toMatch(/^Usage: plimsoll reference \[options\] \[command\]/);
    expect(io.outText).toMatch(/^  pin .*<assessment>/m);
  });
});
