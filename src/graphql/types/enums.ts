/**
 * The GraphQL enums. Each TypeScript enum's keys are the ALL_CAPS GraphQL values and its values the domain's
 * strings, so resolvers pass domain values through unchanged and arguments arrive as domain values.
 */
import { registerEnumType } from 'type-graphql';

export enum RoleEnum {
  ADMIN = 'admin',
  ASSESSOR = 'assessor',
  AUDITOR = 'auditor',
}
registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'What a user may do. Roles are ordered: an admin may do everything an assessor may, an assessor everything an auditor may.',
  valuesConfig: {
    ADMIN: { description: 'Manages users, tokens and the audit log, approves and rejects exemptions, and does everything an assessor does.' },
    ASSESSOR: { description: 'Imports content, registers nodes, runs assessments and requests exemptions.' },
    AUDITOR: { description: 'Reads everything but the audit log, the list of users and other users\' tokens; changes nothing.' },
  },
});

export enum UserKindEnum {
  PERSON = 'person',
  SYSTEM = 'system',
}
registerEnumType(UserKindEnum, {
  name: 'UserKind',
  description: 'Whether a user is a person or Plimsoll itself.',
  valuesConfig: {
    PERSON: { description: 'A person: signs in with tokens, OIDC or the CLI.' },
    SYSTEM: { description: "Plimsoll's own user, under which start-up work is recorded; never signs in, never approves." },
  },
});

export enum UserOriginEnum {
  ADMIN = 'admin',
  BOOTSTRAP = 'bootstrap',
  MIGRATION = 'migration',
  OIDC = 'oidc',
  CLI = 'cli',
  SYSTEM = 'system',
}
registerEnumType(UserOriginEnum, {
  name: 'UserOrigin',
  description: 'How a user came to exist (which explains a missing creator).',
  valuesConfig: {
    ADMIN: { description: 'Created by an admin (`createdByUserId` names them).' },
    BOOTSTRAP: { description: 'The bootstrap admin, owner of the configured or generated admin token.' },
    MIGRATION: { description: 'Made from the API tokens of that name that existed before users did.' },
    OIDC: { description: 'Created on the first sign-in of an OIDC identity.' },
    CLI: { description: 'The local operator the CLI acts as by default, created on first use.' },
    SYSTEM: { description: "Plimsoll's own user." },
  },
});

export enum AuthMethodEnum {
  TOKEN = 'token',
  OIDC = 'oidc',
  CLI = 'cli',
  SYSTEM = 'system',
  SCHEDULE = 'schedule',
}
registerEnumType(AuthMethodEnum, {
  name: 'AuthMethod',
  description: 'How the actor of an audit record authenticated.',
  valuesConfig: {
    TOKEN: { description: 'An API token.' },
    OIDC: { description: 'An OIDC bearer token from the configured identity provider.' },
    CLI: { description: 'The command line, as a named local user.' },
    SYSTEM: { description: 'Plimsoll itself, at start-up.' },
    SCHEDULE: { description: "A schedule's run, acting as the schedule's owner (with the owner's current role)." },
  },
});

export enum AuditChainProblemKindEnum {
  CHANGED = 'changed',
  MISSING = 'missing',
  RELINKED = 'relinked',
  HEAD_MISMATCH = 'head-mismatch',
}
registerEnumType(AuditChainProblemKindEnum, {
  name: 'AuditChainProblemKind',
  description: 'How the audit hash chain is broken at a record.',
  valuesConfig: {
    CHANGED: { description: "The record's content no longer matches its hash." },
    MISSING: { description: 'Records before this one were deleted (their sequence numbers are named).' },
    RELINKED: { description: 'The record does not link to the one before it: that one was changed and rehashed, or earlier ones removed.' },
    HEAD_MISMATCH: { description: 'The head noted earlier is gone or has another hash: newer records were deleted or changed.' },
  },
});

