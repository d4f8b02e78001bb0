/** GraphQL shapes of a diff between two benchmark releases. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { BenchmarkDiff, ChangedRule, DiffRule, DiffSide } from '../../domain/library.js';

@ObjectType({ description: 'One side of a benchmark diff: a stored release or a file.' })
export class DiffSideType {
  @Field(() => String, { description: 'The stored document id, or the name of the uploaded file.' }) ref!: string;
  @Field(() => String) benchmarkId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { nullable: true }) release?: string;
  @Field(() => String, { nullable: true }) releaseDate?: string;
  @Field(() => Int) ruleCount!: number;
}

@ObjectType({ description: 'A rule as a diff shows it.' })
export class DiffRuleType {
  @Field(() => String) stigId!: string;
  @Field(() => String) ruleId!: string;
  @Field(() => String) groupId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) severity!: string;
  @Field(() => String) checkContentHash!: string;
}

@ObjectType({ description: 'A rule present in both releases (same STIG id) with something changed.' })
export class ChangedRuleType {
  @Field(() => String) stigId!: string;
  @Field(() => DiffRuleType) old!: DiffRuleType;
  @Field(() => DiffRuleType) new!: DiffRuleType;
  @Field(() => [String], { description: 'check-content, title, severity, fix-text, ccis' }) changes!: string[];
  @Field(() => Boolean, { description: 'True when the check content hash is unchanged: reviews and attestations carry over.' }) carriesOver!: boolean;
}

@ObjectType({ description: 'Rules added, removed and changed between two releases, keyed by STIG id and check-content hash.' })
export class BenchmarkDiffType {
  @Field(() => DiffSideType) old!: DiffSideType;
  @Field(() => DiffSideType) new!: DiffSideType;
  @Field(() => [DiffRuleType]) added!: DiffRuleType[];
  @Field(() => [DiffRuleType]) removed!: DiffRuleType[];
  @Field(() => [ChangedRuleType]) changed!: ChangedRuleType[];
  @Field(() => Int) unchangedCount!: number;
  @Field(() => Int, { description: 'Rules in both releases with the same check-content hash.' }) carriedOverCount!: number;
}

const mapSide = (s: DiffSide): DiffSideType => ({ ...s });
const mapRule = (r: DiffRule): DiffRuleType => ({ ...r });
const mapChanged = (c: ChangedRule): ChangedRuleType => ({ stigId: c.stigId, old: mapRule(c.old), new: mapRule(c.new), changes: [...c.changes], carriesOver: c.carriesOver });

export function mapBenchmarkDiff(d: BenchmarkDiff): BenchmarkDiffType {
  return {
    old: mapSide(d.old), new: mapSide(d.new), added: d.added.map(mapRule), removed: d.removed.map(mapRule), changed: d.changed.map(mapChanged),
    unchangedCount: d.unchangedCount, carriedOverCount: d.carriedOverCount,
  };
}
