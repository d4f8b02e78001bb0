/**
 * Remediation plans as use cases: propose from an assessment's failures, approve or reject (separation of
 * duties: the approver is another person than the proposer, src/domain/separation-of-duties.ts), apply (a dry
 * run unless asked otherwise; plan-applier.ts), read the sealed swarm unlock keys once (the approver only), and
 * read plans, items and calls. Who may call what is the service gateway's policy table; the rules that depend
 * on data (the approver, the status) live here.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import {
  REMEDIATION_PLAN_STATUSES,
  type ApplyReport,
  type EngineCallRecord,
  type RemediationItem,
  type RemediationLifecycle,
  type RemediationPlan,
  type RemediationPlanFilter as PlanFilter,
  type RemediationPlanStatus,
  type RemediationProposal,
  type RevealedUnlockKey,
} from '../domain/remediation.js';
import { sameUser } from '../domain/separation-of-duties.js';
import type { StoredTargetResult } from '../domain/target-results.js';
import type { LibraryService, RemediationService } from '../domain/services.js';
import type { SeparationOfDuties } from '../auth/separation-of-duties.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import type { RemediationRepository } from '../repositories/remediation-repository.js';
import type { TargetResultRepository } from '../repositories/target-result-repository.js';
import type { MilestonePolicy } from '../domain/milestones.js';
import { buildPlanItems } from './plan-builder.js';
import { firstObservations } from '../domain/poam.js';
import { PlanApplier, type PlanApplierDeps } from './plan-applier.js';
import { noteOf, reasonOf, rulesOf, settingsOf } from './proposal.js';

export interface RemediationServiceDeps extends Omit<PlanApplierDeps, 'repo' | 'now'> {
  repo: RemediationRepository;
  assessmentRepo: Pick<AssessmentRepository, 'find' | 'listFacts'>;
  targetResults: Pick<TargetResultRepository, 'page' | 'earlierFindings'>;
  /** Due dates of the items: the POA&M's milestone policy (config `poamDueDays`). */
  milestonePolicy: MilestonePolicy;
  library: Pick<LibraryService, 'getRule'>;
  separation: SeparationOfDuties;
  now?: () => Date;
  newId?: () => string;
}

function notFound(id: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, `No remediation plan with id ${id}`);
}

/** Every failing per-target result of an assessment, walked page by page in storage order. */
async function failuresOf(repo: Pick<TargetResultRepository, 'page'>, assessmentId: string): Promise<StoredTargetResult[]> {
  const out: StoredTargetResult[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await repo.page(assessmentId, { status: 'fail' }, { first: 100, ...(after !== undefined ? { after } : {}) });
    out.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === undefined) return out;
    after = page.pageInfo.endCursor;
  }
}

