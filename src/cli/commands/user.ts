/** `plimsoll user create|list|whoami`: the people who use Plimsoll. */
import type { Command } from 'commander';
import type { Role } from '../../domain/auth.js';
import { MAX_PAGE_SIZE } from '../../domain/paging.js';
import { formatUsers } from '../format.js';
import { collect, intParser, parseRole } from '../options.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { describeScope } from '../../domain/environment-scope.js';
import type { CliContext } from '../runtime.js';

export function registerUserCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user');
  user
    .command('create')
    .description('create a user (an admin action, recorded with you as its creator)')
    .argument('<name>', 'the user name, unique case-insensitively')
    .requiredOption('--role <role>', 'admin, assessor or auditor', parseRole)
    .option('--oidc-subject <sub>', 'link the user to this OIDC subject of the configured issuer')
    .option('--environment <name>', 'limit the user to this environment (repeatable; default: every environment)', collect)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, opts: { role: Role; oidcSubject?: string; environment?: string[]; db?: string }) => {
      const created = await ctx.withApp({ db: opts.db }, ({ services }) =>
        services.users.createUser({ name, role: opts.role, ...(opts.oidcSubject !== undefined ? { oidcSubject: opts.oidcSubject } : {}), ...(opts.environment !== undefined ? { environments: opts.environment } : {}) }),
      );
      ctx.io.out(`created user ${created.name} (${created.id}), role ${created.role}${created.oidc !== undefined ? `, OIDC subject ${created.oidc.subject}` : ''}${scopedText(created.environments)}`);
    });
  user
    .command('scope')
    .description('limit a user to environments (an admin who sees every environment; audited): nodes elsewhere, and what was found on them, read as unknown to them')
    .argument('<user>', 'user name or id')
    .option('--environment <name>', 'an environment the user may see and act on (repeatable)', collect)
    .option('--all', 'every environment again')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { environment?: string[]; all?: boolean; db?: string }) => {
      if ((opts.environment === undefined) === (opts.all !== true)) throw new PlimsollError(ErrorCode.BAD_INPUT, 'give --environment NAME (repeatable) or --all');
      const updated = await ctx.withApp({ db: opts.db }, ({ services }) => services.users.setEnvironments(ref, opts.all === true ? [] : (opts.environment ?? [])));
      ctx.io.out(`user ${updated.name} (${updated.id}): ${scopeText(updated.environments)}`);
    });
  user
    .command('list')
    .description('list users, oldest first')
    .option('--first <n>', 'users per page', intParser(1, MAX_PAGE_SIZE), 100)
    .option('--after <cursor>', 'the cursor printed after the previous page')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { first: number; after?: string; db?: string; json?: boolean }) => {
      const page = await ctx.withApp({ db: opts.db }, ({ services }) => services.users.list({ first: opts.first, ...(opts.after !== undefined ? { after: opts.after } : {}) }));
      const users = page.edges.map((e) => e.node);
      ctx.io.out(opts.json ? JSON.stringify(users, null, 2) : formatUsers(users).join('\n'));
      if (!opts.json && page.pageInfo.hasNextPage) ctx.io.out(`more: --after ${page.pageInfo.endCursor ?? ''}`);
    });
  user
    .command('whoami')
    .description('the user the CLI acts as (--as, PLIMSOLL_USER, or the local operator)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const me = await ctx.withApp({ db: opts.db }, ({ services }) => services.users.me());
      ctx.io.out(opts.json ? JSON.stringify(me, null, 2) : `${me.name} (${me.id}), role ${me.role}${scopedText(me.environments)}`);
    });
}

/** ", environments dev, test" for a limited user; nothing for one who sees every environment. */
function scopedText(environments: readonly string[] | undefined): string {
  return environments === undefined ? '' : `, ${scopeText(environments)}`;
}

/** "environments dev, test" or "every environment". */
export function scopeText(environments: readonly string[] | undefined): string {
  return environments === undefined ? 'every environment' : `environments ${describeScope(environments)}`;
}