export enum AssessmentStatusEnum {
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  INTERRUPTED = 'interrupted',
}
registerEnumType(AssessmentStatusEnum, {
  name: 'AssessmentStatus',
  description: 'Where an assessment run is in its lifecycle.',
  valuesConfig: {
    RUNNING: { description: 'Collecting facts or evaluating rules now.' },
    COMPLETED: { description: 'Finished: results, summary and the OSCAL document are stored.' },
    FAILED: { description: 'Stopped by an error (see `error`); no results are stored.' },
    INTERRUPTED: { description: 'The process running it died; run it again.' },
  },
});

export enum RuleResultStatusEnum {
  PASS = 'pass',
  FAIL = 'fail',
  NOT_APPLICABLE = 'not-applicable',
  NOT_CHECKED = 'not-checked',
  ERROR = 'error',
}
registerEnumType(RuleResultStatusEnum, {
  name: 'RuleResultStatus',
  description: "A rule's verdict on one node.",
  valuesConfig: {
    PASS: { description: 'Every observation met the rule.' },
    FAIL: { description: 'At least one observation did not meet the rule (exempted failures stay FAIL).' },
    NOT_APPLICABLE: { description: 'The rule does not apply to this node (e.g. a swarm rule on a node outside a swarm).' },
    NOT_CHECKED: { description: 'No automated check exists: review the rule manually.' },
    ERROR: { description: 'The data the check needs was missing or unreadable; never read as a pass.' },
  },
});

export enum SeverityEnum {
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
  UNKNOWN = 'unknown',
}
registerEnumType(SeverityEnum, {
  name: 'Severity',
  description: "A benchmark rule's severity (DISA CAT I, II, III).",
  valuesConfig: {
    HIGH: { description: 'CAT I.' },
    MEDIUM: { description: 'CAT II.' },
    LOW: { description: 'CAT III.' },
    UNKNOWN: { description: 'The benchmark gives none.' },
  },
});

export enum DocumentKindEnum {
  CATALOG = 'catalog',
  PROFILE = 'profile',
  BENCHMARK = 'benchmark',
  CCI_LIST = 'cci-list',
}
registerEnumType(DocumentKindEnum, {
  name: 'DocumentKind',
  description: 'What an imported content document is.',
  valuesConfig: {
    CATALOG: { description: 'An OSCAL catalog (e.g. NIST SP 800-53 rev5).' },
    PROFILE: { description: 'An OSCAL profile, stored with the baseline its resolution produced.' },
    BENCHMARK: { description: 'An XCCDF benchmark: a DISA STIG release or an SCAP data-stream benchmark.' },
    CCI_LIST: { description: "DISA's CCI list, which maps STIG rules to SP 800-53 statements." },
  },
});

export enum ExemptionStatusEnum {
  REQUESTED = 'requested',
  APPROVED = 'approved',
  REJECTED = 'rejected',
  REVOKED = 'revoked',
  EXPIRED = 'expired',
}
registerEnumType(ExemptionStatusEnum, {
  name: 'ExemptionStatus',
  description: "An exemption's status now (EXPIRED follows from expiresAt and the clock).",
  valuesConfig: {
    REQUESTED: { description: 'Waiting for an admin other than the requester to approve or reject it.' },
    APPROVED: { description: 'In force: matching failures are recorded as approved deviations.' },
    REJECTED: { description: 'Refused by an admin; never applied.' },
    REVOKED: { description: 'Withdrawn after approval; no longer applied.' },
    EXPIRED: { description: 'Past its expiry date; no longer applied. Request a new one to renew.' },
  },
});

export enum ExemptionKindEnum {
  RISK_ACCEPTED = 'risk-accepted',
  FALSE_POSITIVE = 'false-positive',
  OPERATIONAL_REQUIREMENT = 'operational-requirement',
}
registerEnumType(ExemptionKindEnum, {
  name: 'ExemptionKind',
  description: 'What an approved exemption means; in every kind the finding stays FAIL, counted apart from open findings (OSCAL: deviation-approved).',
  valuesConfig: {
    RISK_ACCEPTED: { description: 'The failure is real and an approver accepts the risk (risk acceptance).' },
    FALSE_POSITIVE: { description: "The check's verdict is wrong for these targets." },
    OPERATIONAL_REQUIREMENT: { description: 'The deviation is required to operate.' },
  },
});