export class DefaultRemediationService implements RemediationService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly applier: PlanApplier;

  constructor(private readonly deps: RemediationServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.applier = new PlanApplier({ ...deps, now: this.now });
  }

  async propose(input: RemediationProposal, actor: Principal): Promise<RemediationPlan> {
    const settings = settingsOf(input);
    const rules = rulesOf(input);
    const note = noteOf(input);
    const assessment = await this.deps.assessmentRepo.find(input.assessmentId);
    if (assessment === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No assessment with id ${input.assessmentId}`);
    if (assessment.status !== 'completed') throw new PlimsollError(ErrorCode.CONFLICT, `Assessment ${assessment.id} is ${assessment.status}: only a completed assessment's failures can be remediated`);
    let failures = await failuresOf(this.deps.targetResults, assessment.id);
    if (rules.length > 0) {
      const missing = rules.filter((r) => !failures.some((f) => f.stigId === r));
      if (missing.length > 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Assessment ${assessment.id} has no failing target for ${missing.join(', ')}`);
      failures = failures.filter((f) => rules.includes(f.stigId));
    }
    if (failures.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Assessment ${assessment.id} has no failing target: there is nothing to remediate`);
    const fixTexts = new Map<string, string>();
    for (const stigId of new Set(failures.map((f) => f.stigId))) {
      fixTexts.set(stigId, (await this.deps.library.getRule(assessment.benchmarkDocumentId, stigId))?.fixText ?? '');
    }
    const facts = new Map((await this.deps.assessmentRepo.listFacts(assessment.id)).map((s) => [s.nodeId, s.facts]));
    const nodeNames = new Map(assessment.nodes.map((n) => [n.nodeId, n.name]));
    const firstObserved = firstObservations(await this.deps.targetResults.earlierFindings(assessment.id));
    const { items, exempted } = buildPlanItems({ failures, facts, nodeNames, fixTexts, settings, firstObserved, policy: this.deps.milestonePolicy });
    if (items.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Every failure of assessment ${assessment.id} is covered by an approved exemption: there is nothing to remediate`);
    const plan: RemediationPlan = {
      id: this.newId(),
      assessmentId: assessment.id,
      proposedBy: actor.name,
      proposedByUserId: actor.userId,
      proposedAt: this.now().toISOString(),
      ...(note !== undefined ? { note } : {}),
      settings,
      rules,
      counts: { engine: items.filter((i) => i.action.mode === 'engine').length, manual: items.filter((i) => i.action.mode === 'manual').length, exempted },
      lifecycle: { status: 'proposed' },
      pendingUnlockKeys: 0,
    };
    await this.deps.repo.insert(plan, items);
    return plan;
  }

  async approve(planId: string, actor: Principal): Promise<RemediationPlan> {
    const plan = await this.find(planId);
    await this.deps.separation.assertIndependent({ userId: plan.proposedByUserId, name: plan.proposedBy }, actor, `remediation plan ${plan.id}`);
    this.requireStatus(plan, 'proposed', 'approve');
    return this.move(plan, { status: 'approved', approval: { by: actor.name, byUserId: actor.userId, at: this.now().toISOString() } });
  }

  async reject(planId: string, reason: string, actor: Principal): Promise<RemediationPlan> {
    const why = reasonOf(reason);
    const plan = await this.find(planId);
    this.requireStatus(plan, 'proposed', 'reject');
    return this.move(plan, { status: 'rejected', rejection: { by: actor.name, byUserId: actor.userId, at: this.now().toISOString() }, reason: why });
  }

  async apply(planId: string, options: { dryRun?: boolean }, actor: Principal): Promise<ApplyReport> {
    return this.applier.apply(await this.find(planId), options.dryRun ?? true, actor);
  }

  async revealUnlockKeys(planId: string, actor: Principal): Promise<RevealedUnlockKey[]> {
    const plan = await this.find(planId);
    const l = plan.lifecycle;
    if (l.status !== 'applied' && l.status !== 'partially-applied') throw new PlimsollError(ErrorCode.CONFLICT, `Remediation plan ${plan.id} is ${l.status}: unlock keys exist only after it was applied`);
    if (!sameUser({ userId: l.approval.byUserId, name: l.approval.by }, actor)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `Only ${l.approval.by}, who approved remediation plan ${plan.id}, may read its swarm unlock keys`);
    }
    return this.applier.revealUnlockKeys(plan, actor);
  }

  get(planId: string): Promise<RemediationPlan | undefined> {
    return this.deps.repo.get(planId);
  }

  async list(filter: PlanFilter = {}): Promise<RemediationPlan[]> {
    checkStatus(filter.status);
    return this.deps.repo.list(filter);
  }

  async page(filter: PlanFilter, page: PageRequest): Promise<Connection<RemediationPlan>> {
    checkStatus(filter.status);
    return this.deps.repo.page(filter, page);
  }

  async items(planId: string, filter: { mode?: 'engine' | 'manual' }, page: PageRequest = {}): Promise<Connection<RemediationItem>> {
    await this.find(planId);
    return this.deps.repo.items(planId, filter, page);
  }

  async listItems(planId: string): Promise<RemediationItem[]> {
    await this.find(planId);
    return this.deps.repo.listItems(planId);
  }

  async calls(planId: string, page: PageRequest = {}): Promise<Connection<EngineCallRecord>> {
    await this.find(planId);
    return this.deps.repo.calls(planId, page);
  }

  async listCalls(planId: string): Promise<EngineCallRecord[]> {
    await this.find(planId);
    return this.deps.repo.listCalls(planId);
  }

  markInterrupted(): Promise<number> {
    return this.applier.markInterrupted();
  }

  private async find(planId: string): Promise<RemediationPlan> {
    const plan = await this.deps.repo.get(planId);
    if (plan === undefined) throw notFound(planId);
    return plan;
  }

  private requireStatus(plan: RemediationPlan, status: RemediationPlanStatus, action: string): void {
    if (plan.lifecycle.status !== status) throw new PlimsollError(ErrorCode.CONFLICT, `Remediation plan ${plan.id} is ${plan.lifecycle.status}; can't ${action} it`);
  }

  /** Stores the transition unless someone moved the plan first (then CONFLICT, with its new status). */
  private async move(plan: RemediationPlan, next: RemediationLifecycle): Promise<RemediationPlan> {
    if (!(await this.deps.repo.transition(plan.id, plan.lifecycle.status, next))) {
      const current = await this.deps.repo.get(plan.id);
      throw new PlimsollError(ErrorCode.CONFLICT, `Remediation plan ${plan.id} changed meanwhile (now ${current?.lifecycle.status ?? 'gone'}); reload and retry`);
    }
    return { ...plan, lifecycle: next };
  }
}

function checkStatus(status: string | undefined): void {
  if (status !== undefined && !(REMEDIATION_PLAN_STATUSES as readonly string[]).includes(status)) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown remediation plan status "${status}"; one of ${REMEDIATION_PLAN_STATUSES.join(', ')}`);
  }
}

