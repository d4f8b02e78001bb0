/** `plimsoll convert FILE --to json|xml|yaml --out FILE [--oscal-version 1.1.2]`: an OSCAL document in another format. */
import type { Command } from 'commander';
import type { OscalFormatName } from '../../domain/services.js';
import { LocalFiles } from '../../repositories/local-files.js';
import type { CliContext } from '../runtime.js';

export function registerConvertCommand(program: Command, ctx: CliContext): void {
  program
    .command('convert')
    .argument('<file>', 'the OSCAL document (JSON, XML or YAML)')
    .requiredOption('--to <format>', 'json, xml or yaml')
    .requiredOption('--out <file>', 'where to write the converted document')
    .option('--oscal-version <version>', 'upgrade the document to this OSCAL version first (1.1.2; from 1.0.x or 1.1.x)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { to: string; out: string; oscalVersion?: string; json?: boolean }) => {
      // The user's own files, read and written here; the service only converts content.
      const local = new LocalFiles();
      const content = await local.readContent(file);
      const { text, ...converted } = await ctx.withApp({}, ({ services }) =>
        services.convert.convert(content, { to: opts.to as OscalFormatName, outName: opts.out, ...(opts.oscalVersion !== undefined ? { oscalVersion: opts.oscalVersion } : {}) }),
      );
      const result = { outFile: await local.writeText(opts.out, text), ...converted };
      if (opts.json) {
        ctx.io.out(JSON.stringify(result, null, 2));
        return;
      }
      const upgrade = result.upgradedFrom !== undefined ? `, upgraded from OSCAL ${result.upgradedFrom}` : '';
      ctx.io.out(`converted ${file} (${result.model}, ${result.from}) to ${result.to}, OSCAL ${result.oscalVersion}${upgrade}: ${result.outFile}`);
      for (const note of result.notes) ctx.io.err(`note: ${note}`);
    });
}