export enum TargetKindEnum {
  CONTAINER = 'container',
  IMAGE = 'image',
  SERVICE = 'service',
  SECRET = 'secret',
  FILE = 'file',
  DAEMON = 'daemon',
  SWARM = 'swarm',
  NODE = 'node',
  SWARM_NODE = 'swarm-node',
  NETWORK = 'network',
}
registerEnumType(TargetKindEnum, {
  name: 'TargetKind',
  description:
    'What an observation looked at, or what a per-target result is about. Observations use CONTAINER to NODE; a per-target result names swarm members SWARM_NODE and overlay networks NETWORK (which their observations name NODE and SWARM).',
  valuesConfig: {
    CONTAINER: { description: 'A container (running or stopped).' },
    IMAGE: { description: 'An image.' },
    SERVICE: { description: 'A swarm service.' },
    SECRET: { description: 'A swarm secret (its metadata, never its value).' },
    FILE: { description: 'A file on the Docker host.' },
    DAEMON: { description: "The node's Docker daemon and its configuration." },
    SWARM: { description: 'The swarm the node belongs to (in observations also a swarm-scoped overlay network).' },
    NODE: {
      description: 'The Docker node as a whole (its engine and host): the target of a result without per-target observations. In observations of swarm rules also a member of the swarm.',
    },
    SWARM_NODE: { description: 'A member of the swarm, seen from this node (per-target results).' },
    NETWORK: { description: 'A swarm overlay network (per-target results).' },
  },
});

export enum ObservationVerdictEnum {
  PASS = 'pass',
  FAIL = 'fail',
  EXCLUDED = 'excluded',
}
registerEnumType(ObservationVerdictEnum, {
  name: 'ObservationVerdict',
  description: 'Whether one observed value met the rule, or why the target was left out of it.',
  valuesConfig: {
    PASS: { description: 'The value met the rule.' },
    FAIL: { description: 'The value did not meet the rule.' },
    EXCLUDED: { description: "The target is a platform container (UCP, DTR, Kubernetes) that the rule's check text leaves out; the observation names the pattern that matched." },
  },
});

export enum AuditOutcomeEnum {
  SUCCESS = 'success',
  FAILURE = 'failure',
}
registerEnumType(AuditOutcomeEnum, {
  name: 'AuditOutcome',
  description: 'How an audited attempt ended.',
  valuesConfig: { SUCCESS: { description: 'It was carried out.' }, FAILURE: { description: 'It was refused or failed; `detail` says why, with the error code.' } },
});

export enum RuleChangeEnum {
  CHECK_CONTENT = 'check-content',
  TITLE = 'title',
  SEVERITY = 'severity',
  FIX_TEXT = 'fix-text',
  CCIS = 'ccis',
}
registerEnumType(RuleChangeEnum, {
  name: 'RuleChange',
  description: 'What changed in a rule between two benchmark releases.',
  valuesConfig: {
    CHECK_CONTENT: { description: 'The check text: reviews and attestations of the old text do not carry over.' },
    TITLE: { description: 'The title.' },
    SEVERITY: { description: 'The severity.' },
    FIX_TEXT: { description: 'The fix text.' },
    CCIS: { description: 'The CCIs, and so the SP 800-53 statements the rule evidences.' },
  },
});

export enum ParamCardinalityEnum {
  ONE = 'one',
  ONE_OR_MORE = 'one-or-more',
}
registerEnumType(ParamCardinalityEnum, {
  name: 'ParamCardinality',
  description: 'How many of an OSCAL parameter\'s choices may be selected.',
  valuesConfig: { ONE: { description: 'Exactly one choice.' }, ONE_OR_MORE: { description: 'One or more choices.' } },
});
