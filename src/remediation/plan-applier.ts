/**
 * Applying an approved remediation plan (a dry run unless asked otherwise):
 *
 * 1. every engine item is checked against its engine now (preflight.ts; each read recorded with its classified
 *    answer, engine-reads.ts); a changed target makes the plan `stale` and nothing is applied; an engine that
 *    can't be read refuses the application (the plan stays approved, to be applied later);
 * 2. the plan moves to `applying` (a conditional update: one application at a time), then each change is one
 *    Engine API call, recorded before it is made and answered after with its classified answer (outcome, HTTP
 *    status, error code, Plimsoll's note; never what the engine said); turning swarm auto-lock on is followed by
 *    reading the unlock key, which is sealed (PLIMSOLL_SECRET_KEY) for the approver to read once;
 * 3. the nodes where a change was made are assessed again (same benchmark and profile), and each item of those
 *    nodes records whether its failure is gone;
 * 4. the plan ends `applied` (every change made), `partially-applied` or `failed` (none made).
 *
 * A dry run does step 1 and lists the calls it would make, changing nothing. A process that dies while applying
 * leaves the plan `applying` with its unanswered calls; `markInterrupted` closes it at the next start.
 */
import { assessedBenchmarks } from '../domain/assessment.js';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, isPlimsollError, PlimsollError } from '../domain/errors.js';
import type { DockerNode } from '../domain/node.js';
import { finalStatus, type Actor, type Application, type ApplyReport, type EngineAnswer, type EngineCallRecord, type RemediationItem, type RemediationPlan, type RevealedUnlockKey } from '../domain/remediation.js';
import type { AssessmentService, NodeService } from '../domain/services.js';
import { interruptionReason, localRunnerHost, runnerIdOf, type RunnerHost } from '../assessment/runner.js';
import type { AssessmentRepository } from '../repositories/assessment-repository.js';
import type { EngineUpdateClient, EngineUpdateClientFactory } from '../repositories/docker-client.js';
import { engineAnswerOf } from '../repositories/docker/docker-errors.js';
import type { NewEngineCall, RemediationRepository } from '../repositories/remediation-repository.js';
import { inspectingOnce, recordingReads, type ReadRecorder } from './engine-reads.js';
import { AUTOLOCK_REQUEST, preflight, type Preflight } from './preflight.js';
import { verifyItems } from './verification.js';

/** What seals swarm unlock keys at rest: the SecretBox of PLIMSOLL_SECRET_KEY (AES-256-GCM, purpose-bound). */
export interface UnlockKeySealer {
  seal(plain: Buffer, purpose: typeof UNLOCK_KEY_PURPOSE): string;
  open(sealed: string, purpose: typeof UNLOCK_KEY_PURPOSE): Buffer;
}

const UNLOCK_KEY_PATH = '/swarm/unlockkey';

/** The purpose an unlock key is sealed for (bound as associated data: it opens as nothing else). */
export const UNLOCK_KEY_PURPOSE = 'swarm-unlock-key';

export interface PlanApplierDeps {
  repo: RemediationRepository;
  nodes: Pick<NodeService, 'find'>;
  clients: EngineUpdateClientFactory;
  /** Re-assessment after the calls, and its per-target results. */
  assessments: Pick<AssessmentService, 'run' | 'targetResults' | 'assessedNode'>;
  assessmentRepo: Pick<AssessmentRepository, 'find'>;
  /** Absent without PLIMSOLL_SECRET_KEY: plans that turn auto-lock on are then refused before any call. */
  sealer?: UnlockKeySealer;
  runner?: RunnerHost;
  now: () => Date;
}

interface Checked {
  item: RemediationItem;
  node?: DockerNode;
  client?: EngineUpdateClient;
  result: Preflight;
}

function conflict(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.CONFLICT, message);
}

