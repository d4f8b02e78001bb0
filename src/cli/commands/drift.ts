/**
 * `plimsoll diff A B` (two assessments: ids, or assessment-results files the database holds), `plimsoll drift
 * ASSESSMENT` (the drift stored with a run) and `plimsoll reference pin|unpin|list` (reference runs).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { DRIFT_CHANGE_KINDS, DRIFT_COMPARISON_KINDS, type AssessmentRef, type DriftChangeFilter, type DriftChangeKind, type DriftComparisonKind } from '../../domain/drift.js';
import { ErrorCode, isPlimsollError } from '../../domain/errors.js';
import { LocalContentFiles } from '../../repositories/local-content-files.js';
import { formatComparison, formatReferenceRuns, formatRunDrift } from '../monitoring-format.js';
import type { CliContext } from '../runtime.js';

const looksLikeFile = (ref: string): boolean => /[\\/]/.test(ref) || /\.(json|xml|ya?ml)$/i.test(ref);

/** An assessment id, or the content of the assessment-results file `ref` names (read here, in the user's process). */
export async function assessmentRefOf(ref: string): Promise<AssessmentRef> {
  const files = new LocalContentFiles();
  try {
    await files.size(ref);
  } catch (e) {
    if (isPlimsollError(e) && e.code === ErrorCode.CONTENT_MISSING && !looksLikeFile(ref)) return { kind: 'assessment-id', id: ref };
    throw e;
  }
  return { kind: 'results-document', name: ref, bytes: await files.read(ref) };
}

function collectKind(value: string, previous: DriftChangeKind[] = []): DriftChangeKind[] {
  if (!(DRIFT_CHANGE_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${DRIFT_CHANGE_KINDS.join(', ')}`);
  return [...previous, value as DriftChangeKind];
}

function parseComparison(value: string): DriftComparisonKind {
  if (!(DRIFT_COMPARISON_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${DRIFT_COMPARISON_KINDS.join(', ')}`);
  return value as DriftComparisonKind;
}

export function registerDriftCommands(program: Command, ctx: CliContext): void {
  program
    .command('diff')
    .argument('<old>', 'assessment id, or an assessment-results file Plimsoll wrote (JSON, XML or YAML) of an assessment in the database')
    .argument('<new>', 'assessment id, or such a file')
    .option('--node <ref>', 'only this node (id, name or endpoint)')
    .option('--kind <kind>', `only changes of this kind (repeatable): ${DRIFT_CHANGE_KINDS.join(', ')}`, collectKind)
    .option('--rule <stigId>', 'only changes naming this STIG id')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the comparison as JSON')
    .action(async (oldRef: string, newRef: string, opts: { node?: string; kind?: DriftChangeKind[]; rule?: string; db?: string; json?: boolean }) => {
      const [a, b] = await Promise.all([assessmentRefOf(oldRef), assessmentRefOf(newRef)]);
      const comparison = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const node = opts.node !== undefined ? await services.nodes.find(opts.node, { includeRemoved: true }) : undefined;
        const filter: DriftChangeFilter = { ...(opts.kind !== undefined ? { kinds: opts.kind } : {}), ...(opts.rule !== undefined ? { stigId: opts.rule } : {}), ...(node !== undefined ? { nodeId: node.id } : opts.node !== undefined ? { nodeId: opts.node } : {}) };
        return services.drift.compare(a, b, filter);
      });
      ctx.io.out(opts.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison).join('\n'));
    });

  program
    .command('drift')
    .argument('<assessment>', 'assessment id')
    .option('--node <ref>', 'only this node (id, name or endpoint)')
    .option('--comparison <kind>', `only this comparison: ${DRIFT_COMPARISON_KINDS.join(', ')}`, parseComparison)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print the reports and their changes as JSON')
    .action(async (assessmentId: string, opts: { node?: string; comparison?: DriftComparisonKind; db?: string; json?: boolean }) => {
      const reports = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const node = opts.node !== undefined ? await services.nodes.find(opts.node, { includeRemoved: true }) : undefined;
        return services.drift.runDrift(assessmentId, { ...(opts.node !== undefined ? { nodeId: node?.id ?? opts.node } : {}), ...(opts.comparison !== undefined ? { comparison: opts.comparison } : {}) });
      });
      ctx.io.out(opts.json ? JSON.stringify(reports, null, 2) : formatRunDrift(reports).join('\n'));
    });

  const reference = program.command('reference');
  reference
    .command('pin')
    .description('pin a completed assessment as the reference run of a node (for that assessment\'s benchmark), replacing an earlier pin')
    .argument('<node>', 'node name, id or endpoint')
    .argument('<assessment>', 'assessment id (completed, with the node collected)')
    .option('--note <text>', 'why this run is the reference (e.g. "accepted at ATO, 2027-01")')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (node: string, assessmentId: string, opts: { note?: string; db?: string; json?: boolean }) => {
      const result = await ctx.withApp({ db: opts.db }, ({ services }) => services.drift.pinReference({ node, assessmentId, ...(opts.note !== undefined ? { note: opts.note } : {}) }));
      if (opts.json) return ctx.io.out(JSON.stringify(result, null, 2));
      const p = result.pinned;
      ctx.io.out(`pinned ${p.assessmentId} as the reference run of ${p.nodeName} for ${p.benchmarkId}${result.replaced !== undefined ? ` (replacing ${result.replaced.assessmentId})` : ''}`);
    });
  reference
    .command('unpin')
    .description('remove the reference run of a node')
    .argument('<node>', 'node name, id or endpoint (a removed node by id)')
    .option('--benchmark <id>', 'the XCCDF benchmark id, when the node has reference runs for several')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (node: string, opts: { benchmark?: string; db?: string }) => {
      const removed = await ctx.withApp({ db: opts.db }, ({ services }) => services.drift.unpinReference({ node, ...(opts.benchmark !== undefined ? { benchmark: opts.benchmark } : {}) }));
      ctx.io.out(`unpinned ${removed.assessmentId}: ${removed.nodeName} has no reference run for ${removed.benchmarkId}`);
    });
  reference
    .command('list')
    .description('list reference runs')
    .option('--node <ref>', 'only this node')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { node?: string; db?: string; json?: boolean }) => {
      const page = await ctx.withApp({ db: opts.db }, ({ services }) => services.drift.references(opts.node !== undefined ? { node: opts.node } : {}, { first: 100 }));
      const pins = page.edges.map((e) => e.node);
      if (opts.json) return ctx.io.out(JSON.stringify(pins, null, 2));
      ctx.io.out([...formatReferenceRuns(pins), ...(page.pageInfo.hasNextPage ? [`(${page.totalCount - pins.length} more: narrow with --node)`] : [])].join('\n'));
    });
}
