/** GraphQL shapes of baselines (resolved profiles) and their coverage by the stored benchmarks. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Baseline, BaselineCoverage, ControlCoverage } from '../../domain/library.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { resolvedCatalogDownloadPath } from '../../domain/download.js';

@ObjectType('Problem', { description: 'A problem found in an input: the file, the line and column or JSON pointer, and what is wrong.' })
export class ProblemType {
  @Field(() => String, { nullable: true, description: 'The file (or source) the problem is in.' }) file?: string;
  @Field(() => Int, { nullable: true, description: 'Line (1-based) in an XML or YAML file.' }) line?: number;
  @Field(() => Int, { nullable: true, description: 'Column (1-based) in an XML or YAML file.' }) column?: number;
  @Field(() => String, { nullable: true, description: 'JSON pointer in a JSON document, e.g. "/catalog/groups/0".' }) pointer?: string;
  @Field(() => String, { description: 'What is wrong there.' }) message!: string;
}

@ObjectType('Baseline', { implements: NodeInterface, description: 'A baseline: an imported OSCAL profile resolved into a catalog of the controls it selects.' })
export class BaselineType extends NodeInterface {
  @Field(() => String, { description: 'Document id of the stored profile; the `baseline` arguments and `catalogDocumentId` of its controls take it.' }) documentId!: string;
  @Field(() => String, { description: 'uuid of the OSCAL profile; `baseline(ref:)` takes it too (the latest import wins).' }) profileUuid!: string;
  @Field(() => String, { description: 'Title of the profile.' }) title!: string;
  @Field(() => String, { description: 'Version of the profile.' }) version!: string;
  @Field(() => String, { description: 'OSCAL version of the profile.' }) oscalVersion!: string;
  @Field(() => String, { description: 'The name of the profile it was imported from (an upload\'s file name, or the file the CLI read).' }) sourceFile!: string;
  @Field(() => String, { description: 'sha256 (hex) of the profile file.' }) sha256!: string;
  @Field(() => String, { description: 'uuid of the resolved catalog.' }) catalogUuid!: string;
  @Field(() => String, { description: 'When it was resolved (ISO date-time).' }) resolvedAt!: string;
  @Field(() => Int, { description: 'How many controls and enhancements the baseline selects.' }) controlCount!: number;
  @Field(() => [String], { description: 'Where each import of the profile was loaded from: a document given with the profile (its name), a file of the content mirror, or "library:<documentId>" for a stored catalog.' }) sources!: string[];
  @Field(() => [ProblemType], { description: 'Directives the resolution found inoperative (e.g. a selection matching nothing).' }) warnings!: ProblemType[];
  @Field(() => String, { description: 'When it was imported (ISO date-time).' }) importedAt!: string;
  @Field(() => String, { description: 'Who imported it.' }) importedBy!: string;
  @Field(() => String, { description: 'Relative URL of the resolved catalog as OSCAL JSON (GET with the same bearer token; prefix the server origin).' }) catalogDownloadUrl!: string;
  __typename!: NodeTypeName;
}

@ObjectType('ControlCoverage', { description: 'How one control of a baseline is evidenced by benchmark rules.' })
export class ControlCoverageType {
  @Field(() => String, { description: 'Control id, e.g. "ac-2".' }) controlId!: string;
  @Field(() => String, { description: 'Control title.' }) title!: string;
  @Field(() => Int, { description: 'Rules with an automated check that evidence the control.' }) automatedRules!: number;
  @Field(() => Int, { description: 'Rules reviewed by hand that evidence the control.' }) manualRules!: number;
}

@ObjectType('BaselineCoverage', { description: 'How much of a baseline the stored benchmarks evidence, through the CCI list.' })
export class BaselineCoverageType {
  @Field(() => String, { description: 'Document id of the baseline.' }) baselineDocumentId!: string;
  @Field(() => [String], { description: 'Document ids of the benchmarks counted.' }) benchmarkDocumentIds!: string[];
  @Field(() => Int, { description: 'Controls and enhancements in the baseline.' }) totalControls!: number;
  @Field(() => Int, { description: 'Controls with at least one rule.' }) coveredControls!: number;
  @Field(() => Int, { description: 'Controls with at least one automated rule (a check decides it).' }) automatedControls!: number;
  @Field(() => Int, { description: 'Controls evidenced by manual rules only.' }) manualOnlyControls!: number;
  @Field(() => Int, { description: 'Controls no rule evidences.' }) uncoveredControls!: number;
  @Field(() => Float, { description: 'coveredControls / totalControls, from 0 to 1.' }) coveredRatio!: number;
  @Field(() => Int, { description: 'Distinct rules evidencing the baseline.' }) ruleCount!: number;
  @Field(() => Int, { description: 'Of those, the rules with an automated check.' }) automatedRuleCount!: number;
  /** Paged by the `controls` field resolver. */
  controlList!: ControlCoverage[];
}

export function mapBaseline(b: Baseline): BaselineType {
  return { ...b, id: toGlobalId('Baseline', b.documentId), __typename: 'Baseline', warnings: b.warnings.map((w) => ({ ...w })), catalogDownloadUrl: resolvedCatalogDownloadPath(b.documentId) };
}

export function mapBaselineCoverage(c: BaselineCoverage): BaselineCoverageType {
  const { controls, ...rest } = c;
  return { ...rest, coveredRatio: c.totalControls === 0 ? 0 : c.coveredControls / c.totalControls, controlList: controls };
}
