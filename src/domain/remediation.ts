/**
 * Remediation plans: correcting drift under approval (issue #10, item 5). From an assessment's open failures
 * Plimsoll proposes a plan with one item per failing target: either a change the Engine API makes in place
 * (container memory and memory-swap, CPU shares, PIDs limit and restart policy through the container update
 * endpoint; swarm auto-lock through the swarm update endpoint), which Plimsoll may apply, or a manual step
 * (anything that needs a container recreated, a daemon restarted or a host file changed), listed with its
 * commands and never applied.
 *
 * A plan is proposed by one user and approved or rejected by another (separation of duties); applying is a
 * separate action that records every Engine API call with its classified answer, then re-assesses the touched
 * nodes and records, per item, whether its failure is gone. The lifecycle is a tagged union:
 *
 *   proposed → approved | rejected;  approved → applying | stale;  applying → applied | partially-applied | failed
 *
 * `stale`: when applying, a target had changed since the plan (its container is gone or recreated, its stable
 * key or its current value differs, the swarm is another one or already auto-locked): nothing is applied.
 */
import type { Severity } from './results.js';
import type { AssessedTarget, TargetStatus } from './target-results.js';

export const REMEDIATION_PLAN_STATUSES = ['proposed', 'approved', 'rejected', 'stale', 'applying', 'applied', 'partially-applied', 'failed'] as const;
export type RemediationPlanStatus = (typeof REMEDIATION_PLAN_STATUSES)[number];

/** Who decided or acted, and when. */
export interface Actor {
  by: string;
  /** The user's id (what separation of duties compares). */
  byUserId: string;
  at: string;
}

/** How an application ended (or where it stands while it runs). */
export interface Application {
  by: string;
  byUserId: string;
  startedAt: string;
  /** `host:pid` of the process applying (a plan left `applying` by a dead process is closed at the next start). */
  runner: string;
}

export interface ApplicationEnd extends Application {
  finishedAt: string;
  /** The assessment of the touched nodes made after the calls; absent when none ran (see `message`). */
  reassessmentId?: string;
  /** One sentence: how many calls succeeded, how many failures are gone, or why it stopped. */
  message: string;
}

/** The stored lifecycle. */
export type RemediationLifecycle =
  | { status: 'proposed' }
  | { status: 'approved'; approval: Actor }
  | { status: 'rejected'; rejection: Actor; reason: string }
  | { status: 'stale'; approval: Actor; detected: Actor; reasons: string[] }
  | { status: 'applying'; approval: Actor; application: Application }
  | { status: 'applied' | 'partially-applied' | 'failed'; approval: Actor; application: ApplicationEnd };

/**
 * The values a plan sets, chosen by the proposer (sizes come from the SSP: no memory or PIDs limit is guessed;
 * without one those items are manual). CPU shares and the restart bound have defaults the STIG text accepts.
 */
export interface RemediationSettings {
  /** Memory limit in bytes; memory-swap is set to the same value (no swap on top). */
  memoryBytes?: number;
  pidsLimit?: number;
  cpuShares: number;
  /** The `on-failure` restart policy's maximum retry count, 1 to 5. */
  restartMaxRetries: number;
}

export const DEFAULT_CPU_SHARES = 512;
export const DEFAULT_RESTART_RETRIES = 5;

/** The settings the Engine API changes in place. */
export type EngineSetting = 'memory' | 'cpu-shares' | 'pids-limit' | 'restart-policy' | 'swarm-autolock';
export const ENGINE_SETTINGS: readonly EngineSetting[] = ['memory', 'cpu-shares', 'pids-limit', 'restart-policy', 'swarm-autolock'];

/** The body of `POST /containers/{id}/update`: only the resources a plan changes. */
export interface ContainerUpdate {
  Memory?: number;
  MemorySwap?: number;
  CpuShares?: number;
  PidsLimit?: number;
  RestartPolicy?: { Name: 'on-failure'; MaximumRetryCount: number };
}

/**
 * A change Plimsoll makes through the Engine API. `before` holds the values (by field path of the inspected
 * object) seen at the assessment: applying is refused as stale when the target shows other values now.
 */
export type EngineChange =
  | { setting: 'memory' | 'cpu-shares' | 'pids-limit' | 'restart-policy'; containerId: string; update: ContainerUpdate; before: Record<string, unknown> }
  | { setting: 'swarm-autolock'; swarmId: string; before: Record<string, unknown> };

/** What an item does: an Engine API change (with the docker CLI command doing the same), or manual steps. */
export type RemediationAction =
  | { mode: 'engine'; change: EngineChange; command: string }
  | { mode: 'manual'; reason: string; instructions: string; commands: string[] };

/** The failing evidence an item is about. */
export interface FailingEvidence {
  field: string;
  value: unknown;
  message: string;
}

/** What the re-assessment says about an item's failure. */
export type VerificationOutcome = 'resolved' | 'still-failing' | 'target-gone' | 'undecided' | 'not-reassessed';
export const VERIFICATION_OUTCOMES: readonly VerificationOutcome[] = ['resolved', 'still-failing', 'target-gone', 'undecided', 'not-reassessed'];

