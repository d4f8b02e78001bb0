/**
 * `plimsoll exemption request|approve|reject|revoke|list`: exemptions and their review. The CLI acts as a
 * user (--as NAME or PLIMSOLL_USER, else the local operator), so separation of duties holds on the command
 * line too: nobody approves what they requested, nor what a user they created requested.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { UnreachableCaseError } from '../../domain/errors.js';
import { describeTarget, EXEMPTION_KINDS, EXEMPTION_STATUSES, type ExemptionKind, type ExemptionRequest, type ExemptionStatus, type ExemptionView } from '../../domain/exemption.js';
import { table } from '../format.js';
import { collectLabel } from '../options.js';
import type { CliContext } from '../runtime.js';

interface RequestOptions {
  rule: string;
  kind?: ExemptionKind;
  wholeRule?: boolean;
  container?: string;
  label?: Record<string, string>;
  node?: string;
  justification: string;
  expires: string;
  db?: string;
}

function parseKind(value: string): ExemptionKind {
  if (!(EXEMPTION_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${EXEMPTION_KINDS.join(', ')}`);
  return value as ExemptionKind;
}

function parseStatus(value: string): ExemptionStatus {
  if (!(EXEMPTION_STATUSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${EXEMPTION_STATUSES.join(', ')}`);
  return value as ExemptionStatus;
}

/** The request of `exemption request`. */
export function exemptionRequestOf(name: string, opts: RequestOptions): ExemptionRequest {
  return {
    name,
    rule: opts.rule,
    ...(opts.kind !== undefined ? { kind: opts.kind } : {}),
    ...(opts.wholeRule === true ? { allTargets: true } : {}),
    ...(opts.container !== undefined ? { container: opts.container } : {}),
    labels: opts.label ?? {},
    ...(opts.node !== undefined ? { node: opts.node } : {}),
    justification: opts.justification,
    expiresAt: opts.expires,
  };
}

/** Who decided, and when, in one cell. */
function decision(e: ExemptionView): string {
  const l = e.lifecycle;
  switch (l.status) {
    case 'requested':
      return '-';
    case 'approved':
      return `approved by ${l.approvedBy}`;
    case 'rejected':
      return `rejected by ${l.rejectedBy}: ${l.reason}`;
    case 'revoked':
      return `revoked by ${l.revokedBy}${l.reason !== undefined ? `: ${l.reason}` : ''}`;
    default:
      throw new UnreachableCaseError(l);
  }
}

/** Exemptions as a table. */
export function formatExemptions(list: readonly ExemptionView[]): string[] {
  if (list.length === 0) return ['no exemptions'];
  return table(
    ['ID', 'NAME', 'RULE', 'TARGET', 'STATUS', 'EXPIRES', 'REQUESTED BY', 'DECISION'],
    list.map((e) => [e.id, e.name, e.rule, describeTarget(e.target), e.status, e.expiresAt, e.requestedBy, decision(e)]),
  );
}

/** One line about an exemption after a change. */
export function formatExemptionLine(verb: string, e: ExemptionView): string {
  return `${verb} exemption ${e.id} (${e.name}, ${e.kind}): rule ${e.rule}, ${describeTarget(e.target)}, status ${e.status}, expires ${e.expiresAt}`;
}

export function registerExemptionCommands(program: Command, ctx: CliContext): void {
  const exemption = program.command('exemption');
  exemption
    .command('request')
    .description('request an exemption; another admin must approve it')
    .argument('<name>', 'a short name for the exemption')
    .requiredOption('--rule <stig-id>', 'STIG id (e.g. DKER-EE-001960), or * for every rule')
    .option('--container <glob>', "container name pattern (* and ?), e.g. 'ucp-*'")
    .option('--label <key=value>', 'a container label that must match (repeatable)', collectLabel)
    .option('--node <ref>', 'only on this node (id, name or endpoint)')
    .option('--whole-rule', 'the whole failed rule (every target, and failures without per-target evidence) instead of containers')
    .option('--kind <kind>', `${EXEMPTION_KINDS.join(', ')} (default risk-accepted: the failure is real, the risk accepted)`, parseKind)
    .requiredOption('--justification <text>', 'why the deviation is acceptable')
    .requiredOption('--expires <date>', 'ISO date (valid through that day, UTC) or date-time, e.g. 2027-06-30')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, opts: RequestOptions) => {
      const input = exemptionRequestOf(name, opts);
      const created = await ctx.withApp({ db: opts.db }, ({ services }) => services.exemptions.request(input));
      ctx.io.out(formatExemptionLine('requested', created));
    });
  exemption
    .command('approve')
    .description('approve a requested exemption (not one you requested)')
    .argument('<id>', 'exemption id (see exemption list)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { db?: string }) => {
      const approved = await ctx.withApp({ db: opts.db }, ({ services }) => services.exemptions.approve(id));
      ctx.io.out(formatExemptionLine('approved', approved));
    });
  exemption
    .command('reject')
    .description('reject a requested exemption')
    .argument('<id>', 'exemption id')
    .requiredOption('--reason <text>', 'why it is rejected')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { reason: string; db?: string }) => {
      const rejected = await ctx.withApp({ db: opts.db }, ({ services }) => services.exemptions.reject(id, opts.reason));
      ctx.io.out(formatExemptionLine('rejected', rejected));
    });
  exemption
    .command('revoke')
    .description('revoke an approved exemption; later assessments no longer apply it')
    .argument('<id>', 'exemption id')
    .option('--reason <text>', 'why it is revoked')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (id: string, opts: { reason?: string; db?: string }) => {
      const revoked = await ctx.withApp({ db: opts.db }, ({ services }) => services.exemptions.revoke(id, opts.reason));
      ctx.io.out(formatExemptionLine('revoked', revoked));
    });
  exemption
    .command('list')
    .description('list exemptions, oldest first')
    .option('--status <status>', `only this status (${EXEMPTION_STATUSES.join(', ')})`, parseStatus)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: ExemptionStatus; db?: string; json?: boolean }) => {
      const list = await ctx.withApp({ db: opts.db }, ({ services }) => services.exemptions.list(opts.status !== undefined ? { status: opts.status } : {}));
      ctx.io.out(opts.json ? JSON.stringify(list.map(({ requestedByTokenId: _token, requestedByUserId: _user, ...rest }) => rest), null, 2) : formatExemptions(list).join('\n'));
    });
}
