import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import { AssessmentResolver, RuleResultResolver } from './resolvers/assessment.resolver.js';
import { AuditChainVerificationResolver, AuditResolver } from './resolvers/audit.resolver.js';
import { AssetResolver } from './resolvers/asset.resolver.js';
import { BaselineCoverageResolver, BaselineResolver, ControlBaselinesResolver, ProfileResolver } from './resolvers/baseline.resolver.js';
import { DiffResolver } from './resolvers/diff.resolver.js';
import { DockerNodeResolver } from './resolvers/docker-node.resolver.js';
import { ErrorCodeResolver } from './resolvers/error-code.resolver.js';
import { ExemptionResolver } from './resolvers/exemption.resolver.js';
import { BenchmarkResolver, CatalogResolver, ControlResolver, GroupResolver, LibraryResolver, RuleResolver } from './resolvers/library.resolver.js';
import { NodeResolver } from './resolvers/node.resolver.js';
import { ReportResolver } from './resolvers/report.resolver.js';
import { SearchResolver } from './resolvers/search.resolver.js';
import { UserResolver, UserTokensResolver } from './resolvers/user.resolver.js';
import { TargetObservationsResolver, TargetResultResolver } from './resolvers/target-result.resolver.js';
import { CciListType, ProfileType } from './types/content.type.js';

let built: Promise<GraphQLSchema> | undefined;

/** type-graphql has no option to describe the root types; they are described once the schema is built. */
function describeRoots(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = 'Reads. Every field needs a bearer token; list fields are Relay connections (at most 100 edges a page).';
  if (mutation) mutation.description = 'Changes. Each takes one `input` argument, leaves an audit record (refusals and anonymous attempts included) and needs the role it names.';
  return schema;
}

/** The GraphQL schema, built once per process from the resolver classes. */
export function buildPlimsollSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      NodeResolver, ErrorCodeResolver, UserResolver, UserTokensResolver, AuditResolver, AuditChainVerificationResolver, LibraryResolver, CatalogResolver, GroupResolver, ControlResolver, BenchmarkResolver, RuleResolver, DockerNodeResolver,
      AssessmentResolver, RuleResultResolver, ExemptionResolver, BaselineResolver, ControlBaselinesResolver, BaselineCoverageResolver, ProfileResolver, DiffResolver, SearchResolver,
      TargetResultResolver, TargetObservationsResolver, AssetResolver, ReportResolver,
    ],
    // Reached only through the Document interface, so named here to be part of the schema.
    orphanedTypes: [CciListType, ProfileType],
    authChecker,
    validate: false,
  }).then(describeRoots);
  return built;
}