export interface ItemVerification {
  outcome: VerificationOutcome;
  /** The target's status in the re-assessment, when it was assessed there. */
  status?: TargetStatus;
  message: string;
}

/** One failing target of one rule, and what fixes it. */
export interface RemediationItem {
  /** 1-based position in the plan. */
  position: number;
  nodeId: string;
  nodeName: string;
  stigId: string;
  ruleId: string;
  severity: Severity;
  target: AssessedTarget;
  evidence: FailingEvidence[];
  action: RemediationAction;
  /** When the finding was first observed failing (carried over from earlier assessments, like a POA&M item). */
  firstObservedAt?: string;
  /** When the remediation is due: first observation plus the milestone policy's days for the severity. */
  dueAt?: string;
  verification?: ItemVerification;
}

/** A plan without its items (which are paged). */
export interface RemediationPlan {
  id: string;
  assessmentId: string;
  proposedBy: string;
  proposedByUserId: string;
  proposedAt: string;
  /** Why the proposer proposes it (free text). */
  note?: string;
  settings: RemediationSettings;
  /** The rules the proposer limited the plan to (all failing rules when empty). */
  rules: string[];
  /** Items by mode, and failures left out because an approved exemption covers them. */
  counts: { engine: number; manual: number; exempted: number };
  lifecycle: RemediationLifecycle;
  /** Sealed swarm unlock keys waiting for the approver to read them once. */
  pendingUnlockKeys: number;
}

/** How an Engine API call was answered, without anything the remote said. */
export type EngineCallOutcome = 'pending' | 'ok' | 'rejected' | 'not-found' | 'conflict' | 'refused' | 'engine-error' | 'unreachable' | 'tls-failed' | 'timeout' | 'interrupted';
export const ENGINE_CALL_OUTCOMES: readonly EngineCallOutcome[] = ['pending', 'ok', 'rejected', 'not-found', 'conflict', 'refused', 'engine-error', 'unreachable', 'tls-failed', 'timeout', 'interrupted'];

/** The classified answer of one call. */
export interface EngineAnswer {
  outcome: Exclude<EngineCallOutcome, 'pending'>;
  httpStatus?: number;
  /** The public error code of a failure. */
  errorCode?: string;
  /** Plimsoll's own words about the answer (never the engine's). */
  note: string;
}

/** One Engine API call made while applying a plan (a change recorded before it is made and answered after; a read once answered). */
export interface EngineCallRecord {
  sequence: number;
  planId: string;
  position: number;
  nodeId: string;
  method: 'GET' | 'POST';
  path: string;
  /** What was sent, secret-free (a swarm update records the changed field, not the whole spec). */
  request: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  outcome: EngineCallOutcome;
  httpStatus?: number;
  errorCode?: string;
  note?: string;
}

/** Which plans to list. */
export interface RemediationPlanFilter {
  assessmentId?: string;
  status?: RemediationPlanStatus;
}

/** What a proposer supplies. */
export interface RemediationProposal {
  /** The assessment whose failures to fix. */
  assessmentId: string;
  /** Only these rules (STIG ids); absent or empty: every failing rule. */
  rules?: string[];
  /** A memory limit with a docker unit (`256m`, `1g`) or in bytes. */
  memory?: string;
  pidsLimit?: number;
  cpuShares?: number;
  restartMaxRetries?: number;
  note?: string;
}

/** The outcome of an application or a dry run. */
export interface ApplyReport {
  plan: RemediationPlan;
  dryRun: boolean;
  /** The calls made (or, in a dry run, that would be made, with outcome `pending`). */
  calls: EngineCallRecord[];
  /** Why the plan is stale (a dry run reports them without changing the plan). */
  staleReasons: string[];
  /** What stands in the way of applying, found by a dry run (e.g. no secret key for an unlock key). */
  blockers: string[];
  /** Items whose failure the re-assessment shows gone. */
  resolved: number;
}

/** A swarm unlock key shown once to the plan's approver. */
export interface RevealedUnlockKey {
  position: number;
  nodeName: string;
  swarmId: string;
  unlockKey: string;
}

/**
 * The final status of an application from its calls: every change made, some, or none. The changing calls are
 * the POSTs (one per engine item); a GET that follows one (reading the unlock key) does not undo its change.
 */
export function finalStatus(calls: readonly Pick<EngineCallRecord, 'outcome' | 'method'>[]): 'applied' | 'partially-applied' | 'failed' {
  const changes = calls.filter((c) => c.method === 'POST');
  const ok = changes.filter((c) => c.outcome === 'ok').length;
  if (changes.length > 0 && ok === changes.length) return 'applied';
  return ok > 0 ? 'partially-applied' : 'failed';
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
/** Docker refuses memory limits below 6 MiB. */
export const MIN_MEMORY_BYTES = 6 * 1024 ** 2;

/** `256m`, `1g`, `512k`, `1048576` (docker's units, powers of 1024) in bytes; undefined when unreadable. */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d+)\s*([bkmg]?)$/i.exec(text.trim());
  if (m === null) return undefined;
  const bytes = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Bytes as docker's CLI takes them: the largest unit that divides them. */
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['g', 1024 ** 3], ['m', 1024 ** 2], ['k', 1024]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
