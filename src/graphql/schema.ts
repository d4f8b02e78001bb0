import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import { AdminResolver } from './resolvers/admin.resolver.js';
import { AssessmentResolver } from './resolvers/assessment.resolver.js';
import { AssetResolver } from './resolvers/asset.resolver.js';
import { BaselineResolver, ControlBaselinesResolver } from './resolvers/baseline.resolver.js';
import { CatalogResolver } from './resolvers/catalog.resolver.js';
import { DiffResolver } from './resolvers/diff.resolver.js';
import { ExemptionResolver } from './resolvers/exemption.resolver.js';
import { BenchmarkResolver, ControlResolver, GroupResolver, LibraryResolver, RuleResolver } from './resolvers/library.resolver.js';
import { NodeResolver } from './resolvers/node.resolver.js';
import { SearchResolver } from './resolvers/search.resolver.js';
import { TargetResultResolver } from './resolvers/target-result.resolver.js';

let built: Promise<GraphQLSchema> | undefined;

/** The GraphQL schema, built once per process from the resolver classes. */
export function buildPlimsollSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [LibraryResolver, CatalogResolver, GroupResolver, ControlResolver, BenchmarkResolver, RuleResolver, NodeResolver, AssessmentResolver, AdminResolver, ExemptionResolver, BaselineResolver, ControlBaselinesResolver, DiffResolver, SearchResolver, TargetResultResolver, AssetResolver],
    authChecker,
    validate: false,
  });
  return built;
}