/** The calls an item makes, as they are recorded (the swarm spec is summarised by the one field it changes). */
function callsOf(c: Checked): Omit<NewEngineCall, 'planId' | 'startedAt'>[] {
  const { item, result } = c;
  if (!('ready' in result)) return [];
  if (result.ready === 'container') {
    const change = item.action.mode === 'engine' && item.action.change.setting !== 'swarm-autolock' ? item.action.change.update : {};
    return [{ position: item.position, nodeId: item.nodeId, method: 'POST', path: `/containers/${result.containerId}/update`, request: { ...change } }];
  }
  return [
    { position: item.position, nodeId: item.nodeId, method: 'POST', path: `/swarm/update?version=${result.version}`, request: { ...AUTOLOCK_REQUEST } },
    { position: item.position, nodeId: item.nodeId, method: 'GET', path: UNLOCK_KEY_PATH, request: {} },
  ];
}

/**
 * The preflight of one item; an engine that can't be read refuses the application (the plan stays approved)
 * with the classified answer in Plimsoll's words: the error of a read may carry what the engine (or whatever
 * listens at its endpoint) answered, and this one reaches the caller and the audit log.
 */
async function preflightOrRefuse(item: RemediationItem, client: EngineUpdateClient): Promise<Preflight> {
  try {
    return await preflight(item, client);
  } catch (e) {
    if (!isPlimsollError(e)) throw e;
    const answer = engineAnswerOf(e);
    const what = item.action.mode === 'engine' && item.action.change.setting === 'swarm-autolock' ? 'its swarm' : `container ${item.target.name}`;
    throw new PlimsollError(e.code, `Can't check item ${item.position} (${what} on ${item.nodeName}) before applying: ${answer.note}; nothing was applied and the plan stays as it was`);
  }
}

export class PlanApplier {
  private readonly runner: RunnerHost;
  /** Plans being applied by this process (never closed as interrupted). */
  private readonly active = new Set<string>();

  constructor(private readonly deps: PlanApplierDeps) {
    this.runner = deps.runner ?? localRunnerHost();
  }

  async apply(plan: RemediationPlan, dryRun: boolean, actor: Principal): Promise<ApplyReport> {
    const status = plan.lifecycle.status;
    if (status !== 'approved' && !(dryRun && status === 'proposed')) {
      throw conflict(
        status === 'proposed'
          ? `Remediation plan ${plan.id} is proposed, not approved: another person must approve it before it is applied`
          : `Remediation plan ${plan.id} is ${status}; only an approved plan is applied${status === 'stale' ? ' (propose a new plan from a new assessment)' : ''}`,
      );
    }
    const engineItems = (await this.deps.repo.listItems(plan.id)).filter((i) => i.action.mode === 'engine');
    if (engineItems.length === 0) throw conflict(`Remediation plan ${plan.id} has no change Plimsoll applies: its ${plan.counts.manual} items are manual steps`);
    const blockers = engineItems.some((i) => i.action.mode === 'engine' && i.action.change.setting === 'swarm-autolock') && this.deps.sealer === undefined
      ? ['turning swarm auto-lock on makes an unlock key, which Plimsoll keeps only sealed: set PLIMSOLL_SECRET_KEY (32 random bytes, base64)']
      : [];
    // Refused before any call: nothing to record, nothing read.
    if (!dryRun && blockers.length > 0) throw new PlimsollError(ErrorCode.CONFIG_INVALID, `Remediation plan ${plan.id} can't be applied: ${blockers.join('; ')}`);
    // A real application records the reads that check the targets too (a dry run records nothing).
    const reads: EngineCallRecord[] = [];
    const checked = await this.checkAll(engineItems, dryRun ? undefined : { planId: plan.id, made: reads });
    const staleReasons = checked.flatMap((c) => ('stale' in c.result ? [c.result.stale] : []));
    if (dryRun) {
      const at = this.deps.now().toISOString();
      const calls = checked.flatMap(callsOf).map((c, i): EngineCallRecord => ({ ...c, sequence: i + 1, planId: plan.id, startedAt: at, outcome: 'pending' }));
      return { plan, dryRun, calls, staleReasons, blockers, resolved: 0 };
    }
    const approval = plan.lifecycle.status === 'approved' ? plan.lifecycle.approval : undefined;
    if (approval === undefined) throw conflict(`Remediation plan ${plan.id} is not approved`);
    const by: Actor = { by: actor.name, byUserId: actor.userId, at: this.deps.now().toISOString() };
    if (staleReasons.length > 0) {
      await this.transition(plan, { status: 'stale', approval, detected: by, reasons: staleReasons });
      throw conflict(`Remediation plan ${plan.id} is stale, nothing was applied: ${staleReasons.join('; ')}. Assess again and propose a new plan`);
    }
    const application: Application = { by: actor.name, byUserId: actor.userId, startedAt: by.at, runner: runnerIdOf(this.runner) };
    await this.transition(plan, { status: 'applying', approval, application });
    this.active.add(plan.id);
    try {
      const calls = await this.makeCalls(plan, checked);
      return await this.finish(plan, approval, application, [...reads, ...calls], actor);
    } catch (e) {
      // An unexpected fault: close the plan with what was recorded, then report the fault.
      await this.close(plan.id, approval, application, `stopped by an internal fault (${isPlimsollError(e) ? e.code : 'INTERNAL'}); the calls made are recorded; no re-assessment ran`).catch(() => undefined);
      throw e;
    } finally {
      this.active.delete(plan.id);
    }
  }

