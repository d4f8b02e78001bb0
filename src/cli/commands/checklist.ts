/**
 * `plimsoll checklist import FILE [--node NODE]`: a STIG Viewer checklist (CKL or CKLB) answered by people
 * becomes manual reviews, submitted in the name of the user running the command, for another person to accept.
 * The file is read here, on the user's side; the service gets its bytes, never a path.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { LocalContentFiles } from '../../repositories/local-content-files.js';
import { parseExpiry } from '../../reviews/review-validation.js';
import type { CliContext } from '../runtime.js';

interface ImportOptions {
  node?: string;
  expires?: string;
  json?: boolean;
  db?: string;
}

export function registerChecklistCommands(program: Command, ctx: CliContext): void {
  const checklist = program.command('checklist');
  checklist
    .command('import')
    .description('import a CKL or CKLB as manual reviews submitted by you (all or nothing); another person accepts them')
    .argument('<file>', 'the checklist (.ckl or .cklb; the format is read from the content)')
    .option('--node <node>', "the node the reviews are for (name, id or endpoint); default: the checklist's host name")
    .option('--expires <expiry>', 'how long the reviews apply once accepted: a date (2027-06-30) or a period (P90D); default P365D')
    .option('--json', 'print the outcome as JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (file: string, opts: ImportOptions) => {
      const bytes = await new LocalContentFiles().read(file);
      const expiry = opts.expires !== undefined ? parseExpiry(opts.expires) : undefined;
      const request = { file: { name: path.basename(file), bytes }, ...(opts.node !== undefined ? { node: opts.node } : {}), ...(expiry !== undefined ? { expiry } : {}) };
      const out = await ctx.withApp({ db: opts.db }, ({ services }) => services.checklists.importChecklist(request));
      if (opts.json === true) {
        ctx.io.out(JSON.stringify(out, null, 2));
        return;
      }
      const releases = out.benchmarks.map((b) => `${b.benchmarkId} ${b.release}`).join(', ') || 'no benchmark';
      ctx.io.out(`imported ${out.format.toUpperCase()} for node ${out.node}: ${out.reviewIds.length} reviews submitted (${releases}), ${out.skipped.length} entries left out`);
      for (const id of out.reviewIds) ctx.io.out(`  submitted ${id}`);
    });
}
