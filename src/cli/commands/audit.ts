/** `plimsoll audit list`: the audit log, newest first. */
import type { Command } from 'commander';
import { formatAudit } from '../format.js';
import { intParser } from '../options.js';
import type { CliContext } from '../runtime.js';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the audit log');
  audit
    .command('list')
    .description('list audit records, newest first')
    .option('--limit <n>', 'records per page', intParser(1, 500), 50)
    .option('--offset <n>', 'records to skip', intParser(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: number; offset: number; db?: string; json?: boolean }) => {
      const page = await ctx.withApp({ db: opts.db }, ({ services }) => services.audit.list({ offset: opts.offset, limit: opts.limit }));
      ctx.io.out(opts.json ? JSON.stringify(page, null, 2) : formatAudit(page, opts.offset).join('\n'));
    });
}