  /** The sealed unlock keys of a plan, opened and cleared (each is shown once). */
  async revealUnlockKeys(plan: RemediationPlan, actor: Principal): Promise<RevealedUnlockKey[]> {
    if (plan.pendingUnlockKeys === 0) throw conflict(`Remediation plan ${plan.id} holds no unlock key to show (none was made, or it was shown already)`);
    const sealer = this.deps.sealer;
    if (sealer === undefined) throw new PlimsollError(ErrorCode.CONFIG_INVALID, 'the unlock keys are sealed with PLIMSOLL_SECRET_KEY, which is not set');
    // Each key must open before any is cleared: one sealed with another PLIMSOLL_SECRET_KEY fails here (CONFIG_INVALID)
    // and stays stored for the right key, rather than being lost.
    for (const p of await this.deps.repo.unreadSecrets(plan.id, UNLOCK_KEY_PURPOSE)) sealer.open(p.sealed, UNLOCK_KEY_PURPOSE).fill(0);
    const items = new Map((await this.deps.repo.listItems(plan.id)).map((i) => [i.position, i]));
    const taken = await this.deps.repo.takeSecrets(plan.id, UNLOCK_KEY_PURPOSE, actor.name, this.deps.now().toISOString());
    return taken.map((t) => {
      const item = items.get(t.position);
      const change = item?.action.mode === 'engine' ? item.action.change : undefined;
      return { position: t.position, nodeName: item?.nodeName ?? '', swarmId: change?.setting === 'swarm-autolock' ? change.swarmId : '', unlockKey: sealer.open(t.sealed, UNLOCK_KEY_PURPOSE).toString('utf8') };
    });
  }

  /** Closes plans left `applying` by processes that died; returns how many. */
  async markInterrupted(): Promise<number> {
    let closed = 0;
    for (const plan of await this.deps.repo.listApplying()) {
      if (plan.lifecycle.status !== 'applying') continue;
      const reason = interruptionReason(plan.lifecycle.application.runner, this.runner, this.active.has(plan.id));
      if (reason === undefined) continue;
      const at = this.deps.now().toISOString();
      await this.deps.repo.interruptCalls(plan.id, 'the process applying the plan died before the engine answered: the change may or may not have been made', at);
      if (await this.close(plan.id, plan.lifecycle.approval, plan.lifecycle.application, `${reason}; no re-assessment ran: assess the nodes again`)) closed += 1;
    }
    return closed;
  }

