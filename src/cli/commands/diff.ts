/** `plimsoll diff-benchmark OLD NEW`: rules added, removed and changed between two benchmark releases. */
import type { Command } from 'commander';
import type { BenchmarkDiff, DiffSide } from '../../domain/library.js';
import type { CliContext } from '../runtime.js';
import { localContentOr } from '../local-content.js';

const sideLine = (label: string, s: DiffSide): string =>
  `${label} ${s.benchmarkId} version ${s.version}${s.release !== undefined ? ` release ${s.release}` : ''}${s.releaseDate !== undefined ? ` (${s.releaseDate})` : ''}, ${s.ruleCount} rules  [${s.ref}]`;

/** The diff as text: both sides, counts, then one line per added, removed and changed rule. */
export function formatBenchmarkDiff(d: BenchmarkDiff): string[] {
  const lines = [
    sideLine('old', d.old),
    sideLine('new', d.new),
    `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchangedCount} unchanged; reviews carry over for ${d.carriedOverCount} rules (same check content)`,
  ];
  if (d.added.length > 0) lines.push('', 'added:', ...d.added.map((r) => `  + ${r.stigId}  ${r.severity}  ${r.title}`));
  if (d.removed.length > 0) lines.push('', 'removed:', ...d.removed.map((r) => `  - ${r.stigId}  ${r.severity}  ${r.title}`));
  if (d.changed.length > 0) {
    lines.push('', 'changed:');
    for (const c of d.changed) {
      lines.push(`  ~ ${c.stigId}  ${c.changes.join(', ')}${c.carriesOver ? '' : '  (check changed: reviews do not carry over)'}`);
      if (c.changes.includes('severity')) lines.push(`      severity ${c.old.severity} -> ${c.new.severity}`);
      if (c.changes.includes('title')) lines.push(`      title ${JSON.stringify(c.old.title)} -> ${JSON.stringify(c.new.title)}`);
    }
  }
  return lines;
}

export function registerDiffCommand(program: Command, ctx: CliContext): void {
  program
    .command('diff-benchmark')
    .argument('<old>', 'benchmark file, document id or XCCDF benchmark id (latest release)')
    .argument('<new>', 'benchmark file, document id or XCCDF benchmark id (latest release)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB), for stored benchmarks')
    .option('--json', 'print the diff as JSON')
    .action(async (oldRef: string, newRef: string, opts: { db?: string; json?: boolean }) => {
      const [oldSide, newSide] = await Promise.all([localContentOr(oldRef), localContentOr(newRef)]);
      const diff = await ctx.withApp({ db: opts.db }, ({ services }) => services.benchmarkDiff.diff(oldSide, newSide));
      ctx.io.out(opts.json ? JSON.stringify(diff, null, 2) : formatBenchmarkDiff(diff).join('\n'));
    });
}
