/**
 * Domain events: what happened, published by the services that made it happen (assessments, drift, expiry)
 * and consumed by notifications (GraphQL subscriptions, webhooks) and history. Events carry ids and counts,
 * never evidence values or secrets; a consumer that needs more reads it through the services, with its own
 * caller's rights.
 */
import type { RuleStatus, Severity } from './results.js';

/** Where an event belongs, for filtering (by node, environment, severity) and authorisation (environment scope). */
export interface EventScope {
  nodeIds: string[];
  /** The environments of those nodes (`default` for nodes without one). */
  environments: string[];
}

/** An assessment run began. */
export interface AssessmentStartedEvent {
  type: 'assessment.started';
  assessmentId: string;
  benchmarkIds: string[];
  /** The user the run acts as (a person, or a schedule's owner). */
  actorUserId?: string;
  scheduleId?: string;
  /** The schedule's job this run is (scheduled runs only). */
  jobId?: string;
}

/** One node of a run was collected and evaluated, or failed (its rules are then `error`). */
export interface AssessmentNodeEvent {
  type: 'assessment.node';
  assessmentId: string;
  nodeId: string;
  nodeName: string;
  state: 'collected' | 'failed';
  /** Classified failure reason (never a remote body). */
  reason?: string;
}

/** A run ended. */
export interface AssessmentCompletedEvent {
  type: 'assessment.completed';
  assessmentId: string;
  status: 'completed' | 'failed' | 'interrupted';
  summary: Partial<Record<RuleStatus, number>>;
  /** The highest severity among the failed rules (not exempted ones too: an exemption keeps a failure a failure); undefined when none failed. */
  maxSeverity?: Severity;
  /** Why a run failed or was interrupted (a public error text, never a remote body). */
  error?: string;
}

/** A completed run differs from the node's previous run or its pinned reference run. */
export interface DriftDetectedEvent {
  type: 'drift.detected';
  assessmentId: string;
  nodeId: string;
  nodeName: string;
  comparedWith: { kind: 'previous' | 'reference'; assessmentId: string };
  counts: { regressions: number; remediations: number; errors: number; appeared: number; disappeared: number; evidenceChanges: number };
  /** The highest severity among the regressions; undefined when there are none. */
  maxSeverity?: Severity;
}

/** A review or exemption stops applying soon (or has stopped). */
export interface ExpiryEvent {
  type: 'expiry';
  subject: 'review' | 'exemption';
  subjectId: string;
  stigId: string;
  expiresAt: string;
  expired: boolean;
}

export type PlimsollEventBody = AssessmentStartedEvent | AssessmentNodeEvent | AssessmentCompletedEvent | DriftDetectedEvent | ExpiryEvent;

/** An event as published: its body, when, and where it belongs. */
export type PlimsollEvent = PlimsollEventBody & { id: string; at: string; scope: EventScope };

/** Publishes events to every subscriber; never throws into the publisher (a failing consumer is the consumer's problem). */
export interface EventPublisher {
  publish(event: PlimsollEvent): void;
}

/** The event types, as webhooks and subscriptions filter them. */
export type PlimsollEventType = PlimsollEventBody['type'];
export const EVENT_TYPES: readonly PlimsollEventType[] = ['assessment.started', 'assessment.node', 'assessment.completed', 'drift.detected', 'expiry'];

/** Where events are heard: the in-process bus; a listener must not throw (the bus logs and drops what does). */
export interface EventSource {
  /** Calls `listener` with every event published from now on; returns the function that stops it. */
  subscribe(listener: (event: PlimsollEvent) => void): () => void;
}

/** A publisher that drops events, for wiring without notifications (CLI one-shot commands, tests). */
export const NO_EVENTS: EventPublisher = { publish: () => undefined };