  /**
   * Preflight of every engine item, a node at a time; a removed node makes its items stale. With `recording`,
   * each read is recorded under the item that needed it first.
   */
  private async checkAll(items: readonly RemediationItem[], recording?: { planId: string; made: EngineCallRecord[] }): Promise<Checked[]> {
    const out: Checked[] = [];
    const nodes = new Map<string, { node?: DockerNode; client?: EngineUpdateClient; preflightClient?: EngineUpdateClient }>();
    let current: RemediationItem | undefined;
    const record: ReadRecorder = (path, note, read) =>
      this.recordRead(recording!.planId, { position: current!.position, nodeId: current!.nodeId, method: 'GET', path, request: {} }, recording!.made, note, read);
    for (const item of items) {
      current = item;
      let entry = nodes.get(item.nodeId);
      if (entry === undefined) {
        const node = await this.deps.nodes.find(item.nodeId);
        entry = node === undefined ? {} : { node, client: this.deps.clients(node) };
        if (entry.client !== undefined) entry.preflightClient = inspectingOnce(recording === undefined ? entry.client : recordingReads(entry.client, record));
        nodes.set(item.nodeId, entry);
      }
      if (entry.node === undefined || entry.client === undefined) {
        out.push({ item, result: { stale: `node ${item.nodeName} was removed since the assessment` } });
        continue;
      }
      out.push({ item, node: entry.node, client: entry.client, result: await preflightOrRefuse(item, entry.preflightClient ?? entry.client) });
    }
    return out;
  }

  private async makeCalls(plan: RemediationPlan, checked: readonly Checked[]): Promise<EngineCallRecord[]> {
    const made: EngineCallRecord[] = [];
    for (const c of checked) {
      const { result, client, item } = c;
      if (!('ready' in result) || client === undefined) continue;
      const [change, follow] = callsOf(c);
      const answer = await this.record(plan.id, change!, made, async () => {
        if (result.ready === 'container') {
          const update = item.action.mode === 'engine' && item.action.change.setting !== 'swarm-autolock' ? item.action.change.update : {};
          const { warnings } = await client.updateContainer(result.containerId, update);
          return warnings > 0 ? `updated; the engine gave ${warnings} warning(s) (not recorded)` : 'updated';
        }
        await client.updateSwarm(result.version, result.spec);
        return 'auto-lock turned on';
      });
      if (follow !== undefined && answer.outcome === 'ok') {
        // The key is sealed at once and stored outside the call's record: a storage fault is Plimsoll's, not
        // an answer of the engine's, and the plain key is never kept past this block.
        let sealed: string | undefined;
        await this.record(plan.id, follow, made, async () => {
          sealed = this.deps.sealer!.seal(Buffer.from(await client.swarmUnlockKey(), 'utf8'), UNLOCK_KEY_PURPOSE);
          return 'unlock key read and sealed for the approver, who reads it once';
        });
        if (sealed !== undefined) await this.deps.repo.storeSecret(plan.id, item.position, UNLOCK_KEY_PURPOSE, sealed, this.deps.now().toISOString());
      }
    }
    return made;
  }

  /** Records one call before it is made and its classified answer after. */
  private async record(planId: string, call: Omit<NewEngineCall, 'planId' | 'startedAt'>, made: EngineCallRecord[], send: () => Promise<string>): Promise<EngineAnswer> {
    const startedAt = this.deps.now().toISOString();
    const sequence = await this.deps.repo.startCall({ ...call, planId, startedAt });
    let answer: EngineAnswer;
    try {
      // Every call made here answers 200 on success (dockerode rejects any other status).
      answer = { outcome: 'ok', httpStatus: 200, note: await send() };
    } catch (e) {
      answer = engineAnswerOf(e);
    }
    const finishedAt = this.deps.now().toISOString();
    await this.deps.repo.answerCall(sequence, answer, finishedAt);
    made.push({ ...call, sequence, planId, startedAt, finishedAt, ...answer });
    return answer;
  }

