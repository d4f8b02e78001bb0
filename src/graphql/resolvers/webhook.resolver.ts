import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { PageArgs, mapConnection, pageOf, type ConnectionShape } from '../relay/connection.type.js';
import { keyOf } from '../relay/global-id.js';
import { WebhookConnection, WebhookDeliveryConnection } from '../types/connections.type.js';
import { toEventFilter } from '../types/event.type.js';
import {
  RegisterWebhookInput,
  RegisterWebhookPayload,
  RemoveWebhookInput,
  RemoveWebhookPayload,
  WebhookDeliveryFilterInput,
  WebhookDeliveryType,
  WebhookType,
  mapWebhook,
  mapWebhookDelivery,
} from '../types/webhook.type.js';

/** Webhooks: admins only (they send data to a URL of the registrant's choosing). */
@Authorized()
@Resolver()
export class WebhookResolver {
  @Query(() => WebhookConnection, { description: 'Registered webhooks, by name (admins).' })
  async webhooks(@Ctx() ctx: GraphQLContext, @Args(() => PageArgs) page: PageArgs): Promise<ConnectionShape<WebhookType>> {
    return mapConnection(await ctx.services.webhooks.page(pageOf(page)), mapWebhook);
  }

  @Query(() => WebhookType, { nullable: true, description: 'A webhook by id or name (admins); null when there is none.' })
  async webhook(@Ctx() ctx: GraphQLContext, @Arg('ref', () => String, { description: 'The webhook id or name.' }) ref: string): Promise<WebhookType | undefined> {
    const w = await ctx.services.webhooks.get(ref);
    return w && mapWebhook(w);
  }

  @Mutation(() => RegisterWebhookPayload, { description: 'Registers a webhook (admins); the answer holds its signing secret, shown this once.' })
  async registerWebhook(@Ctx() ctx: GraphQLContext, @Arg('input', () => RegisterWebhookInput, { description: 'The webhook.' }) input: RegisterWebhookInput): Promise<RegisterWebhookPayload> {
    const { webhook, secret } = await ctx.services.webhooks.register({ name: input.name, url: input.url, filter: toEventFilter(input.filter) });
    return { webhook: mapWebhook(webhook), secret };
  }

  @Mutation(() => RemoveWebhookPayload, { description: 'Removes a webhook (admins); queued deliveries to it are dropped, its log stays.' })
  async removeWebhook(@Ctx() ctx: GraphQLContext, @Arg('input', () => RemoveWebhookInput, { description: 'The webhook to remove.' }) input: RemoveWebhookInput): Promise<RemoveWebhookPayload> {
    const [id] = keyOf(input.id, 'Webhook');
    return { webhook: mapWebhook(await ctx.services.webhooks.remove(id!)) };
  }
}

@Resolver(() => WebhookType)
export class WebhookDeliveriesResolver {
  @FieldResolver(() => WebhookDeliveryConnection, { description: "The webhook's deliveries, newest first (admins)." })
  async deliveries(
    @Root() webhook: WebhookType,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => WebhookDeliveryFilterInput, { nullable: true, description: 'Which deliveries; omitted: all.' }) filter: WebhookDeliveryFilterInput | undefined,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<ConnectionShape<WebhookDeliveryType>> {
    return mapConnection(await ctx.services.webhooks.deliveries(webhook.webhookId, filter?.status != null ? { status: filter.status } : {}, pageOf(page)), mapWebhookDelivery);
  }
}
