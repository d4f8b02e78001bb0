/** The GraphQL enums of drift and history: keys are the ALL_CAPS values, values the domain's strings. */
import { registerEnumType } from 'type-graphql';

export enum DriftChangeKindEnum {
  REGRESSION = 'regression',
  REMEDIATION = 'remediation',
  ERROR_APPEARED = 'error-appeared',
  ERROR_CLEARED = 'error-cleared',
  STATUS_CHANGED = 'status-changed',
  EXEMPTION_CHANGED = 'exemption-changed',
  TARGET_APPEARED = 'target-appeared',
  TARGET_DISAPPEARED = 'target-disappeared',
  EVIDENCE_CHANGED = 'evidence-changed',
  RULE_ADDED = 'rule-added',
  RULE_REMOVED = 'rule-removed',
  NODE_NOT_COMPARED = 'node-not-compared',
  EXPIRING = 'expiring',
  EXPIRED = 'expired',
  NEWER_RELEASE = 'newer-release',
}
registerEnumType(DriftChangeKindEnum, {
  name: 'DriftChangeKind',
  description: 'What changed between two runs.',
  valuesConfig: {
    REGRESSION: { description: 'A target now fails a rule it did not fail (passed, was not assessed, or could not be decided).' },
    REMEDIATION: { description: 'A target that failed a rule now passes it.' },
    ERROR_APPEARED: { description: 'A rule can no longer be decided on a target (missing or unreadable data): never read as a pass.' },
    ERROR_CLEARED: { description: 'A rule that could not be decided on a target now is (and does not fail).' },
    STATUS_CHANGED: { description: 'Another change of status (e.g. PASS to NOT_APPLICABLE, or a rule no longer looking at a target).' },
    EXEMPTION_CHANGED: { description: 'A failure is still a failure, recorded under another exemption or none (e.g. its exemption expired).' },
    TARGET_APPEARED: { description: 'A container, image, service… with a stable key the older run did not have.' },
    TARGET_DISAPPEARED: { description: 'A target of the older run whose stable key the newer run does not have.' },
    EVIDENCE_CHANGED: { description: "A field of a target's stored configuration changed (environment values and file contents are never shown)." },
    RULE_ADDED: { description: 'A rule assessed only in the newer run (another release or profile).' },
    RULE_REMOVED: { description: 'A rule assessed only in the older run.' },
    NODE_NOT_COMPARED: { description: 'A node in one run only, or not collected in one of them.' },
    EXPIRING: { description: 'An exemption (or review) expires within the warning window (PLIMSOLL_EXPIRY_WARNING_DAYS).' },
    EXPIRED: { description: 'An exemption (or review) expired between the two runs: its failures are open again.' },
    NEWER_RELEASE: { description: 'A newer release of the assessed benchmark is in the library, with the rules it changes.' },
  },
});

export enum DriftComparisonKindEnum {
  PREVIOUS = 'previous',
  REFERENCE = 'reference',
}
registerEnumType(DriftComparisonKindEnum, {
  name: 'DriftComparisonKind',
  description: 'What a stored drift report compares a run with.',
  valuesConfig: {
    PREVIOUS: { description: "The node's previous completed run of the same benchmark (any release) that collected it." },
    REFERENCE: { description: 'The reference run pinned for the node and benchmark (`pinReferenceRun`).' },
  },
});

export enum DriftReportStateEnum {
  COMPARED = 'compared',
  FIRST_RUN = 'first-run',
  NOT_COLLECTED = 'not-collected',
  FAILED = 'failed',
}
registerEnumType(DriftReportStateEnum, {
  name: 'DriftReportState',
  description: 'How a stored comparison of one node went.',
  valuesConfig: {
    COMPARED: { description: 'Compared; the changes are listed (none when nothing changed).' },
    FIRST_RUN: { description: 'The first run of the benchmark on the node: nothing to compare with; expiries and newer releases are still listed.' },
    NOT_COLLECTED: { description: 'The node (or the reference run) has no collected facts: nothing was compared.' },
    FAILED: { description: 'The comparison failed; `message` says why.' },
  },
});

export enum DriftStatusEnum {
  PASS = 'pass',
  FAIL = 'fail',
  NOT_APPLICABLE = 'not-applicable',
  NOT_CHECKED = 'not-checked',
  ERROR = 'error',
  EXCLUDED = 'excluded',
  ABSENT = 'absent',
}
registerEnumType(DriftStatusEnum, {
  name: 'DriftStatus',
  description: "A target's verdict on a rule in one run of a comparison, or ABSENT when that run has none.",
  valuesConfig: {
    PASS: { description: 'Passed.' },
    FAIL: { description: 'Failed.' },
    NOT_APPLICABLE: { description: 'Not applicable.' },
    NOT_CHECKED: { description: 'Manual review.' },
    ERROR: { description: 'Could not be decided.' },
    EXCLUDED: { description: "Left out by the rule's check text (a platform container)." },
    ABSENT: { description: 'That run has no result of this rule on this target.' },
  },
});

export enum ExpirySubjectEnum {
  EXEMPTION = 'exemption',
  REVIEW = 'review',
}
registerEnumType(ExpirySubjectEnum, {
  name: 'ExpirySubject',
  description: 'What expires.',
  valuesConfig: { EXEMPTION: { description: 'An approved exemption.' }, REVIEW: { description: 'An accepted manual review.' } },
});

export enum ComparedRunSourceEnum {
  ASSESSMENT_ID = 'assessment-id',
  RESULTS_DOCUMENT = 'results-document',
}
registerEnumType(ComparedRunSourceEnum, {
  name: 'ComparedRunSource',
  description: 'How a compared run was named.',
  valuesConfig: { ASSESSMENT_ID: { description: 'By its assessmentId.' }, RESULTS_DOCUMENT: { description: 'By its OSCAL assessment-results document, checked against the stored one.' } },
});

export enum HistoryBucketEnum {
  HOUR = 'hour',
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(HistoryBucketEnum, {
  name: 'HistoryBucket',
  description: 'The length of the buckets of a posture series.',
  valuesConfig: {
    HOUR: { description: 'One hour from the start of the range.' },
    DAY: { description: '24 hours from the start of the range.' },
    WEEK: { description: '7 days from the start of the range.' },
    MONTH: { description: 'A calendar month (UTC); the first bucket runs from the start of the range to the end of its month.' },
  },
});
