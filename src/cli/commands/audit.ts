/** `plimsoll audit list|verify`: the audit log, newest first, and the check of its hash chain. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { MAX_PAGE_SIZE } from '../../domain/paging.js';
import { CliExit, EXIT, formatAudit, formatChainVerification } from '../format.js';
import { intParser } from '../options.js';
import type { CliContext } from '../runtime.js';

/** `--head ID:HASH` as noted from an earlier verification. */
function parseHead(value: string): { id: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('expected ID:HASH, e.g. 42:<64 hex digits>, as `audit verify` prints it');
  return { id: Number(match[1]), hash: match[2]! };
}

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit');
  audit
    .command('list')
    .description('list audit records, newest first')
    .option('--limit <n>', 'records per page', intParser(1, MAX_PAGE_SIZE), 50)
    .option('--after <cursor>', 'the cursor printed after the previous page')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: number; after?: string; db?: string; json?: boolean }) => {
      const page = await ctx.withApp({ db: opts.db }, ({ services }) => services.audit.list({ first: opts.limit, ...(opts.after !== undefined ? { after: opts.after } : {}) }));
      const items = page.edges.map((e) => e.node);
      const json = { items, total: page.totalCount, hasNextPage: page.pageInfo.hasNextPage, ...(page.pageInfo.endCursor !== undefined ? { endCursor: page.pageInfo.endCursor } : {}) };
      ctx.io.out(opts.json ? JSON.stringify(json, null, 2) : formatAudit(page).join('\n'));
    });
  audit
    .command('verify')
    .description(`check the hash chain: a changed or deleted record is named and the exit code is ${EXIT.auditChainBroken}`)
    .option('--head <id:hash>', 'a head noted earlier: also check that it is still in the chain (newest records deleted otherwise)', parseHead)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { head?: { id: number; hash: string }; db?: string; json?: boolean }) => {
      const result = await ctx.withApp({ db: opts.db }, ({ services }) => services.audit.verify(opts.head !== undefined ? { head: opts.head } : {}));
      const lines = formatChainVerification(result);
      if (opts.json) ctx.io.out(JSON.stringify(result, null, 2));
      if (!result.ok) throw new CliExit(EXIT.auditChainBroken, lines);
      if (!opts.json) ctx.io.out(lines.join('\n'));
    });
}
