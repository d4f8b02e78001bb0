import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { UnreachableCaseError } from '../../domain/errors.js';
import type { GraphQLContext } from '../context.js';
import { fromGlobalId } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { mapAssessment } from '../types/assessment.type.js';
import { mapBaseline } from '../types/baseline.type.js';
import { mapBenchmark, mapControl, mapDocument, mapRule } from '../types/content.type.js';
import { mapDockerNode } from '../types/docker-node.type.js';
import { mapExemption } from '../types/exemption.type.js';
import { mapRemediationPlan } from '../types/remediation.type.js';
import { mapManualReview } from '../types/review.type.js';
import { mapApiToken, mapUser } from '../types/user.type.js';
import { mapAssessedNode, mapTargetResult } from '../types/target-result.type.js';
import { mapDriftReport, mapReferenceRun } from '../types/drift.type.js';
import { mapSchedule, mapScheduleJob } from '../types/schedule.type.js';
import { mapWebhook, mapWebhookDelivery } from '../types/webhook.type.js';
import { mapRegistry, mapTrustServer } from '../types/supply-chain.type.js';

/** Relay object identification: any Node refetched by its global id. */
@Authorized()
@Resolver()
export class NodeResolver {
  @Query(() => NodeInterface, { nullable: true, description: 'Any object implementing Node, by its global id; null when it no longer exists.' })
  async node(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID, { description: 'The `id` of an object the API returned.' }) id: string): Promise<NodeInterface | undefined> {
    const { type, key } = fromGlobalId(id);
    const [a = '', b = ''] = key;
    const s = ctx.services;
    switch (type) {
      case 'Assessment':
        return s.assessments.get(a).then((x) => x && mapAssessment(x));
      case 'Rule':
        return s.library.getRule(a, b).then((x) => (x && x.ruleId === b ? mapRule(x) : undefined));
      case 'Benchmark':
        return s.library.findBenchmark(a).then((x) => (x && x.documentId === a ? mapBenchmark(x) : undefined));
      case 'Catalog':
      case 'Profile':
      case 'CciList':
        return s.library.getDocument(a).then((x) => (x ? mapDocument(x) : undefined)).then((x) => (x?.__typename === type ? x : undefined));
      case 'Baseline':
        return s.baselines.get(a).then((x) => (x && x.documentId === a ? mapBaseline(x) : undefined));
      case 'Control':
        return s.library.getControl(a, b).then((x) => x && mapControl(x));
      case 'Exemption':
        return s.exemptions.get(a).then((x) => x && mapExemption(x));
      case 'RemediationPlan':
        return s.remediation.get(a).then((x) => x && mapRemediationPlan(x));
      case 'ManualReview':
        return s.reviews.get(a).then((x) => x && mapManualReview(x));
      case 'DockerNode':
        return s.nodes.find(a).then((x) => (x && x.id === a ? mapDockerNode(x) : undefined));
      case 'TargetResult':
        return /^\d+$/.test(a) ? s.assessments.targetResult(Number(a)).then((x) => x && mapTargetResult(x)) : undefined;
      case 'AssessedNode':
        return s.assessments.assessedNode(a, b).then((x) => x && mapAssessedNode(a, x));
      case 'ApiToken':
        // An admin or the token's owner (the user service's rule); anyone else is refused.
        return s.users.getToken(a).then((x) => x && mapApiToken(x));
      case 'DriftReport':
        return s.drift.report(a).then((x) => x && mapDriftReport(x));
      case 'ReferenceRun':
        return s.drift.reference(a, b).then((x) => x && mapReferenceRun(x));
      case 'User':
        // An admin or the user themself (the user service's rule).
        return s.users.getUser(a).then((x) => x && mapUser(x));
      case 'Schedule':
        return s.schedules.get(a, { includeRemoved: true }).then((x) => (x && x.id === a ? mapSchedule(x) : undefined));
      case 'ScheduleJob':
        return s.schedules.job(a).then((x) => x && mapScheduleJob(x));
      case 'Webhook':
        return s.webhooks.get(a, { includeRemoved: true }).then((x) => (x && x.id === a ? mapWebhook(x) : undefined));
      case 'WebhookDelivery':
        return s.webhooks.delivery(a).then((x) => x && mapWebhookDelivery(x));
      case 'Registry':
        return s.supplyChain.getRegistry(a).then((x) => (x && x.id === a ? mapRegistry(x) : undefined));
      case 'TrustServer':
        return s.supplyChain.getTrustServer(a).then((x) => (x && x.id === a ? mapTrustServer(x) : undefined));
      default:
        throw new UnreachableCaseError(type);
    }
  }
}
