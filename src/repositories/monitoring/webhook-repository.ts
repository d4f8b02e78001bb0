/**
 * Webhooks and the delivery queue in the database. A delivery row is the queue entry and the log line at once:
 * it is inserted `pending`, claimed `delivering` by the one worker (the lease holder), then `delivered`,
 * `pending` again with its next attempt, or `failed`. The sealed secret never leaves this module but to the
 * service that opens it.
 */
import type { Selectable } from '../database/kysely.js';
import { userNameKey } from '../../domain/auth.js';
import type { EventFilter } from '../../domain/event-filter.js';
import type { PlimsollEvent, PlimsollEventType } from '../../domain/events.js';
import { mapNodes, type Connection, type PageRequest } from '../../domain/paging.js';
import type { DeliveryState, DeliveryStatus, Webhook, WebhookDelivery } from '../../domain/webhook.js';
import type { Db } from '../database/database.js';
import { countOf, keysetPage } from '../database/keyset.js';
import type { WebhookDeliveryTable, WebhookTable } from '../database/tables-monitoring.js';

type WebhookRow = Selectable<WebhookTable>;
type DeliveryRow = Selectable<WebhookDeliveryTable>;

/** A delivery due for an attempt, with what the attempt needs. */
export interface DueDelivery {
  delivery: WebhookDelivery;
  event: PlimsollEvent;
}

/** What an attempt changes in a delivery. */
export interface AttemptRecord {
  attempts: number;
  lastAttemptAt: string;
  lastResponseCode?: number;
  lastError?: string;
  state: DeliveryState;
}

export interface WebhookRepository {
  insert(webhook: Webhook, secretSealed: string): Promise<void>;
  findById(id: string, options?: { includeRemoved?: boolean }): Promise<Webhook | undefined>;
  findByName(name: string): Promise<Webhook | undefined>;
  /** Present webhooks by name. */
  list(): Promise<Webhook[]>;
  page(request: PageRequest): Promise<Connection<Webhook>>;
  markRemoved(id: string, at: string): Promise<boolean>;
  /** The sealed secret of a present webhook. */
  sealedSecret(id: string): Promise<string | undefined>;

  /** Queues a delivery of `event` to each webhook (once per webhook and event). */
  enqueue(event: PlimsollEvent, webhookIds: readonly string[], newId: () => string, at: string): Promise<void>;
  /** Up to `limit` pending deliveries due at `now`, oldest first, each claimed `delivering`. */
  claimDue(now: string, limit: number): Promise<DueDelivery[]>;
  recordAttempt(id: string, attempt: AttemptRecord): Promise<void>;
  /** Deliveries left `delivering` by a stopped worker go back to `pending` (due now); returns how many. */
  requeueStale(now: string): Promise<number>;
  /** The earliest next attempt of a pending delivery. */
  earliestDue(): Promise<string | undefined>;
  pageDeliveries(webhookId: string, filter: { status?: DeliveryStatus }, request: PageRequest): Promise<Connection<WebhookDelivery>>;
  findDelivery(id: string): Promise<WebhookDelivery | undefined>;
}

/** Row → domain (the sealed secret stays behind). */
export function mapWebhookRow(row: WebhookRow): Webhook {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    filter: JSON.parse(row.filter_json) as EventFilter,
    createdAt: row.created_at,
    createdBy: row.created_by,
    ...(row.removed_at !== null ? { removedAt: row.removed_at } : {}),
  };
}

function stateOf(row: DeliveryRow): DeliveryState {
  switch (row.status) {
    case 'pending':
      return { status: 'pending', nextAttemptAt: row.next_attempt_at ?? row.created_at };
    case 'delivering':
      return { status: 'delivering', attemptStartedAt: row.last_attempt_at ?? row.created_at };
    case 'delivered':
      return { status: 'delivered', deliveredAt: row.finished_at ?? row.last_attempt_at ?? row.created_at };
    default:
      return { status: 'failed', failedAt: row.finished_at ?? row.created_at, reason: row.last_error ?? 'failed' };
  }
}

/** Row → domain. */
export function mapDeliveryRow(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type as PlimsollEventType,
    createdAt: row.created_at,
    attempts: row.attempts,
    ...(row.last_attempt_at !== null ? { lastAttemptAt: row.last_attempt_at } : {}),
    ...(row.last_response_code !== null ? { lastResponseCode: row.last_response_code } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    state: stateOf(row),
  };
}

/** The Kysely implementation. */
export class KyselyWebhookRepository implements WebhookRepository {
  constructor(private readonly db: Db) {}

  async insert(webhook: Webhook, secretSealed: string): Promise<void> {
    await this.db
      .insertInto('webhook')
      .values({
        id: webhook.id,
        name: webhook.name,
        name_key: userNameKey(webhook.name),
        url: webhook.url,
        filter_json: JSON.stringify(webhook.filter),
        secret_sealed: secretSealed,
        created_at: webhook.createdAt,
        created_by: webhook.createdBy,
        removed_at: null,
      })
      .execute();
  }

