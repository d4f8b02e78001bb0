/**
 * The monitoring use cases (issue #10: schedules and notifications), as transports and the scheduler call
 * them through the service gateway. Kept beside services.ts so each work package adds its own file.
 */
import type { Principal } from './auth.js';
import type { EventFilter } from './event-filter.js';
import type { PlimsollEvent } from './events.js';
import type { Connection, PageRequest } from './paging.js';
import type { JobStatus, Schedule, ScheduleInput, ScheduleJob } from './schedule.js';
import type { DeliveryStatus, Webhook, WebhookDelivery, WebhookInput } from './webhook.js';

/**
 * Schedules of assessments. Writers (those who may run assessments) create them and own them; the owner or
 * an admin removes one; runs act as the owner through the service gateway, so they are authorised and audited
 * as the owner's own runs, and refused (and audited, and shown on the schedule) once the owner lost the right.
 */
export interface ScheduleService {
  create(input: ScheduleInput, actor: Principal): Promise<Schedule>;
  /** Present schedules, by name. */
  list(): Promise<Schedule[]>;
  page(page: PageRequest): Promise<Connection<Schedule>>;
  /** A present schedule by id or name; a removed one by id with `includeRemoved`. */
  get(ref: string, options?: { includeRemoved?: boolean }): Promise<Schedule | undefined>;
  /** By its owner or an admin; the schedule stops firing, its jobs stay. */
  remove(ref: string, actor: Principal): Promise<Schedule>;
  /**
   * Runs the schedule now (one job per node it targets, as its owner, within the concurrency limit); with
   * `wait`, resolves once every job ended. Returns the jobs (as they are when it resolves).
   */
  runNow(ref: string, actor: Principal, options?: { wait?: boolean }): Promise<ScheduleJob[]>;
  /** Jobs newest first, of one schedule (id or name, removed ones by id) or all, of one status or all. */
  jobs(filter: { schedule?: string; status?: JobStatus }, page: PageRequest): Promise<Connection<ScheduleJob>>;
  job(id: string): Promise<ScheduleJob | undefined>;
}

/** A webhook as registered: the secret is in the answer once, never again. */
export interface RegisteredWebhook {
  webhook: Webhook;
  secret: string;
}

/** Webhooks: admins register and remove them and read their delivery logs. */
export interface WebhookService {
  register(input: WebhookInput, actor: Principal): Promise<RegisteredWebhook>;
  list(): Promise<Webhook[]>;
  page(page: PageRequest): Promise<Connection<Webhook>>;
  /** A present webhook by id or name; a removed one by id with `includeRemoved`. */
  get(ref: string, options?: { includeRemoved?: boolean }): Promise<Webhook | undefined>;
  remove(ref: string, actor: Principal): Promise<Webhook>;
  /** A webhook's deliveries, newest first. */
  deliveries(webhookRef: string, filter: { status?: DeliveryStatus }, page: PageRequest): Promise<Connection<WebhookDelivery>>;
  delivery(id: string): Promise<WebhookDelivery | undefined>;
}

/** Live events for the caller: those passing the filter that the caller may read, as they are published. */
export interface NotificationService {
  /** The stream ends when `signal` aborts; a subscriber too slow to keep up is ended with an error. */
  subscribe(filter: EventFilter, actor: Principal, options?: { signal?: AbortSignal }): Promise<AsyncIterable<PlimsollEvent>>;
}
