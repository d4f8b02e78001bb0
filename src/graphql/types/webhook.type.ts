/** GraphQL shapes of webhooks and their deliveries, and their inputs. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import type { PlimsollEventType } from '../../domain/events.js';
import type { DeliveryStatus, Webhook, WebhookDelivery } from '../../domain/webhook.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { EventFilterInput, EventFilterType, mapEventFilter } from './event.type.js';
import { DeliveryStatusEnum, EventTypeEnum } from './monitoring-enums.js';

@ObjectType('Webhook', { implements: NodeInterface, description: 'An endpoint told about events: a POST of the event as JSON, signed with HMAC-SHA256 (header `X-Plimsoll-Signature-256: sha256=<hex>`).' })
export class WebhookType extends NodeInterface {
  @Field(() => String, { description: 'The webhook id.' }) webhookId!: string;
  @Field(() => String, { description: 'Unique name (case-insensitively).' }) name!: string;
  @Field(() => String, { description: 'Where deliveries are POSTed.' }) url!: string;
  @Field(() => EventFilterType, { description: 'Which events it receives.' }) filter!: EventFilterType;
  @Field(() => String, { description: 'When it was registered.' }) createdAt!: string;
  @Field(() => String, { description: 'The admin who registered it.' }) createdBy!: string;
  @Field(() => String, { nullable: true, description: 'When it was removed.' }) removedAt?: string;
  __typename!: NodeTypeName;
}

@ObjectType('WebhookDelivery', { implements: NodeInterface, description: 'One event sent (or being sent) to one webhook: the delivery log never holds the remote body.' })
export class WebhookDeliveryType extends NodeInterface {
  @Field(() => String, { description: 'The delivery id (header `X-Plimsoll-Delivery`); receivers drop duplicates by it.' }) deliveryId!: string;
  @Field(() => String, { description: 'The webhook.' }) webhookId!: string;
  @Field(() => String, { description: 'The event delivered.' }) eventId!: string;
  @Field(() => EventTypeEnum, { description: "The event's type." }) eventType!: PlimsollEventType;
  @Field(() => String, { description: 'When it was queued.' }) createdAt!: string;
  @Field(() => DeliveryStatusEnum, { description: 'Where it is.' }) status!: DeliveryStatus;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts!: number;
  @Field(() => String, { nullable: true, description: 'When the last attempt was made.' }) lastAttemptAt?: string;
  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last answer; null when none came.' }) lastResponseCode?: number;
  @Field(() => String, { nullable: true, description: "The last attempt's problem, classified (`HTTP 503`, `connection refused`, `timeout after 10000 ms`)." }) lastError?: string;
  @Field(() => String, { nullable: true, description: 'When the next attempt is due (PENDING).' }) nextAttemptAt?: string;
  @Field(() => String, { nullable: true, description: 'When it was delivered (DELIVERED) or given up (FAILED).' }) finishedAt?: string;
  __typename!: NodeTypeName;
}

@InputType('RegisterWebhookInput', { description: 'A webhook to register (admins). PLIMSOLL_SECRET_KEY must be set: it encrypts the signing secret.' })
export class RegisterWebhookInput {
  @Field(() => String, { description: 'Unique name.' }) name!: string;
  @Field(() => String, { description: 'https:// URL (http:// only for hosts on PLIMSOLL_WEBHOOK_ALLOWLIST); private, loopback and link-local addresses need the allow-list.' }) url!: string;
  @Field(() => EventFilterInput, { nullable: true, description: 'Which events it receives; omitted: all.' }) filter?: EventFilterInput;
}

@ObjectType('RegisterWebhookPayload', { description: 'The registered webhook and its signing secret: shown this once, never again.' })
export class RegisterWebhookPayload {
  @Field(() => WebhookType, { description: 'The webhook.' }) webhook!: WebhookType;
  @Field(() => String, { description: 'The HMAC-SHA256 secret receivers verify `X-Plimsoll-Signature-256` with. Store it now.' }) secret!: string;
}

@InputType('RemoveWebhookInput', { description: 'The webhook to remove.' })
export class RemoveWebhookInput {
  @Field(() => ID, { description: 'Global id of the Webhook.' }) id!: string;
}

@ObjectType('RemoveWebhookPayload', { description: 'The result of removing a webhook: nothing more is delivered to it.' })
export class RemoveWebhookPayload {
  @Field(() => WebhookType, { description: 'The webhook as removed (`removedAt` set).' }) webhook!: WebhookType;
}

@InputType('WebhookDeliveryFilterInput', { description: 'Which deliveries to list.' })
export class WebhookDeliveryFilterInput {
  @Field(() => DeliveryStatusEnum, { nullable: true, description: 'Only deliveries with this status.' }) status?: DeliveryStatus;
}

export function mapWebhook(w: Webhook): WebhookType {
  return {
    id: toGlobalId('Webhook', w.id),
    __typename: 'Webhook',
    webhookId: w.id,
    name: w.name,
    url: w.url,
    filter: mapEventFilter(w.filter),
    createdAt: w.createdAt,
    createdBy: w.createdBy,
    ...(w.removedAt !== undefined ? { removedAt: w.removedAt } : {}),
  };
}

export function mapWebhookDelivery(d: WebhookDelivery): WebhookDeliveryType {
  const base: WebhookDeliveryType = {
    id: toGlobalId('WebhookDelivery', d.id),
    __typename: 'WebhookDelivery',
    deliveryId: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    eventType: d.eventType,
    createdAt: d.createdAt,
    status: d.state.status,
    attempts: d.attempts,
    ...(d.lastAttemptAt !== undefined ? { lastAttemptAt: d.lastAttemptAt } : {}),
    ...(d.lastResponseCode !== undefined ? { lastResponseCode: d.lastResponseCode } : {}),
    ...(d.lastError !== undefined ? { lastError: d.lastError } : {}),
  };
  const s = d.state;
  switch (s.status) {
    case 'pending':
      return { ...base, nextAttemptAt: s.nextAttemptAt };
    case 'delivering':
      return base;
    case 'delivered':
      return { ...base, finishedAt: s.deliveredAt };
    case 'failed':
      return { ...base, finishedAt: s.failedAt, lastError: s.reason };
    default:
      throw new UnreachableCaseError(s);
  }
}
