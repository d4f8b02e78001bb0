/** GraphQL shapes of baselines (resolved profiles) and their coverage by the stored benchmarks. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { Baseline, BaselineCoverage } from '../../domain/library.js';
import { resolvedCatalogDownloadPath } from '../../domain/download.js';

@ObjectType({ description: 'A problem found in an input: file, line/column or JSON pointer, and a message.' })
export class ProblemType {
  @Field(() => String, { nullable: true }) file?: string;
  @Field(() => Int, { nullable: true }) line?: number;
  @Field(() => Int, { nullable: true }) column?: number;
  @Field(() => String, { nullable: true }) pointer?: string;
  @Field(() => String) message!: string;
}

@ObjectType({ description: 'A baseline: an imported OSCAL profile and the catalog its resolution produced.' })
export class BaselineType {
  @Field(() => String, { description: 'Document id of the stored profile; its resolved controls are stored under it.' }) documentId!: string;
  @Field(() => String) profileUuid!: string;
  @Field(() => String) title!: string;
  @Field(() => String) version!: string;
  @Field(() => String) oscalVersion!: string;
  @Field(() => String) sourceFile!: string;
  @Field(() => String) sha256!: string;
  @Field(() => String, { description: 'uuid of the resolved catalog.' }) catalogUuid!: string;
  @Field(() => String) resolvedAt!: string;
  @Field(() => Int, { description: 'Controls and enhancements selected.' }) controlCount!: number;
  @Field(() => [String], { description: 'Where each import was loaded from: a document given with the profile (its name), or library:<documentId>.' }) sources!: string[];
  @Field(() => [ProblemType], { description: 'Directives resolution found inoperative.' }) warnings!: ProblemType[];
  @Field(() => String) importedAt!: string;
  @Field(() => String) importedBy!: string;
  @Field(() => String, { description: 'Relative URL (GET, with the bearer token) of the resolved catalog as OSCAL JSON.' }) catalogDownloadUrl!: string;
}

@ObjectType({ description: 'How one control of a baseline is evidenced by benchmark rules.' })
export class ControlCoverageType {
  @Field(() => String) controlId!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) automatedRules!: number;
  @Field(() => Int) manualRules!: number;
}

@ObjectType({ description: 'How much of a baseline the stored benchmarks evidence, through the CCI list.' })
export class BaselineCoverageType {
  @Field(() => String) baselineDocumentId!: string;
  @Field(() => [String]) benchmarkDocumentIds!: string[];
  @Field(() => Int) totalControls!: number;
  @Field(() => Int, { description: 'Controls with at least one rule.' }) coveredControls!: number;
  @Field(() => Int, { description: 'Controls with at least one automated rule (a check decides it).' }) automatedControls!: number;
  @Field(() => Int, { description: 'Controls evidenced by manual rules only.' }) manualOnlyControls!: number;
  @Field(() => Int) uncoveredControls!: number;
  @Field(() => Number, { description: 'coveredControls / totalControls, 0 to 1.' }) coveredRatio!: number;
  @Field(() => Int, { description: 'Distinct rules evidencing the baseline.' }) ruleCount!: number;
  @Field(() => Int) automatedRuleCount!: number;
  @Field(() => [ControlCoverageType]) controls!: ControlCoverageType[];
}

export function mapBaseline(b: Baseline): BaselineType {
  return { ...b, warnings: b.warnings.map((w) => ({ ...w })), catalogDownloadUrl: resolvedCatalogDownloadPath(b.documentId) };
}

export function mapBaselineCoverage(c: BaselineCoverage): BaselineCoverageType {
  return { ...c, coveredRatio: c.totalControls === 0 ? 0 : c.coveredControls / c.totalControls, controls: c.controls.map((x) => ({ ...x })) };
}
