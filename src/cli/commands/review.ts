/**
 * `plimsoll review create|edit|submit|withdraw|accept|reject|list|show|evidence`: manual reviews (attestations)
 * of rules no check decides. The CLI acts as a user (--as NAME or PLIMSOLL_USER), so separation of duties holds
 * here too: nobody accepts a review they wrote or submitted. Evidence files are read from the user's disk here
 * and handed to the service as bytes; the service never opens a path.
 */
import fs from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { ErrorCode, PlimsollError, UnreachableCaseError } from '../../domain/errors.js';
import {
  describeScope,
  type ManualReviewView,
  REVIEW_RESULTS,
  REVIEW_STATUSES,
  type ReviewDraftChanges,
  type ReviewEvidenceInput,
  type ReviewResult,
  type ReviewScopeInput,
  type ReviewStatus,
} from '../../domain/review.js';
import { parseExpiry } from '../../reviews/review-validation.js';
import { table } from '../format.js';
import { collect, collectLabel } from '../options.js';
import type { CallerServices } from '../../auth/service-policy.js';
import type { CliContext } from '../runtime.js';

interface ContentOptions {
  node?: string;
  label?: Record<string, string>;
  allNodes?: boolean;
  result?: ReviewResult;
  statement?: string;
  evidenceText?: string[];
  evidenceUrl?: string[];
  evidenceFile?: string[];
  expires?: string;
  db?: string;
}

