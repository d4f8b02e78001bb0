/**
 * `plimsoll remediate ASSESSMENT`: remediation plans from an assessment's failures. Without an action it
 * proposes a plan; `--approve`, `--reject`, `--apply` (a dry run unless `--no-dry-run`), `--show`, `--list` and
 * `--unlock-keys` act on the assessment's plans. The CLI acts as a user (--as), so separation of duties holds:
 * the proposer can't approve.
 */
import type { Command } from 'commander';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { RemediationProposal } from '../../domain/remediation.js';
import type { CallerServices } from '../../auth/service-policy.js';
import { CliExit, EXIT } from '../format.js';
import { collect, intParser } from '../options.js';
import { formatApplyReport, formatCalls, formatItems, formatPlanHeader, formatPlans, formatUnlockKeys } from '../remediation-format.js';
import type { CliContext } from '../runtime.js';

interface RemediateOptions {
  rule?: string[];
  memory?: string;
  pidsLimit?: number;
  cpuShares?: number;
  restartRetries?: number;
  note?: string;
  approve?: string;
  reject?: string;
  reason?: string;
  apply?: string;
  dryRun: boolean;
  show?: string;
  list?: boolean;
  unlockKeys?: string;
  json?: boolean;
  db?: string;
}

const ACTIONS = ['approve', 'reject', 'apply', 'show', 'list', 'unlockKeys'] as const;

function usage(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, message);
}

/** The proposal of `remediate ASSESSMENT` without an action. */
export function proposalOf(assessmentId: string, opts: RemediateOptions): RemediationProposal {
  return {
    assessmentId,
    ...(opts.rule !== undefined ? { rules: opts.rule } : {}),
    ...(opts.memory !== undefined ? { memory: opts.memory } : {}),
    ...(opts.pidsLimit !== undefined ? { pidsLimit: opts.pidsLimit } : {}),
    ...(opts.cpuShares !== undefined ? { cpuShares: opts.cpuShares } : {}),
    ...(opts.restartRetries !== undefined ? { restartMaxRetries: opts.restartRetries } : {}),
    ...(opts.note !== undefined ? { note: opts.note } : {}),
  };
}

/** The plan, checked to belong to the assessment named on the command line. */
async function planOf(services: CallerServices, assessmentId: string, planId: string) {
  const plan = await services.remediation.get(planId);
  if (plan === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No remediation plan with id ${planId}`);
  if (plan.assessmentId !== assessmentId) throw usage(`Remediation plan ${planId} belongs to assessment ${plan.assessmentId}, not ${assessmentId}`);
  return plan;
}

async function run(services: CallerServices, assessmentId: string, opts: RemediateOptions): Promise<{ json: unknown; lines: string[]; exit?: CliExit }> {
  if (opts.approve !== undefined) {
    await planOf(services, assessmentId, opts.approve);
    const plan = await services.remediation.approve(opts.approve);
    return { json: plan, lines: formatPlanHeader(plan) };
  }
  if (opts.reject !== undefined) {
    if (opts.reason === undefined) throw usage('--reject needs --reason');
    await planOf(services, assessmentId, opts.reject);
    const plan = await services.remediation.reject(opts.reject, opts.reason);
    return { json: plan, lines: formatPlanHeader(plan) };
  }
  if (opts.apply !== undefined) {
    await planOf(services, assessmentId, opts.apply);
    const report = await services.remediation.apply(opts.apply, { dryRun: opts.dryRun }).catch(async (e: unknown) => {
      // A stale plan (found now or before) was asked to be applied and nothing was: "not applied", not bad input.
      if (!opts.dryRun && e instanceof PlimsollError && e.code === ErrorCode.CONFLICT && (await services.remediation.get(opts.apply!))?.lifecycle.status === 'stale') {
        throw new CliExit(EXIT.notApplied, [`error[${e.code}]: ${e.message}`]);
      }
      throw e;
    });
    const items = report.dryRun ? [] : await services.remediation.listItems(opts.apply);
    const status = report.plan.lifecycle.status;
    const exit = !report.dryRun && status !== 'applied' ? new CliExit(EXIT.notApplied, [`remediation plan ${report.plan.id} is ${status}: not every change was made (see the calls above)`]) : undefined;
    return { json: report.dryRun ? report : { ...report, items }, lines: formatApplyReport(report, items), ...(exit !== undefined ? { exit } : {}) };
  }
  if (opts.show !== undefined) {
    const plan = await planOf(services, assessmentId, opts.show);
    const [items, calls] = [await services.remediation.listItems(plan.id), await services.remediation.listCalls(plan.id)];
    return { json: { plan, items, calls }, lines: [...formatPlanHeader(plan), '', ...formatItems(items), '', ...formatCalls(calls)] };
  }
  if (opts.list) {
    const plans = await services.remediation.list({ assessmentId });
    return { json: plans, lines: formatPlans(plans) };
  }
  if (opts.unlockKeys !== undefined) {
    await planOf(services, assessmentId, opts.unlockKeys);
    const keys = await services.remediation.revealUnlockKeys(opts.unlockKeys);
    return { json: keys, lines: formatUnlockKeys(keys) };
  }
  const plan = await services.remediation.propose(proposalOf(assessmentId, opts));
  const items = await services.remediation.listItems(plan.id);
  return { json: { plan, items }, lines: [...formatPlanHeader(plan), '', ...formatItems(items), '', `another admin approves it with: plimsoll --as NAME remediate ${assessmentId} --approve ${plan.id}`] };
}

export function registerRemediateCommand(program: Command, ctx: CliContext): void {
  program
    .command('remediate')
    .argument('<assessment>', 'assessment id (see plimsoll assess)')
    .option('--rule <stig-id>', 'propose for this rule only (repeatable)', collect)
    .option('--memory <size>', 'memory limit to set (e.g. 256m, from the SSP); without it memory items are manual')
    .option('--pids-limit <n>', 'PIDs limit to set (from the SSP); without it PIDs items are manual', intParser(1, 4_194_304))
    .option('--cpu-shares <n>', 'CPU shares weight to set (default 512)', intParser(2, 262_144))
    .option('--restart-retries <n>', 'on-failure restart retries, 1 to 5 (default 5)', intParser(1, 5))
    .option('--note <text>', 'why, for the approver')
    .option('--approve <plan>', 'approve a proposed plan (not one you proposed)')
    .option('--reject <plan>', 'reject a proposed plan (with --reason)')
    .option('--reason <text>', 'why it is rejected')
    .option('--apply <plan>', 'apply an approved plan: a dry run unless --no-dry-run')
    .option('--no-dry-run', 'with --apply: make the changes')
    .option('--show <plan>', 'show a plan with its items and calls')
    .option('--list', "list the assessment's plans")
    .option('--unlock-keys <plan>', "show the swarm unlock keys a plan sealed, once (the plan's approver only)")
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (assessmentId: string, opts: RemediateOptions) => {
      const chosen = ACTIONS.filter((a) => opts[a] !== undefined && opts[a] !== false);
      if (chosen.length > 1) throw usage(`give one action at a time, not ${chosen.map((a) => `--${a === 'unlockKeys' ? 'unlock-keys' : a}`).join(' and ')}`);
      if (!opts.dryRun && opts.apply === undefined) throw usage('--no-dry-run goes with --apply PLAN_ID');
      const out = await ctx.withApp({ db: opts.db }, ({ services }) => run(services, assessmentId, opts));
      ctx.io.out(opts.json ? JSON.stringify(out.json, null, 2) : out.lines.join('\n'));
      if (out.exit !== undefined) throw out.exit;
    });
}
