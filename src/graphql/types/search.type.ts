/** GraphQL connections of the full-text search, and the rules that evidence a control. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { Connection, RuleEvidence } from '../../domain/library.js';
import type { StoredControl, StoredRule } from '../../domain/services.js';
import { ControlType, RuleType, mapControl, mapRule } from './content.type.js';
import { PageInfoType, mapPageInfo } from './pagination.type.js';

@ObjectType()
export class ControlEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => ControlType) node!: ControlType;
}

@ObjectType({ description: 'A page of controls, with opaque cursors.' })
export class ControlConnectionType {
  @Field(() => [ControlEdgeType]) edges!: ControlEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Matches in all pages.' }) totalCount!: number;
}

@ObjectType()
export class RuleEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => RuleType) node!: RuleType;
}

@ObjectType({ description: 'A page of rules, with opaque cursors.' })
export class RuleConnectionType {
  @Field(() => [RuleEdgeType]) edges!: RuleEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
  @Field(() => Int, { description: 'Matches in all pages.' }) totalCount!: number;
}

@ObjectType({ description: 'A benchmark rule that evidences a control through its CCIs.' })
export class RuleEvidenceType {
  @Field(() => String) benchmarkId!: string;
  @Field(() => String, { nullable: true }) benchmarkRelease?: string;
  @Field(() => RuleType) rule!: RuleType;
  @Field(() => [String], { description: "The rule's CCIs that map to the control." }) ccis!: string[];
  @Field(() => [String], { description: 'The statements (cm-6_smt.b) or whole controls they name.' }) statementIds!: string[];
  @Field(() => Boolean, { description: 'A check decides the rule from collected facts; otherwise it is manual.' }) automated!: boolean;
}

export function mapControlConnection(c: Connection<StoredControl>): ControlConnectionType {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: mapControl(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}

export function mapRuleConnection(c: Connection<StoredRule>): RuleConnectionType {
  return { edges: c.edges.map((e) => ({ cursor: e.cursor, node: mapRule(e.node) })), pageInfo: mapPageInfo(c.pageInfo), totalCount: c.totalCount };
}

export function mapRuleEvidence(e: RuleEvidence): RuleEvidenceType {
  return {
    benchmarkId: e.benchmarkId,
    ...(e.benchmarkRelease !== undefined ? { benchmarkRelease: e.benchmarkRelease } : {}),
    rule: mapRule({ ...e.rule, documentId: e.benchmarkDocumentId }),
    ccis: e.ccis,
    statementIds: e.statementIds,
    automated: e.automated,
  };
}