  async findById(id: string, options: { includeRemoved?: boolean } = {}): Promise<Webhook | undefined> {
    let q = this.db.selectFrom('webhook').selectAll().where('id', '=', id);
    if (options.includeRemoved !== true) q = q.where('removed_at', 'is', null);
    const row = await q.executeTakeFirst();
    return row === undefined ? undefined : mapWebhookRow(row);
  }

  async findByName(name: string): Promise<Webhook | undefined> {
    const row = await this.db.selectFrom('webhook').selectAll().where('name_key', '=', userNameKey(name)).where('removed_at', 'is', null).executeTakeFirst();
    return row === undefined ? undefined : mapWebhookRow(row);
  }

  async list(): Promise<Webhook[]> {
    return (await this.db.selectFrom('webhook').selectAll().where('removed_at', 'is', null).orderBy('name_key').execute()).map(mapWebhookRow);
  }

  async page(request: PageRequest): Promise<Connection<Webhook>> {
    const base = this.db.selectFrom('webhook').selectAll().where('removed_at', 'is', null);
    return mapNodes(await keysetPage(base, countOf(base), [{ ref: 'webhook.name_key', type: 'string', value: (r) => r.name_key }], 'asc', request), mapWebhookRow);
  }

  async markRemoved(id: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('webhook').set({ removed_at: at }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async sealedSecret(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('webhook').select('secret_sealed').where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    return row?.secret_sealed;
  }

  async enqueue(event: PlimsollEvent, webhookIds: readonly string[], newId: () => string, at: string): Promise<void> {
    if (webhookIds.length === 0) return;
    const json = JSON.stringify(event);
    const rows = webhookIds.map((webhookId) => ({
      id: newId(),
      webhook_id: webhookId,
      event_id: event.id,
      event_type: event.type,
      event_json: json,
      created_at: at,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      last_attempt_at: null,
      last_response_code: null,
      last_error: null,
      finished_at: null,
    }));
    await this.db.insertInto('webhook_delivery').values(rows).onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing()).execute();
  }

  async claimDue(now: string, limit: number): Promise<DueDelivery[]> {
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('webhook_delivery')
        .innerJoin('webhook', 'webhook.id', 'webhook_delivery.webhook_id')
        .selectAll('webhook_delivery')
        .where('webhook_delivery.status', '=', 'pending')
        .where('webhook_delivery.next_attempt_at', '<=', now)
        .where('webhook.removed_at', 'is', null)
        .orderBy('webhook_delivery.next_attempt_at')
        .orderBy('webhook_delivery.id')
        .limit(limit)
        .execute();
      if (rows.length === 0) return [];
      await tx
        .updateTable('webhook_delivery')
        .set({ status: 'delivering', last_attempt_at: now })
        .where('id', 'in', rows.map((r) => r.id))
        .where('status', '=', 'pending')
        .execute();
      return rows.map((r) => ({ delivery: mapDeliveryRow({ ...r, status: 'delivering', last_attempt_at: now }), event: JSON.parse(r.event_json) as PlimsollEvent }));
    });
  }

  async recordAttempt(id: string, a: AttemptRecord): Promise<void> {
    const s = a.state;
    await this.db
      .updateTable('webhook_delivery')
      .set({
        status: s.status,
        attempts: a.attempts,
        last_attempt_at: a.lastAttemptAt,
        last_response_code: a.lastResponseCode ?? null,
        last_error: s.status === 'failed' ? s.reason : (a.lastError ?? null),
        next_attempt_at: s.status === 'pending' ? s.nextAttemptAt : null,
        finished_at: s.status === 'delivered' ? s.deliveredAt : s.status === 'failed' ? s.failedAt : null,
      })
      .where('id', '=', id)
      .execute();
  }

  async requeueStale(now: string): Promise<number> {
    const r = await this.db.updateTable('webhook_delivery').set({ status: 'pending', next_attempt_at: now }).where('status', '=', 'delivering').executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async earliestDue(): Promise<string | undefined> {
    const row = await this.db.selectFrom('webhook_delivery').select('next_attempt_at').where('status', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
    return row?.next_attempt_at ?? undefined;
  }

  async pageDeliveries(webhookId: string, filter: { status?: DeliveryStatus }, request: PageRequest): Promise<Connection<WebhookDelivery>> {
    let base = this.db.selectFrom('webhook_delivery').selectAll().where('webhook_id', '=', webhookId);
    if (filter.status !== undefined) base = base.where('status', '=', filter.status);
    const key = [
      { ref: 'webhook_delivery.created_at', type: 'string' as const, value: (r: DeliveryRow) => r.created_at },
      { ref: 'webhook_delivery.id', type: 'string' as const, value: (r: DeliveryRow) => r.id },
    ];
    return mapNodes(await keysetPage(base, countOf(base), key, 'desc', request), mapDeliveryRow);
  }

  async findDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : mapDeliveryRow(row);
  }
}
