/** `plimsoll import FILE...`: content documents into the library, all or nothing. */
import type { Command } from 'commander';
import { LocalFiles } from '../../repositories/local-files.js';
import { formatImportLine } from '../format.js';
import type { CliContext } from '../runtime.js';

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .argument('<files...>', 'content files (read here and sent as content; a profile may import files beside it)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the import summaries as a JSON array')
    .action(async (files: string[], opts: { db?: string; json?: boolean }) => {
      // Loaded here, not at start: the profile loader brings the OSCAL formats, which `--help` never needs.
      const { LocalRelatedFiles } = await import('../../library/profile-resolution/source-loader.js');
      const local = new LocalFiles();
      const contents = await Promise.all(files.map((f) => local.readContent(f)));
      const summaries = await ctx.withApp({ db: opts.db }, ({ services }) => services.imports.importDocuments(contents, { related: new LocalRelatedFiles() }));
      ctx.io.out(opts.json ? JSON.stringify(summaries, null, 2) : summaries.map(formatImportLine).join('\n'));
    });
}
