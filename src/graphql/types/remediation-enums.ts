/** The GraphQL enums of remediation plans (keys are the GraphQL values, values the domain's strings). */
import { registerEnumType } from 'type-graphql';

export enum RemediationPlanStatusEnum {
  PROPOSED = 'proposed',
  APPROVED = 'approved',
  REJECTED = 'rejected',
  STALE = 'stale',
  APPLYING = 'applying',
  APPLIED = 'applied',
  PARTIALLY_APPLIED = 'partially-applied',
  FAILED = 'failed',
}
registerEnumType(RemediationPlanStatusEnum, {
  name: 'RemediationPlanStatus',
  description: 'Where a remediation plan is in its lifecycle: PROPOSED → APPROVED or REJECTED; APPROVED → APPLYING (or STALE); APPLYING → APPLIED, PARTIALLY_APPLIED or FAILED.',
  valuesConfig: {
    PROPOSED: { description: 'Proposed; waits for another person to approve or reject it.' },
    APPROVED: { description: 'Approved by a person other than the proposer; an admin may apply it.' },
    REJECTED: { description: 'Rejected, with the reason; never applied.' },
    STALE: { description: 'A target changed since the assessment (a container recreated or removed, a value changed): nothing was applied. Assess again and propose a new plan.' },
    APPLYING: { description: 'Being applied now (or its process died; the next start closes it).' },
    APPLIED: { description: 'Every Engine API change was made.' },
    PARTIALLY_APPLIED: { description: 'Some changes were made, some failed; the calls say which.' },
    FAILED: { description: 'No change was made; the calls say why.' },
  },
});

export enum RemediationModeEnum {
  ENGINE = 'engine',
  MANUAL = 'manual',
}
registerEnumType(RemediationModeEnum, {
  name: 'RemediationMode',
  description: 'Whether Plimsoll applies an item or a person does.',
  valuesConfig: {
    ENGINE: { description: 'A change the Engine API makes in place (container resources and restart policy, swarm auto-lock); Plimsoll applies it.' },
    MANUAL: { description: 'A step Plimsoll never applies (a container recreated, a daemon restarted, a host file changed), listed with its commands.' },
  },
});

export enum EngineSettingEnum {
  MEMORY = 'memory',
  CPU_SHARES = 'cpu-shares',
  PIDS_LIMIT = 'pids-limit',
  RESTART_POLICY = 'restart-policy',
  SWARM_AUTOLOCK = 'swarm-autolock',
}
registerEnumType(EngineSettingEnum, {
  name: 'EngineSetting',
  description: 'A setting the Engine API changes in place.',
  valuesConfig: {
    MEMORY: { description: 'A container memory limit, memory-swap set to the same value (DKER-EE-002010).' },
    CPU_SHARES: { description: 'A container CPU shares weight (DKER-EE-002020).' },
    PIDS_LIMIT: { description: 'A container PIDs limit (DKER-EE-002780).' },
    RESTART_POLICY: { description: 'A container restart policy on-failure with at most 5 retries (DKER-EE-004030).' },
    SWARM_AUTOLOCK: { description: 'Swarm auto-lock for the managers (DKER-EE-002400); the unlock key is sealed for the approver.' },
  },
});

export enum VerificationOutcomeEnum {
  RESOLVED = 'resolved',
  STILL_FAILING = 'still-failing',
  TARGET_GONE = 'target-gone',
  UNDECIDED = 'undecided',
  NOT_REASSESSED = 'not-reassessed',
}
registerEnumType(VerificationOutcomeEnum, {
  name: 'VerificationOutcome',
  description: "What the re-assessment after applying says about an item's failure.",
  valuesConfig: {
    RESOLVED: { description: 'The rule passes on the target now (or no longer applies to it).' },
    STILL_FAILING: { description: 'The rule still fails on the target.' },
    TARGET_GONE: { description: 'The re-assessment has no target with that stable key.' },
    UNDECIDED: { description: 'The rule could not be decided (ERROR or NOT_CHECKED): nobody can tell.' },
    NOT_REASSESSED: { description: 'The node was not assessed again (no change was made on it, or it could not be collected).' },
  },
});

export enum EngineCallOutcomeEnum {
  PENDING = 'pending',
  OK = 'ok',
  REJECTED = 'rejected',
  NOT_FOUND = 'not-found',
  CONFLICT = 'conflict',
  REFUSED = 'refused',
  ENGINE_ERROR = 'engine-error',
  UNREACHABLE = 'unreachable',
  TLS_FAILED = 'tls-failed',
  TIMEOUT = 'timeout',
  INTERRUPTED = 'interrupted',
}
registerEnumType(EngineCallOutcomeEnum, {
  name: 'EngineCallOutcome',
  description: "How the engine answered a call, classified by Plimsoll (what the engine said is never kept).",
  valuesConfig: {
    PENDING: { description: 'Not answered yet (or, in a dry run, a call that would be made).' },
    OK: { description: 'Done (HTTP 200).' },
    REJECTED: { description: 'The engine refused the values (HTTP 400 and the like).' },
    NOT_FOUND: { description: 'The object is gone (HTTP 404).' },
    CONFLICT: { description: "The change conflicts with the object's state (HTTP 409)." },
    REFUSED: { description: 'Refused by the engine, an authorization plugin or a proxy (HTTP 401/403).' },
    ENGINE_ERROR: { description: 'The engine failed (HTTP 5xx).' },
    UNREACHABLE: { description: 'The engine could not be reached, or did not answer as a Docker Engine API.' },
    TLS_FAILED: { description: 'The TLS handshake failed; the call was not made.' },
    TIMEOUT: { description: 'No answer within the Docker timeout: the change may or may not have been made.' },
    INTERRUPTED: { description: 'The process applying the plan died before the answer: the change may or may not have been made.' },
  },
});