function parseResult(value: string): ReviewResult {
  if (!(REVIEW_RESULTS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${REVIEW_RESULTS.join(', ')}`);
  return value as ReviewResult;
}

function parseStatus(value: string): ReviewStatus {
  if (!(REVIEW_STATUSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${REVIEW_STATUSES.join(', ')}`);
  return value as ReviewStatus;
}

/** The scope of --node, --label or --all-nodes (exactly one; undefined when none is given). */
export function scopeOf(opts: ContentOptions): ReviewScopeInput | undefined {
  const given = [opts.node !== undefined, opts.label !== undefined, opts.allNodes === true].filter(Boolean).length;
  if (given > 1) throw new PlimsollError(ErrorCode.BAD_INPUT, 'Give one scope: --node, --label (repeatable) or --all-nodes');
  if (opts.node !== undefined) return { kind: 'node', node: opts.node };
  if (opts.label !== undefined) return { kind: 'labels', labels: opts.label };
  return opts.allNodes === true ? { kind: 'all-nodes' } : undefined;
}

/** Evidence of the --evidence-* options; files are read here, on the user's side. */
async function evidenceOf(opts: ContentOptions): Promise<ReviewEvidenceInput[] | undefined> {
  if (opts.evidenceText === undefined && opts.evidenceUrl === undefined && opts.evidenceFile === undefined) return undefined;
  const files: ReviewEvidenceInput[] = [];
  for (const file of opts.evidenceFile ?? []) {
    try {
      files.push({ kind: 'file', name: file, content: new Uint8Array(await fs.readFile(file)) });
    } catch (e) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${file}: can't read the evidence file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return [...(opts.evidenceText ?? []).map((text) => ({ kind: 'text' as const, text })), ...(opts.evidenceUrl ?? []).map((url) => ({ kind: 'url' as const, url })), ...files];
}

/** The changes of `review edit`. */
async function changesOf(opts: ContentOptions): Promise<ReviewDraftChanges> {
  const scope = scopeOf(opts);
  const evidence = await evidenceOf(opts);
  return {
    ...(scope !== undefined ? { scope } : {}),
    ...(opts.result !== undefined ? { result: opts.result } : {}),
    ...(opts.statement !== undefined ? { statement: opts.statement } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
    ...(opts.expires !== undefined ? { expiry: parseExpiry(opts.expires) } : {}),
  };
}

/** Who submitted and who decided, in one cell. */
function workflow(r: ManualReviewView): string {
  const l = r.lifecycle;
  switch (l.state) {
    case 'draft':
      return `draft by ${r.createdBy.name}`;
    case 'submitted':
      return `submitted by ${l.submittedBy.name}`;
    case 'accepted':
      return `submitted by ${l.submittedBy.name}, accepted by ${l.acceptedBy.name} ${l.acceptedAt}`;
    case 'rejected':
      return `submitted by ${l.submittedBy.name}, rejected by ${l.rejectedBy.name}: ${l.reason}`;
    default:
      throw new UnreachableCaseError(l);
  }
}

function expiryCell(r: ManualReviewView): string {
  if (r.lifecycle.state === 'accepted') return r.lifecycle.expiresAt;
  return r.expiry.kind === 'date' ? r.expiry.date : `${r.expiry.period} after acceptance`;
}

/** Reviews as a table. */
export function formatReviews(list: readonly ManualReviewView[]): string[] {
  if (list.length === 0) return ['no reviews'];
  return table(
    ['ID', 'RULE', 'RELEASE', 'SCOPE', 'RESULT', 'STATUS', 'EXPIRES', 'WORKFLOW'],
    list.map((r) => [r.id, r.rule.stigId, r.rule.release ?? '-', describeScope(r.scope), r.result, r.status, expiryCell(r), workflow(r)]),
  );
}

/** One review in full. */
export function formatReview(r: ManualReviewView): string[] {
  return [
    `review ${r.id} (${r.status})`,
    `rule: ${r.rule.stigId} of ${r.rule.benchmarkId} ${r.rule.release ?? ''} (${r.rule.ruleId}, check-content sha256 ${r.rule.checkContentHash})`,
    `scope: ${describeScope(r.scope)}`,
    `result: ${r.result}`,
    `statement: ${r.statement}`,
    `expires: ${expiryCell(r)}`,
    `workflow: ${workflow(r)}`,
    ...r.evidence.map((e) => (e.kind === 'text' ? `evidence (text): ${e.text}` : e.kind === 'url' ? `evidence (url): ${e.url}` : `evidence (file): ${e.name}, ${e.size} bytes, sha256 ${e.sha256}`)),
  ];
}

function line(verb: string, r: ManualReviewView): string {
  return `${verb} review ${r.id}: ${r.rule.stigId} ${r.result} for ${describeScope(r.scope)}, status ${r.status}`;
}

function contentOptions(cmd: Command): Command {
  return cmd
    .option('--node <ref>', 'scope: one node (id, name or endpoint)')
    .option('--label <key=value>', 'scope: every node with these labels (repeatable)', collectLabel)
    .option('--all-nodes', 'scope: every node')
    .option('--statement <text>', 'what the reviewer found, and how')
    .option('--evidence-text <text>', 'evidence as text (repeatable)', collect)
    .option('--evidence-url <url>', 'evidence as an http(s) link (repeatable)', collect)
    .option('--evidence-file <file>', 'evidence file, kept by its sha256 (repeatable)', collect)
    .option('--expires <date|period>', 'ISO date (2027-06-30) or a period after acceptance (P90D, P12W)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)');
}

export function registerReviewCommands(program: Command, ctx: CliContext): void {
  const review = program.command('review');
  contentOptions(
    review
      .command('create')
      .description('write a draft review of a rule for one node, a label selector or every node')
      .requiredOption('--benchmark <ref>', 'benchmark document id or XCCDF benchmark id (latest release)')
      .requiredOption('--rule <stig-id>', 'STIG id, e.g. DKER-EE-001070')
      .requiredOption('--result <result>', `${REVIEW_RESULTS.join(', ')}`, parseResult),
  ).action(async (opts: ContentOptions & { benchmark: string; rule: string; result: ReviewResult }) => {
    const scope = scopeOf(opts);
    if (scope === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'Give a scope: --node, --label (repeatable) or --all-nodes');
    if (opts.statement === undefined || opts.expires === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'A review needs --statement and --expires');
    const input = { benchmark: opts.benchmark, stigId: opts.rule, scope, result: opts.result, statement: opts.statement, evidence: (await evidenceOf(opts)) ?? [], expiry: parseExpiry(opts.expires) };
    ctx.io.out(line('created', await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.create(input))));
  });
  contentOptions(review.command('edit').description('change a draft review (absent options stay)').argument('<id>', 'review id').option('--result <result>', REVIEW_RESULTS.join(', '), parseResult)).action(
    async (id: string, opts: ContentOptions) => {
      const changes = await changesOf(opts);
      ctx.io.out(line('edited', await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.update(id, changes))));
    },
  );
  const transition = (name: string, description: string, verb: string, call: (s: CallerServices, id: string) => Promise<ManualReviewView>): void => {
    review
      .command(name)
      .description(description)
      .argument('<id>', 'review id')
      .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
      .action(async (id: string, opts: { db?: string }) => {
        ctx.io.out(line(verb, await ctx.withApp({ db: opts.db }, ({ services }) => call(services, id))));
      });
  };
  transition('submit', 'submit a draft review for acceptance', 'submitted', (s, id) => s.reviews.submit(id));
  transition('withdraw', 'take a submitted review back to draft', 'withdrew', (s, id) => s.reviews.withdraw(id));
  transition('accept', 'accept a submitted review (never one you wrote or submitted)', 'accepted', (s, id) => s.reviews.accept(id));
  review
    .command('reject')
    .description('reject a submitted review')
    .argument('<id>', 'review id')
    .requiredOption('--reason <text>', 'why it is rejected')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { reason: string; db?: string }) => {
      ctx.io.out(line('rejected', await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.reject(id, opts.reason))));
    });
  review
    .command('list')
    .description('list reviews, oldest first')
    .option('--status <status>', `only this status (${REVIEW_STATUSES.join(', ')})`, parseStatus)
    .option('--rule <stig-id>', 'only reviews of this STIG id')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: ReviewStatus; rule?: string; db?: string; json?: boolean }) => {
      const filter = { ...(opts.status !== undefined ? { status: opts.status } : {}), ...(opts.rule !== undefined ? { stigId: opts.rule } : {}) };
      const list = await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.list(filter));
      ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatReviews(list).join('\n'));
    });
  review
    .command('show')
    .description('show one review with its evidence')
    .argument('<id>', 'review id')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { db?: string; json?: boolean }) => {
      const r = await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.get(id));
      if (r === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No review with id ${id}`);
      ctx.io.out(opts.json ? JSON.stringify(r, null, 2) : formatReview(r).join('\n'));
    });
  review
    .command('carry-over')
    .description('what a benchmark release does to the reviews of its benchmark: carried, stale (check text changed) or removed')
    .requiredOption('--benchmark <ref>', 'benchmark document id, or XCCDF benchmark id (latest release)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { benchmark: string; db?: string; json?: boolean }) => {
      const c = await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.carryOver(opts.benchmark));
      if (opts.json) return ctx.io.out(JSON.stringify(c, null, 2));
      ctx.io.out(
        [
          `${c.benchmarkId} ${c.release ?? ''}: ${c.carried.length} carried, ${c.stale.length} stale, ${c.removed.length} removed`,
          ...c.carried.map((r) => `carried  ${r.id} ${r.rule.stigId} (${r.status})`),
          ...c.stale.map((s) => `stale    ${s.review.id} ${s.review.rule.stigId} (${s.review.status}): check text changed in ${s.ruleId}; review again`),
          ...c.removed.map((r) => `removed  ${r.id} ${r.rule.stigId} (${r.status}): no such rule in this release`),
        ].join('\n'),
      );
    });
  review
    .command('evidence')
    .description("write a review's evidence file (by sha256) to a file")
    .argument('<id>', 'review id')
    .argument('<sha256>', 'the evidence file sha256 (see review show)')
    .requiredOption('--out <file>', 'where to write it')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, sha256: string, opts: { out: string; db?: string }) => {
      const file = await ctx.withApp({ db: opts.db }, ({ services }) => services.reviews.evidenceFile(id, sha256));
      await fs.writeFile(opts.out, file.content);
      ctx.io.out(`wrote ${file.name} (${file.content.byteLength} bytes, sha256 ${file.sha256}) to ${opts.out}`);
    });
}
