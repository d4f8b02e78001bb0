/** `plimsoll serve`: the GraphQL server. */
import type { Command } from 'commander';
import { parsePort } from '../options.js';
import type { CliContext } from '../runtime.js';

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .option('--port <n>', 'port to listen on (PLIMSOLL_PORT; 0: any free port)', parsePort)
    .option('--host <host>', 'address to listen on (PLIMSOLL_HOST)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (opts: { port?: number; host?: string; db?: string }) => {
      await (await ctx.runtime()).serve({
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.db !== undefined ? { db: opts.db } : {}),
      });
    });
}
