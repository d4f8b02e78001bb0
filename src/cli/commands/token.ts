/** `plimsoll token create|list|revoke`: API bearer tokens. */
import type { Command } from 'commander';
import { LOCAL_CLI_PRINCIPAL, type Role } from '../../domain/auth.js';
import { formatTokens } from '../format.js';
import { parseRole } from '../options.js';
import type { CliContext } from '../runtime.js';

export function registerTokenCommands(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API bearer tokens');
  token
    .command('create')
    .description('create a token; its secret is printed once and never stored')
    .argument('<name>', 'who or what uses the token')
    .requiredOption('--role <role>', 'admin, assessor or auditor', parseRole)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, opts: { role: Role; db?: string }) => {
      const { token: created, secret } = await ctx.withApp({ db: opts.db }, ({ services }) =>
        services.auth.createToken(name, opts.role, LOCAL_CLI_PRINCIPAL),
      );
      ctx.io.out(`created token ${created.id} (${created.name}, role ${created.role}); the secret is shown only now:`);
      ctx.io.out(secret);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const tokens = await ctx.withApp({ db: opts.db }, ({ services }) => services.auth.listTokens());
      ctx.io.out(opts.json ? JSON.stringify(tokens, null, 2) : formatTokens(tokens).join('\n'));
    });
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id (see token list)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { db?: string }) => {
      await ctx.withApp({ db: opts.db }, ({ services }) => services.auth.revokeToken(id, LOCAL_CLI_PRINCIPAL));
      ctx.io.out(`revoked token ${id}`);
    });
}
