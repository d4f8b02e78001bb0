/**
 * `plimsoll webhook add|list|remove|deliveries` (admins): endpoints told about events, HMAC-signed. The
 * signing secret is printed once by `add`, never again.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { FILTER_SEVERITIES, type EventFilter, type FilterSeverity } from '../../domain/event-filter.js';
import { EVENT_TYPES, type PlimsollEventType } from '../../domain/events.js';
import { DELIVERY_STATUSES, type DeliveryStatus, type Webhook, type WebhookDelivery } from '../../domain/webhook.js';
import { table } from '../format.js';
import { collect, intParser } from '../options.js';
import type { CliContext } from '../runtime.js';

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };
}

function collectType(value: string, previous: PlimsollEventType[] = []): PlimsollEventType[] {
  return [...previous, oneOf(EVENT_TYPES)(value)];
}

/** A filter in words. */
export function describeFilter(f: EventFilter): string {
  const parts = [
    f.types !== undefined ? `types ${f.types.join(', ')}` : '',
    f.nodeIds !== undefined ? `nodes ${f.nodeIds.join(', ')}` : '',
    f.environments !== undefined ? `environments ${f.environments.join(', ')}` : '',
    f.minSeverity !== undefined ? `severity ≥ ${f.minSeverity}` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'every event' : parts.join('; ');
}

export function formatWebhooks(list: readonly Webhook[]): string[] {
  if (list.length === 0) return ['no webhooks'];
  return table(['NAME', 'URL', 'FILTER', 'CREATED BY'], list.map((w) => [w.name, w.url, describeFilter(w.filter), w.createdBy]));
}

export function formatDeliveries(list: readonly WebhookDelivery[]): string[] {
  if (list.length === 0) return ['no deliveries'];
  return table(
    ['DELIVERY', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST CODE', 'LAST ERROR', 'NEXT/DONE'],
    list.map((d) => {
      const s = d.state;
      const when = s.status === 'pending' ? s.nextAttemptAt : s.status === 'delivered' ? s.deliveredAt : s.status === 'failed' ? s.failedAt : s.attemptStartedAt;
      return [d.id, d.eventType, s.status, String(d.attempts), d.lastResponseCode !== undefined ? String(d.lastResponseCode) : '-', d.lastError ?? '-', when];
    }),
  );
}

export function registerWebhookCommands(program: Command, ctx: CliContext): void {
  const webhook = program.command('webhook');
  webhook
    .command('add')
    .description('register a webhook; prints its signing secret once (needs PLIMSOLL_SECRET_KEY)')
    .argument('<name>', 'a unique name')
    .argument('<url>', 'https:// URL (http:// and private addresses only with PLIMSOLL_WEBHOOK_ALLOWLIST)')
    .option('--type <event>', `only this event type (repeatable: ${EVENT_TYPES.join(', ')})`, collectType)
    .option('--node <ref>', 'only events about this node (repeatable)', collect)
    .option('--environment <name>', 'only events about nodes in this environment (repeatable)', collect)
    .option('--min-severity <severity>', `only events of at least this severity (${FILTER_SEVERITIES.join(', ')})`, oneOf(FILTER_SEVERITIES))
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, url: string, opts: { type?: PlimsollEventType[]; node?: string[]; environment?: string[]; minSeverity?: FilterSeverity; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const filter: EventFilter = {
          ...(opts.type !== undefined ? { types: opts.type } : {}),
          ...(opts.node !== undefined ? { nodeIds: opts.node } : {}),
          ...(opts.environment !== undefined ? { environments: opts.environment } : {}),
          ...(opts.minSeverity !== undefined ? { minSeverity: opts.minSeverity } : {}),
        };
        const { webhook: w, secret } = await app.services.webhooks.register({ name, url, filter });
        ctx.io.out(`added webhook ${w.name} (${w.id}) → ${w.url}: ${describeFilter(w.filter)}\nSigning secret (shown once; receivers check X-Plimsoll-Signature-256 = sha256=HMAC-SHA256(secret, body)):\n  ${secret}`);
      }),
    );
  webhook
    .command('list')
    .description('list webhooks')
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (opts: { json?: boolean; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const list = await app.services.webhooks.list();
        ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatWebhooks(list).join('\n'));
      }),
    );
  webhook
    .command('remove')
    .description('remove a webhook; nothing more is delivered to it')
    .argument('<ref>', 'webhook id or name')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const removed = await app.services.webhooks.remove(ref);
        ctx.io.out(`removed webhook ${removed.name} (${removed.id})`);
      }),
    );
  webhook
    .command('deliveries')
    .description("a webhook's delivery log, newest first (status, attempts, last response code; never the remote body)")
    .argument('<ref>', 'webhook id or name')
    .option('--status <status>', `only this status (${DELIVERY_STATUSES.join(', ')})`, oneOf(DELIVERY_STATUSES))
    .option('--limit <n>', 'how many (1 to 100, default 25)', intParser(1, 100))
    .option('--json', 'print JSON')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { status?: DeliveryStatus; limit?: number; json?: boolean; db?: string }) =>
      ctx.withApp({ db: opts.db }, async (app) => {
        const page = await app.services.webhooks.deliveries(ref, opts.status !== undefined ? { status: opts.status } : {}, { first: opts.limit ?? 25 });
        const list = page.edges.map((e) => e.node);
        ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatDeliveries(list).join('\n'));
      }),
    );
}
