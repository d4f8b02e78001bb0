/** `plimsoll resolve PROFILE --out FILE`: an OSCAL profile resolved into a catalog, written as OSCAL JSON. */
import type { Command } from 'commander';
import { formatProblem } from '../../domain/errors.js';
import { LocalFiles } from '../../repositories/local-files.js';
import type { CliContext } from '../runtime.js';

export function registerResolveCommand(program: Command, ctx: CliContext): void {
  program
    .command('resolve')
    .argument('<profile>', 'the profile file')
    .requiredOption('--out <file>', 'where to write the resolved catalog (JSON)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB), for imports found in the library')
    .option('--json', 'print the result (file, catalog uuid, control count, warnings) as JSON')
    .action(async (profile: string, opts: { out: string; db?: string; json?: boolean }) => {
      // Loaded here, not at start: the profile loader brings the OSCAL formats, which `--help` never needs.
      const { LocalRelatedFiles } = await import('../../library/profile-resolution/source-loader.js');
      const local = new LocalFiles();
      const content = await local.readContent(profile);
      const resolved = await ctx.withApp({ db: opts.db }, ({ services }) => services.baselines.resolveToText(content, { related: new LocalRelatedFiles() }));
      const outFile = await local.writeText(opts.out, resolved.catalogJson);
      const result = { outFile, catalogUuid: resolved.catalogUuid, controlCount: resolved.controlCount, warnings: resolved.warnings };
      if (opts.json) {
        ctx.io.out(JSON.stringify(result, null, 2));
        return;
      }
      ctx.io.out(`resolved ${profile}: ${result.controlCount} controls and enhancements, catalog ${result.catalogUuid}, written to ${result.outFile}`);
      if (result.warnings.length > 0) ctx.io.err([`${result.warnings.length} warning(s):`, ...result.warnings.map((w) => `  ${formatProblem(w)}`)].join('\n'));
    });
}
