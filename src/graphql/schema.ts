import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import { AssessmentResolver, RuleResultResolver } from './resolvers/assessment.resolver.js';
import { AuditChainVerificationResolver, AuditResolver } from './resolvers/audit.resolver.js';
import { AssetResolver } from './resolvers/asset.resolver.js';
import { BaselineCoverageResolver, BaselineResolver, ControlBaselinesResolver, ProfileResolver } from './resolvers/baseline.resolver.js';
import { DiffResolver } from './resolvers/diff.resolver.js';
import { DockerNodeResolver } from './resolvers/docker-node.resolver.js';
import { SupplyChainResolver } from './resolvers/supply-chain.resolver.js';
import { AssessmentDriftResolver, DockerNodeReferenceResolver, DriftComparisonResolver, DriftReportResolver, ReferenceRunResolver } from './resolvers/drift.resolver.js';
import { HistoryResolver } from './resolvers/history.resolver.js';
import { ErrorCodeResolver } from './resolvers/error-code.resolver.js';
import { ExemptionResolver } from './resolvers/exemption.resolver.js';
import { ReviewResolver } from './resolvers/review.resolver.js';
import { BenchmarkResolver, CatalogResolver, ControlResolver, GroupResolver, LibraryResolver, RuleResolver } from './resolvers/library.resolver.js';
import { NodeResolver } from './resolvers/node.resolver.js';
import { ApplyRemediationPayloadResolver, RemediationResolver } from './resolvers/remediation.resolver.js';
import { ReportResolver } from './resolvers/report.resolver.js';
import { ChecklistResolver } from './resolvers/checklist.resolver.js';
import { SearchResolver } from './resolvers/search.resolver.js';
import { UserResolver, UserTokensResolver } from './resolvers/user.resolver.js';
import { TargetObservationsResolver, TargetResultResolver } from './resolvers/target-result.resolver.js';
import { CciListType, ProfileType } from './types/content.type.js';
import { EvidenceChangeType, ExpiryNoticeType, NewerReleaseType, NodeNotComparedType, RulePresenceChangeType, RuleTransitionType, TargetPresenceChangeType } from './types/drift.type.js';
import { EventResolver } from './resolvers/event.resolver.js';
import { ScheduleJobsResolver, ScheduleResolver } from './resolvers/schedule.resolver.js';
import { WebhookDeliveriesResolver, WebhookResolver } from './resolvers/webhook.resolver.js';
import { EVENT_OBJECT_TYPES } from './types/event.type.js';

let built: Promise<GraphQLSchema> | undefined;

const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('subscriptions have no topics: events are published on the event bus');
  },
  subscribe() {
    throw new Error('subscriptions have no topics: events come from the notification service');
  },
};

/** type-graphql has no option to describe the root types; they are described once the schema is built. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = 'Reads. Every field needs a bearer token; list fields are Relay connections (at most 100 edges a page).';
  if (mutation) mutation.description = 'Changes. Each takes one `input` argument, leaves an audit record (refusals and anonymous attempts included) and needs the role it names.';
  const subscription = schema.getSubscriptionType();
  if (subscription) subscription.description = 'Live events over graphql-ws on the same /graphql URL, with the same bearer credential (in `connection_init`) and the same query limits.';
  return schema;
}

/** The GraphQL schema, built once per process from the resolver classes. */
export function buildPlimsollSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      NodeResolver, ErrorCodeResolver, UserResolver, UserTokensResolver, AuditResolver, AuditChainVerificationResolver, LibraryResolver, CatalogResolver, GroupResolver, ControlResolver, BenchmarkResolver, RuleResolver, DockerNodeResolver,
      AssessmentResolver, RuleResultResolver, ExemptionResolver, ReviewResolver, BaselineResolver, ControlBaselinesResolver, BaselineCoverageResolver, ProfileResolver, DiffResolver, SearchResolver,
      TargetResultResolver, TargetObservationsResolver, AssetResolver,
      DriftComparisonResolver, AssessmentDriftResolver, DriftReportResolver, ReferenceRunResolver, DockerNodeReferenceResolver, HistoryResolver,
      ScheduleResolver, ScheduleJobsResolver, WebhookResolver, WebhookDeliveriesResolver, EventResolver,
      RemediationResolver, ApplyRemediationPayloadResolver, ReportResolver, ChecklistResolver,
      SupplyChainResolver,
    ],
    // Reached only through the Document, DriftChange and Event interfaces, so named here to be part of the schema.
    orphanedTypes: [CciListType, ProfileType, RuleTransitionType, TargetPresenceChangeType, EvidenceChangeType, RulePresenceChangeType, NodeNotComparedType, ExpiryNoticeType, NewerReleaseType, ...EVENT_OBJECT_TYPES],
    authChecker,
    // type-graphql wants a PubSub once any subscription exists; ours take their stream from the notification
    // service (`subscribe`), so topics are never used and this one refuses to be.
    pubSub: NO_TOPICS,
    validate: false,
  }).then(describeRoots);
  return built;
}
