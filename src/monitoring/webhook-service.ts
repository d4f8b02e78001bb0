/**
 * Webhooks as a use case: admins register an endpoint (its URL checked against the SSRF rules, its filter's
 * nodes resolved to ids), receive the HMAC secret once (stored sealed with PLIMSOLL_SECRET_KEY), remove it,
 * and read the delivery log.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { RegisteredWebhook, WebhookService } from '../domain/monitoring-services.js';
import type { Connection, PageRequest } from '../domain/paging.js';
import type { NodeService } from '../domain/services.js';
import { DELIVERY_STATUSES, type DeliveryStatus, type Webhook, type WebhookDelivery, type WebhookInput } from '../domain/webhook.js';
import type { Clock } from '../repositories/clock.js';
import { isUniqueViolation } from '../repositories/database/constraint-errors.js';
import type { WebhookRepository } from '../repositories/monitoring/webhook-repository.js';
import { resolveEventFilter } from './filter-nodes.js';

const MAX_NAME = 100;
const MAX_URL = 2000;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** Secrets start with this, so a leaked one is recognisable (and scanners can look for it). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Seals webhook secrets at rest (the secret-key mechanism of node TLS keys and uploads). */
export interface WebhookSecretBox {
  seal(plain: Buffer, purpose: 'webhook-secret'): string;
  open(sealed: string, purpose: 'webhook-secret'): Buffer;
}

/** Where webhooks may point (the SSRF rules); `check` throws WEBHOOK_NOT_ALLOWED with the reason. */
export interface WebhookTargetPolicy {
  check(url: URL): Promise<void>;
}

export interface WebhookServiceDeps {
  repo: WebhookRepository;
  clock: Clock;
  nodes: Pick<NodeService, 'find'>;
  targets: WebhookTargetPolicy;
  /** Absent when PLIMSOLL_SECRET_KEY is not set: registering is then refused. */
  secrets?: WebhookSecretBox;
  newId?: () => string;
}

/** The URL of a webhook, parsed; BAD_INPUT for what is not an absolute http(s) URL without credentials. */
export function parseWebhookUrl(raw: string): URL {
  const text = typeof raw === 'string' ? raw.trim() : '';
  let url: URL | undefined;
  if (text.length <= MAX_URL && !CONTROL_CHARS.test(text)) {
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, `the webhook URL must be an absolute https:// URL of at most ${MAX_URL} characters`, [{ pointer: '/url', message: 'not an http(s) URL' }]);
  }
  if (url.username !== '' || url.password !== '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'the webhook URL must not carry credentials: receivers verify the signature instead', [{ pointer: '/url', message: 'credentials in the URL' }]);
  url.hash = '';
  return url;
}

export class DefaultWebhookService implements WebhookService {
  private readonly newId: () => string;

  constructor(private readonly deps: WebhookServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  async register(input: WebhookInput, actor: Principal): Promise<RegisteredWebhook> {
    const problems: Problem[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name === '' || name.length > MAX_NAME || CONTROL_CHARS.test(name)) problems.push({ pointer: '/name', message: `name must have 1 to ${MAX_NAME} characters, no control characters` });
    if (problems.length > 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid webhook: ${problems.map((p) => p.message).join('; ')}`, problems);
    const url = parseWebhookUrl(input.url);
    const filter = await resolveEventFilter(input.filter ?? {}, this.deps.nodes);
    await this.deps.targets.check(url);
    if (this.deps.secrets === undefined) {
      throw new PlimsollError(ErrorCode.CONFIG_INVALID, 'registering a webhook needs PLIMSOLL_SECRET_KEY (32 random bytes, base64: `openssl rand -base64 32`), which encrypts its signing secret at rest');
    }
    if ((await this.deps.repo.findByName(name)) !== undefined) throw new PlimsollError(ErrorCode.CONFLICT, `a webhook named "${name}" already exists`);
    const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const webhook: Webhook = { id: this.newId(), name, url: url.toString(), filter, createdAt: this.deps.clock.now().toISOString(), createdBy: actor.name };
    try {
      await this.deps.repo.insert(webhook, this.deps.secrets.seal(Buffer.from(secret, 'utf8'), 'webhook-secret'));
    } catch (e) {
      if (isUniqueViolation(e)) throw new PlimsollError(ErrorCode.CONFLICT, `a webhook named "${name}" already exists`, [], { cause: e });
      throw e;
    }
    return { webhook, secret };
  }

  list(): Promise<Webhook[]> {
    return this.deps.repo.list();
  }

  page(page: PageRequest): Promise<Connection<Webhook>> {
    return this.deps.repo.page(page);
  }

  async get(ref: string, options: { includeRemoved?: boolean } = {}): Promise<Webhook | undefined> {
    const r = ref.trim();
    if (r === '') return undefined;
    return (await this.deps.repo.findById(r, options)) ?? (await this.deps.repo.findByName(r));
  }

  async remove(ref: string, _actor: Principal): Promise<Webhook> {
    const webhook = await this.get(ref);
    if (webhook === undefined) throw notFound(ref);
    const at = this.deps.clock.now().toISOString();
    if (!(await this.deps.repo.markRemoved(webhook.id, at))) throw notFound(ref);
    return { ...webhook, removedAt: at };
  }

  async deliveries(webhookRef: string, filter: { status?: DeliveryStatus }, page: PageRequest): Promise<Connection<WebhookDelivery>> {
    if (filter.status !== undefined && !DELIVERY_STATUSES.includes(filter.status)) throw new PlimsollError(ErrorCode.BAD_INPUT, `unknown delivery status; one of ${DELIVERY_STATUSES.join(', ')}`);
    const webhook = await this.get(webhookRef, { includeRemoved: true });
    if (webhook === undefined) throw notFound(webhookRef);
    return this.deps.repo.pageDeliveries(webhook.id, filter, page);
  }

  delivery(id: string): Promise<WebhookDelivery | undefined> {
    return this.deps.repo.findDelivery(id);
  }
}

function notFound(ref: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, `no webhook matches "${ref.slice(0, 100)}" (by id or name)`);
}
