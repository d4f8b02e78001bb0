/** `plimsoll content sync`: pinned reference content into the verified cache. */
import type { Command } from 'commander';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { formatSyncResults } from '../format.js';
import type { CliContext } from '../runtime.js';

export function registerContentCommands(program: Command, ctx: CliContext): void {
  const content = program.command('content');
  content
    .command('sync')
    .description('fetch every pinned source (or the named ones) into the cache: cache, then mirrors, then download; sha256-verified')
    .argument('[names...]', 'source names from catalogs/sources.json (default: all)')
    .option('--offline', 'never download; use only the cache and the content mirrors')
    .action(async (names: string[], opts: { offline?: boolean }) => {
      const results = await ctx.withApp({ ...(opts.offline ? { offline: true } : {}) }, ({ services }) => services.contentSync.sync(names));
      ctx.io.out(formatSyncResults(results).join('\n'));
      const missing = results.filter((r) => !r.ok);
      if (missing.length > 0) {
        throw new PlimsollError(
          ErrorCode.CONTENT_MISSING,
          `${missing.length} of ${results.length} pinned sources unavailable: ${missing.map((r) => r.name).join(', ')}`,
        );
      }
    });
}