  /**
   * Records one read once answered (a read changes nothing: no pending row is left if the process dies) and
   * resolves or rethrows the read's own result, which the preflight judges (a 404 is a stale plan).
   */
  private async recordRead<T>(planId: string, call: Omit<NewEngineCall, 'planId' | 'startedAt'>, made: EngineCallRecord[], note: string, read: () => Promise<T>): Promise<T> {
    const startedAt = this.deps.now().toISOString();
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await read() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const answer: EngineAnswer = outcome.ok ? { outcome: 'ok', httpStatus: 200, note } : engineAnswerOf(outcome.error);
    const finishedAt = this.deps.now().toISOString();
    const sequence = await this.deps.repo.startCall({ ...call, planId, startedAt });
    await this.deps.repo.answerCall(sequence, answer, finishedAt);
    made.push({ ...call, sequence, planId, startedAt, finishedAt, ...answer });
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private async finish(plan: RemediationPlan, approval: Actor, application: Application, calls: readonly EngineCallRecord[], actor: Principal): Promise<ApplyReport> {
    const touched = [...new Set(calls.filter((c) => c.method === 'POST' && c.outcome === 'ok').map((c) => c.nodeId))];
    const changes = calls.filter((c) => c.method === 'POST');
    const okCount = changes.filter((c) => c.outcome === 'ok').length;
    let message = `${okCount} of ${changes.length} changes made`;
    let reassessmentId: string | undefined;
    let resolved = 0;
    if (touched.length > 0) {
      const original = await this.deps.assessmentRepo.find(plan.assessmentId);
      try {
        if (original === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `the assessment ${plan.assessmentId} is gone`);
        // The re-assessment covers every benchmark the original run assessed, each with its profile.
        const more = assessedBenchmarks(original).slice(1).map((b) => ({ benchmark: b.documentId, ...(b.profileId !== undefined ? { profileId: b.profileId } : {}) }));
        const rerun = await this.deps.assessments.run(
          { nodes: touched, benchmark: original.benchmarkDocumentId, ...(original.profileId !== undefined ? { profileId: original.profileId } : {}), ...(more.length > 0 ? { additionalBenchmarks: more } : {}) },
          actor,
        );
        reassessmentId = rerun.id;
        const verifications = await verifyItems(await this.deps.repo.listItems(plan.id), rerun.id, touched, this.deps.assessments);
        await this.deps.repo.setVerifications(plan.id, verifications);
        resolved = verifications.filter((v) => v.verification.outcome === 'resolved').length;
        message += `; re-assessment ${rerun.id}: ${resolved} of ${verifications.filter((v) => v.verification.outcome !== 'not-reassessed').length} failures on the touched nodes are gone`;
      } catch (e) {
        // The code only: a failure of the run may carry what an engine answered, and this message is stored.
        message += `; the re-assessment failed (${isPlimsollError(e) ? e.code : 'INTERNAL'}${original === undefined ? `: the assessment ${plan.assessmentId} is gone` : ''}): assess the nodes again`;
      }
    }
    const unlockFailed = calls.some((c) => c.path === UNLOCK_KEY_PATH && c.outcome !== 'ok');
    if (unlockFailed) message += '; the unlock key could not be read: read it on a manager with `docker swarm unlock-key`';
    const status = finalStatus(calls);
    const end = { ...application, finishedAt: this.deps.now().toISOString(), message, ...(reassessmentId !== undefined ? { reassessmentId } : {}) };
    await this.transition({ ...plan, lifecycle: { status: 'applying', approval, application } }, { status, approval, application: end });
    const stored = await this.deps.repo.get(plan.id);
    return { plan: stored ?? { ...plan, lifecycle: { status, approval, application: end } }, dryRun: false, calls: [...calls], staleReasons: [], blockers: [], resolved };
  }

  /** Ends an `applying` plan from its recorded calls; false when it was no longer applying. */
  private async close(planId: string, approval: Actor, application: Application, message: string): Promise<boolean> {
    const calls = await this.deps.repo.listCalls(planId);
    const status = finalStatus(calls);
    return this.deps.repo.transition(planId, 'applying', { status, approval, application: { ...application, finishedAt: this.deps.now().toISOString(), message } });
  }

  private async transition(plan: RemediationPlan, next: Parameters<RemediationRepository['transition']>[2]): Promise<void> {
    if (!(await this.deps.repo.transition(plan.id, plan.lifecycle.status, next))) {
      const current = await this.deps.repo.get(plan.id);
      throw conflict(`Remediation plan ${plan.id} changed meanwhile (now ${current?.lifecycle.status ?? 'gone'}); reload and retry`);
    }
  }
}
