/**
 * The GraphQL enums of schedules, events and webhooks. As in enums.ts, keys are the ALL_CAPS GraphQL values and
 * values the domain's strings.
 */
import { registerEnumType } from 'type-graphql';

export enum ScheduleStatusEnum {
  ACTIVE = 'active',
  REFUSED = 'refused',
}
registerEnumType(ScheduleStatusEnum, {
  name: 'ScheduleStatus',
  description: "Whether a schedule's runs go ahead.",
  valuesConfig: {
    ACTIVE: { description: 'Its runs go ahead as its owner.' },
    REFUSED: { description: 'Its last firing was refused: the owner no longer exists or may no longer run assessments (`refusal` says why). The next allowed firing makes it ACTIVE again.' },
  },
});

export enum ScheduleTargetKindEnum {
  NODE = 'node',
  SELECTOR = 'selector',
}
registerEnumType(ScheduleTargetKindEnum, {
  name: 'ScheduleTargetKind',
  description: 'What a schedule assesses.',
  valuesConfig: {
    NODE: { description: 'One Docker node.' },
    SELECTOR: { description: 'Every node carrying all the labels (and in the environment) at the time of each run.' },
  },
});

export enum JobStatusEnum {
  QUEUED = 'queued',
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  REFUSED = 'refused',
  TIMED_OUT = 'timed-out',
  INTERRUPTED = 'interrupted',
}
registerEnumType(JobStatusEnum, {
  name: 'JobStatus',
  description: "Where one node's scheduled run is.",
  valuesConfig: {
    QUEUED: { description: 'Waiting for a slot (PLIMSOLL_SCHEDULE_CONCURRENCY runs at once).' },
    RUNNING: { description: 'Assessing the node now.' },
    SUCCEEDED: { description: 'The assessment completed (whatever it found): see `assessmentId`.' },
    FAILED: { description: 'The assessment could not run or complete: `errorCode` and `message` say why.' },
    REFUSED: { description: "The schedule's owner may not run it (gone, or no longer allowed); audited as a refused runAssessment." },
    TIMED_OUT: { description: 'Stopped after the per-node timeout (PLIMSOLL_SCHEDULE_NODE_TIMEOUT_MS).' },
    INTERRUPTED: { description: 'The process running it stopped before it ended.' },
  },
});

export enum JobTriggerEnum {
  CRON = 'cron',
  MISSED = 'missed',
  MANUAL = 'manual',
}
registerEnumType(JobTriggerEnum, {
  name: 'JobTrigger',
  description: 'Why a job ran.',
  valuesConfig: {
    CRON: { description: 'Its cron time came.' },
    MISSED: { description: 'Its cron time came while no server ran; run once at the next start, however many times were missed.' },
    MANUAL: { description: 'A user asked (runScheduleNow, `plimsoll schedule run-now`).' },
  },
});

export enum EventTypeEnum {
  ASSESSMENT_STARTED = 'assessment.started',
  ASSESSMENT_NODE = 'assessment.node',
  ASSESSMENT_COMPLETED = 'assessment.completed',
  DRIFT_DETECTED = 'drift.detected',
  EXPIRY = 'expiry',
}
registerEnumType(EventTypeEnum, {
  name: 'EventKind',
  description: 'The kinds of event subscriptions and webhooks receive.',
  valuesConfig: {
    ASSESSMENT_STARTED: { description: 'An assessment run began.' },
    ASSESSMENT_NODE: { description: 'A node of a run was collected, or failed.' },
    ASSESSMENT_COMPLETED: { description: 'A run completed, failed or was interrupted.' },
    DRIFT_DETECTED: { description: "A completed run differs from the node's previous run or its reference run." },
    EXPIRY: { description: 'An exemption or review expires soon, or has expired.' },
  },
});

export enum NodeEventStateEnum {
  COLLECTED = 'collected',
  FAILED = 'failed',
}
registerEnumType(NodeEventStateEnum, {
  name: 'NodeEventState',
  description: "How a node's collection in a run went.",
  valuesConfig: { COLLECTED: { description: 'Collected and evaluated.' }, FAILED: { description: 'Not collected; its rules are ERROR.' } },
});

// What a drift event compares with, and what expires: the same enums drift's own types use (one name each in the schema).
export { DriftComparisonKindEnum as DriftComparisonEnum, ExpirySubjectEnum } from './drift-enums.js';

export enum DeliveryStatusEnum {
  PENDING = 'pending',
  DELIVERING = 'delivering',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description: 'Where a webhook delivery is.',
  valuesConfig: {
    PENDING: { description: 'Queued: its next attempt is at `nextAttemptAt`.' },
    DELIVERING: { description: 'Being sent now.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: a permanent refusal (4xx, a redirect, a target the SSRF rules refuse) or every attempt failed.' },
  },
});

export enum SeverityThresholdEnum {
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
}
registerEnumType(SeverityThresholdEnum, {
  name: 'SeverityThreshold',
  description: 'The lowest severity an event filter lets through (a severity the benchmark does not give counts as HIGH).',
  valuesConfig: { HIGH: { description: 'CAT I only.' }, MEDIUM: { description: 'CAT I and II.' }, LOW: { description: 'Any finding.' } },
});
