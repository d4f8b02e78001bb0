import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import type { PlimsollEvent } from '../../domain/events.js';
import type { GraphQLContext } from '../context.js';
import { EventFilterInput, EventInterface, mapEvent, toEventFilter } from '../types/event.type.js';

/**
 * Live events over graphql-ws (the same /graphql URL, the same bearer credential in `connection_init`). The
 * stream comes from the notification service through the caller's gateway-bound services: an anonymous
 * caller is refused there, and each event reaches only callers who may read what it is about.
 */
@Authorized()
@Resolver()
export class EventResolver {
  @Subscription(() => EventInterface, {
    description: 'Assessment progress (started, each node collected or failed, completed), drift and expiry events you may read, as they happen. Over graphql-ws on /graphql.',
    subscribe: ({ args, context }) => (context as GraphQLContext).services.notifications.subscribe(toEventFilter((args as { filter?: EventFilterInput }).filter)),
  })
  events(
    @Root() event: PlimsollEvent,
    @Arg('filter', () => EventFilterInput, { nullable: true, description: 'Which events; omitted: all you may read.' }) _filter: EventFilterInput | undefined,
  ): EventInterface {
    return mapEvent(event);
  }
}
