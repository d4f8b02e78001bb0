/** `plimsoll import FILE...`: content documents into the library, all or nothing. */
import type { Command } from 'commander';
import { formatImportLine } from '../format.js';
import type { CliContext } from '../runtime.js';

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('import OSCAL catalogs, XCCDF benchmarks (STIGs) and the DISA CCI list; all files or none')
    .argument('<files...>', 'content files')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the import summaries as a JSON array')
    .action(async (files: string[], opts: { db?: string; json?: boolean }) => {
      const summaries = await ctx.withApp({ db: opts.db }, ({ services }) => services.imports.importFiles(files));
      ctx.io.out(opts.json ? JSON.stringify(summaries, null, 2) : summaries.map(formatImportLine).join('\n'));
    });
}
