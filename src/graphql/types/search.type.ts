/** GraphQL inputs of the full-text search, and the rules that evidence a control. */
import { Field, InputType, ObjectType } from 'type-graphql';
import type { RuleEvidence } from '../../domain/library.js';
import type { Severity } from '../../domain/results.js';
import { RuleType, mapRule } from './content.type.js';
import { SeverityEnum } from './enums.js';

@InputType('ControlSearchInput', { description: 'Which controls to search; every field given narrows the search.' })
export class ControlSearchInput {
  @Field(() => String, { nullable: true, description: 'Words to match in ids, titles and prose (all must match; the last may be a prefix). Omitted: every control in document order.' }) query?: string;
  @Field(() => String, { nullable: true, description: 'Group (family) id, e.g. "ac".' }) family?: string;
  @Field(() => String, { nullable: true, description: "Search this baseline's controls (document id or profile uuid) instead of the catalogs'." }) baseline?: string;
  @Field(() => String, { nullable: true, description: 'Search one catalog (its document id).' }) catalog?: string;
}

@InputType('RuleSearchInput', { description: 'Which rules to search; every field given narrows the search.' })
export class RuleSearchInput {
  @Field(() => String, { nullable: true, description: 'Words to match in STIG ids, titles, discussion, check and fix text. Omitted: every rule in document order.' }) query?: string;
  @Field(() => SeverityEnum, { nullable: true, description: 'Only rules of this severity.' }) severity?: Severity;
  @Field(() => String, { nullable: true, description: 'Benchmark document id, or XCCDF benchmark id (every stored release).' }) benchmark?: string;
}

@ObjectType('RuleEvidence', { description: 'A benchmark rule that evidences a control through its CCIs.' })
export class RuleEvidenceType {
  @Field(() => String, { description: 'XCCDF benchmark id of the release.' }) benchmarkId!: string;
  @Field(() => String, { nullable: true, description: 'Release of the benchmark.' }) benchmarkRelease?: string;
  @Field(() => RuleType, { description: 'The rule.' }) rule!: RuleType;
  @Field(() => [String], { description: "The rule's CCIs that map to the control." }) ccis!: string[];
  @Field(() => [String], { description: 'The statements (e.g. "cm-6_smt.b") or whole controls they name.' }) statementIds!: string[];
  @Field(() => Boolean, { description: 'True when a check decides the rule from collected facts; false: manual review.' }) automated!: boolean;
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

/** Drops GraphQL nulls from an input object. */
export function definedOf<T extends object>(input: T | null | undefined): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(input ?? {}).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };
}
