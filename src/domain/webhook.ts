/**
 * Webhooks: endpoints an admin registers to be told about events. Each delivery is a POST of the event as
 * JSON, signed with HMAC-SHA256 under the webhook's secret (shown once at registration, stored encrypted),
 * retried with exponential backoff until it is accepted or the attempts run out. Deliveries are queued in the
 * database, so they survive a restart; the log keeps each delivery's status, attempts and the last response
 * code, never the remote body.
 *
 * Pure: the signature, the backoff and the delivery lifecycle.
 */
import { createHmac } from 'node:crypto';
import { UnreachableCaseError } from './errors.js';
import type { EventFilter } from './event-filter.js';
import type { PlimsollEvent, PlimsollEventType } from './events.js';

export interface Webhook {
  id: string;
  /** Unique among present webhooks, compared case-insensitively. */
  name: string;
  /** `https://…` (`http://` only for hosts on PLIMSOLL_WEBHOOK_ALLOWLIST). */
  url: string;
  filter: EventFilter;
  createdAt: string;
  createdBy: string;
  removedAt?: string;
}

export interface WebhookInput {
  name: string;
  url: string;
  filter?: EventFilter;
}

/** A delivery's lifecycle: pending (with its next attempt) → delivering → delivered | failed (given up). */
export type DeliveryState =
  | { status: 'pending'; nextAttemptAt: string }
  | { status: 'delivering'; attemptStartedAt: string }
  | { status: 'delivered'; deliveredAt: string }
  | { status: 'failed'; failedAt: string; reason: string };

export type DeliveryStatus = DeliveryState['status'];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivering', 'delivered', 'failed'];

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: PlimsollEventType;
  createdAt: string;
  attempts: number;
  lastAttemptAt?: string;
  /** The HTTP status of the last answer; absent when none came (refused connection, timeout). */
  lastResponseCode?: number;
  /** The last attempt's problem, classified (`HTTP 503`, `timeout`, `connection refused`): never the remote body. */
  lastError?: string;
  state: DeliveryState;
}

/** What a webhook receives: the delivery id (to drop duplicates: delivery is at least once) and the event. */
export interface WebhookBody {
  deliveryId: string;
  webhookId: string;
  event: PlimsollEvent;
}

/** The header carrying the signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-plimsoll-signature-256';
export const EVENT_HEADER = 'x-plimsoll-event';
export const DELIVERY_HEADER = 'x-plimsoll-delivery';

/** The signature header's value of `body` under `secret`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; each further one doubles it. */
  baseDelayMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
}

/**
 * The delay after failed attempt `attempt` (1 for the first): base × 2^(attempt-1), capped, plus up to 10 %
 * of jitter (`random` in [0, 1)) so that many deliveries failing together do not retry in lockstep.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential + exponential * 0.1 * Math.min(Math.max(random, 0), 1));
}

/** How an attempt ended, as the transport classifies it. */
export type AttemptOutcome =
  | { kind: 'accepted'; status: number }
  | { kind: 'rejected'; status: number }
  | { kind: 'unreachable'; error: string }
  | { kind: 'refused'; error: string };

/**
 * Whether to try again after `outcome`: 2xx is delivered; 408, 425, 429 and 5xx, timeouts and connection
 * failures are retried; other answers (400, 401, 404, a redirect, which is never followed) and targets the
 * SSRF rules refuse will not get better by waiting and fail at once.
 */
export function isRetryable(outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'accepted':
    case 'refused':
      return false;
    case 'unreachable':
      return true;
    case 'rejected':
      return outcome.status >= 500 || outcome.status === 408 || outcome.status === 425 || outcome.status === 429;
    default:
      throw new UnreachableCaseError(outcome);
  }
}

/** The log text of an outcome (never a remote body). */
export function outcomeText(outcome: AttemptOutcome): string {
  switch (outcome.kind) {
    case 'accepted':
    case 'rejected':
      return `HTTP ${outcome.status}`;
    case 'unreachable':
    case 'refused':
      return outcome.error;
    default:
      throw new UnreachableCaseError(outcome);
  }
}
