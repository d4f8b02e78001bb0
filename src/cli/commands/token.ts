/** `plimsoll token create|mint|list|revoke`: API bearer tokens, each belonging to a user. */
import type { Command } from 'commander';
import type { Role } from '../../domain/auth.js';
import { MAX_PAGE_SIZE } from '../../domain/paging.js';
import { formatTokens } from '../format.js';
import { collect, intParser, parseRole } from '../options.js';
import type { CliContext } from '../runtime.js';

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token');
  token
    .command('create')
    .description("a token for NAME: your own name mints one for you; a free name makes an admin create that user with the token; another user's name is refused")
    .argument('<name>', 'the user the token belongs to')
    .requiredOption('--role <role>', 'admin, assessor or auditor (for a new user: its role; for yourself: the token’s ceiling)', parseRole)
    .option('--environment <name>', 'for a new user: an environment it is limited to; for yourself: narrow the token to it (repeatable)', collect)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, opts: { role: Role; environment?: string[]; db?: string }) => {
      const created = await ctx.withApp({ db: opts.db }, ({ services }) => services.users.createToken(name, opts.role, opts.environment !== undefined ? { environments: opts.environment } : {}));
      const who = created.userCreated ? `new user ${created.user.name}` : created.user.name;
      ctx.io.out(`created token ${created.token.id} for ${who} (role ${created.token.role}); the secret is shown only now:`);
      ctx.io.out(created.secret);
    });
  token
    .command('mint')
    .description('a token for yourself (the user the CLI acts as)')
    .option('--label <text>', 'what the token is for, e.g. ci or laptop (default: your name)')
    .option('--role <role>', 'a ceiling at most your role (default: your role)', parseRole)
    .option('--environment <name>', 'narrow the token to this environment, within yours (repeatable)', collect)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (opts: { label?: string; role?: Role; environment?: string[]; db?: string }) => {
      const created = await ctx.withApp({ db: opts.db }, ({ services }) =>
        services.users.createOwnToken({
          ...(opts.label !== undefined ? { label: opts.label } : {}), ...(opts.role !== undefined ? { role: opts.role } : {}), ...(opts.environment !== undefined ? { environments: opts.environment } : {}),
        }),
      );
      ctx.io.out(`created token ${created.token.id} (${created.token.name}) for ${created.token.userName} (role ${created.token.role}); the secret is shown only now:`);
      ctx.io.out(created.secret);
    });
  token
    .command('list')
    .description('list tokens, oldest first (never their secrets); non-admins see their own')
    .option('--user <name>', "only this user's tokens")
    .option('--first <n>', 'tokens per page', intParser(1, MAX_PAGE_SIZE), 100)
    .option('--after <cursor>', 'the cursor printed after the previous page')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { user?: string; first: number; after?: string; db?: string; json?: boolean }) => {
      const page = await ctx.withApp({ db: opts.db }, ({ services }) =>
        services.users.listTokens(opts.user !== undefined ? { user: opts.user } : {}, { first: opts.first, ...(opts.after !== undefined ? { after: opts.after } : {}) }),
      );
      const tokens = page.edges.map((e) => e.node);
      ctx.io.out(opts.json ? JSON.stringify(tokens, null, 2) : formatTokens(tokens).join('\n'));
      if (!opts.json && page.pageInfo.hasNextPage) ctx.io.out(`more: --after ${page.pageInfo.endCursor ?? ''}`);
    });
  token
    .command('revoke')
    .description('revoke a token by id (yours, or anyone’s as an admin)')
    .argument('<id>', 'token id (see token list)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { db?: string }) => {
      await ctx.withApp({ db: opts.db }, ({ services }) => services.users.revokeToken(id));
      ctx.io.out(`revoked token ${id}`);
    });
}
