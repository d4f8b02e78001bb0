/** GraphQL shapes of a diff between two benchmark releases. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { BenchmarkDiff, ChangedRule, DiffRule, DiffSide } from '../../domain/library.js';
import { RuleChangeEnum, SeverityEnum } from './enums.js';

@ObjectType('BenchmarkDiffSide', { description: 'One side of a benchmark diff: a stored release, or an upload parsed without storing it.' })
export class BenchmarkDiffSideType {
  @Field(() => String, { description: 'What the side was read from: a stored document id, or the name of the uploaded file.' }) source!: string;
  @Field(() => String, { description: 'XCCDF benchmark id.' }) benchmarkId!: string;
  @Field(() => String, { description: 'Title.' }) title!: string;
  @Field(() => String, { description: 'Version (a STIG: its major version).' }) version!: string;
  @Field(() => String, { nullable: true, description: 'Release (a STIG: the R in V2R2).' }) release?: string;
  @Field(() => String, { nullable: true, description: 'Release date (ISO date).' }) releaseDate?: string;
  @Field(() => Int, { description: 'How many rules this side has.' }) ruleCount!: number;
}

@ObjectType('DiffRule', { description: 'A rule as a diff shows it.' })
export class DiffRuleType {
  @Field(() => String, { description: 'STIG id, e.g. "DKER-EE-001960".' }) stigId!: string;
  @Field(() => String, { description: 'XCCDF rule id on this side.' }) ruleId!: string;
  @Field(() => String, { description: 'XCCDF group id on this side.' }) groupId!: string;
  @Field(() => String, { description: 'Title on this side.' }) title!: string;
  @Field(() => SeverityEnum, { description: 'Severity on this side.' }) severity!: string;
  @Field(() => String, { description: 'sha256 of the check text on this side.' }) checkContentHash!: string;
}

@ObjectType('ChangedRule', { description: 'A rule present in both releases (same STIG id) with something changed.' })
export class ChangedRuleType {
  @Field(() => String, { description: 'STIG id.' }) stigId!: string;
  @Field(() => DiffRuleType, { description: 'The rule in the old release.' }) old!: DiffRuleType;
  @Field(() => DiffRuleType, { description: 'The rule in the new release.' }) new!: DiffRuleType;
  @Field(() => [RuleChangeEnum], { description: 'What changed.' }) changes!: string[];
  @Field(() => Boolean, { description: 'True when the check text is unchanged: reviews and attestations carry over.' }) carriesOver!: boolean;
}

@ObjectType('BenchmarkDiff', { description: 'Rules added, removed and changed between two releases, keyed by STIG id and check-content hash.' })
export class BenchmarkDiffType {
  @Field(() => BenchmarkDiffSideType, { description: 'The old release.' }) old!: BenchmarkDiffSideType;
  @Field(() => BenchmarkDiffSideType, { description: 'The new release.' }) new!: BenchmarkDiffSideType;
  @Field(() => Int, { description: 'Rules in both releases with nothing changed.' }) unchangedCount!: number;
  @Field(() => Int, { description: 'Rules in both releases with the same check-content hash (reviews carry over).' }) carriedOverCount!: number;
  /** Paged by the field resolvers. */
  addedList!: DiffRuleType[];
  removedList!: DiffRuleType[];
  changedList!: ChangedRuleType[];
}

const mapSide = (s: DiffSide): BenchmarkDiffSideType => {
  const { ref, ...rest } = s;
  return { ...rest, source: ref };
};
const mapDiffRule = (r: DiffRule): DiffRuleType => ({ ...r });
const mapChanged = (c: ChangedRule): ChangedRuleType => ({ stigId: c.stigId, old: mapDiffRule(c.old), new: mapDiffRule(c.new), changes: [...c.changes], carriesOver: c.carriesOver });

export function mapBenchmarkDiff(d: BenchmarkDiff): BenchmarkDiffType {
  return {
    old: mapSide(d.old), new: mapSide(d.new), unchangedCount: d.unchangedCount, carriedOverCount: d.carriedOverCount,
    addedList: d.added.map(mapDiffRule), removedList: d.removed.map(mapDiffRule), changedList: d.changed.map(mapChanged),
  };
}
