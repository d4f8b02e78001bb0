/**
 * GraphQL shapes of the content library (the third shape per concept, after row and domain type).
 * Plain classes filled by the map functions below; nested lists that need a service call are resolved
 * by field resolvers in resolvers/library.resolver.ts.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import type { OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import type { ControlMapping, StoredBenchmark, StoredControl, StoredDocument, StoredGroup, StoredRule } from '../../domain/services.js';

@ObjectType({ description: 'A count by name (controls, rules, profiles…).' })
export class CountType {
  @Field(() => String) name!: string;
  @Field(() => Int) value!: number;
}

@ObjectType({ description: 'An imported content document: catalog, benchmark or CCI list.' })
export class DocumentType {
  @Field(() => String, { description: 'Plimsoll document id (stable across imports of the same file).' }) documentId!: string;
  @Field(() => String) kind!: string;
  @Field(() => String, { description: 'OSCAL uuid, XCCDF benchmark id, or "cci-list".' }) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { nullable: true }) release?: string;
  @Field(() => String, { nullable: true }) releaseDate?: string;
  @Field(() => String, { nullable: true }) oscalVersion?: string;
  @Field(() => String) sourceFile!: string;
  @Field(() => String) sha256!: string;
  @Field(() => [CountType]) counts!: CountType[];
  @Field(() => String) importedAt!: string;
  @Field(() => String) importedBy!: string;
}

@ObjectType()
export class PropType {
  @Field(() => String) name!: string;
  @Field(() => String) value!: string;
  @Field(() => String, { nullable: true }) ns?: string;
  @Field(() => String, { nullable: true }) class?: string;
}

@ObjectType()
export class LinkType {
  @Field(() => String) href!: string;
  @Field(() => String, { nullable: true }) rel?: string;
  @Field(() => String, { nullable: true }) text?: string;
}

@ObjectType()
export class ParamSelectType {
  @Field(() => String, { nullable: true, description: '"one" or "one-or-more"' }) howMany?: string;
  @Field(() => [String]) choice!: string[];
}

@ObjectType({ description: 'An OSCAL parameter of a control.' })
export class ParamType {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true }) label?: string;
  @Field(() => String, { nullable: true }) class?: string;
  @Field(() => [PropType]) props!: PropType[];
  @Field(() => [String], { description: 'Guideline prose (markdown).' }) guidelines!: string[];
  @Field(() => [String]) values!: string[];
  @Field(() => ParamSelectType, { nullable: true }) select?: ParamSelectType;
}

@ObjectType({ description: 'An OSCAL part (statement, item, guidance…), with its nested parts; prose is markdown.' })
export class PartType {
  @Field(() => String, { nullable: true }) id?: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) ns?: string;
  @Field(() => String, { nullable: true }) class?: string;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => [PropType]) props!: PropType[];
  @Field(() => String, { nullable: true }) prose?: string;
  @Field(() => [PartType]) parts!: PartType[];
}

@ObjectType({ description: 'A catalog group (a control family such as AC).' })
export class GroupType {
  @Field(() => String) catalogDocumentId!: string;
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true }) parentGroupId?: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) class?: string;
  @Field(() => [ParamType]) params!: ParamType[];
  @Field(() => [PartType]) parts!: PartType[];
}

@ObjectType({ description: 'A control or control enhancement.' })
export class ControlType {
  @Field(() => String) catalogDocumentId!: string;
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true, description: 'The enclosing control of an enhancement.' }) parentControlId?: string;
  @Field(() => String, { nullable: true }) groupId?: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) class?: string;
  @Field(() => [ParamType]) params!: ParamType[];
  @Field(() => [PartType]) parts!: PartType[];
  @Field(() => [PropType]) props!: PropType[];
  @Field(() => [LinkType]) links!: LinkType[];
  @Field(() => [String]) enhancementIds!: string[];
}

@ObjectType()
export class ControlPageType {
  @Field(() => [ControlType]) items!: ControlType[];
  @Field(() => Int) total!: number;
}

@ObjectType({ description: 'An XCCDF profile (e.g. MAC-1_Classified) and how many rules it selects.' })
export class BenchmarkProfileType {
  @Field(() => String) id!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) ruleCount!: number;
}

@ObjectType({ description: 'An XCCDF benchmark (a STIG release).' })
export class BenchmarkType extends DocumentType {
  @Field(() => [BenchmarkProfileType]) profiles!: BenchmarkProfileType[];
}

@ObjectType({ description: 'A benchmark rule, keyed by STIG id and check-content hash.' })
export class RuleType {
  @Field(() => String) benchmarkDocumentId!: string;
  @Field(() => String) ruleId!: string;
  @Field(() => String) groupId!: string;
  @Field(() => String) stigId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) severity!: string;
  @Field(() => Number, { nullable: true }) weight?: number;
  @Field(() => String) discussion!: string;
  @Field(() => String) checkContent!: string;
  @Field(() => String) checkContentHash!: string;
  @Field(() => String) fixText!: string;
  @Field(() => [String]) ccis!: string[];
  @Field(() => [String]) legacyIds!: string[];
}

@ObjectType()
export class RulePageType {
  @Field(() => [RuleType]) items!: RuleType[];
  @Field(() => Int) total!: number;
}

@ObjectType({ description: 'An SP 800-53 statement a rule evidences, through one of its CCIs.' })
export class ControlMappingType {
  @Field(() => String) cci!: string;
  @Field(() => String, { description: 'The index as the CCI list writes it ("CM-6 b").' }) index!: string;
  @Field(() => String) revision!: string;
  @Field(() => String) controlId!: string;
  @Field(() => String) statementId!: string;
  @Field(() => String, { nullable: true }) catalogDocumentId?: string;
  @Field(() => Boolean) resolved!: boolean;
  @Field(() => String, { nullable: true, description: 'Set when a withdrawn rev4 control was followed to its successor.' }) via?: string;
}

const countsOf = (counts: Record<string, number>): CountType[] => Object.entries(counts).map(([name, value]) => ({ name, value }));
const propsOf = (props: readonly OscalProp[] | undefined): PropType[] => (props ?? []).map((p) => ({ ...p }));
const linksOf = (links: readonly OscalLink[] | undefined): LinkType[] => (links ?? []).map((l) => ({ ...l }));

export function mapParam(p: OscalParam): ParamType {
  return {
    id: p.id,
    ...(p.label !== undefined ? { label: p.label } : {}),
    ...(p.class !== undefined ? { class: p.class } : {}),
    props: propsOf(p.props),
    guidelines: p.guidelines ?? [],
    values: p.values ?? [],
    ...(p.select ? { select: { ...(p.select.howMany !== undefined ? { howMany: p.select.howMany } : {}), choice: p.select.choice } } : {}),
  };
}

export function mapPart(p: OscalPart): PartType {
  return { ...p, props: propsOf(p.props), parts: (p.parts ?? []).map(mapPart) };
}

export function mapDocument(d: StoredDocument): DocumentType {
  return { ...d, counts: countsOf(d.counts) };
}

export function mapBenchmark(b: StoredBenchmark): BenchmarkType {
  return { ...mapDocument(b), profiles: b.profiles.map((p) => ({ id: p.id, title: p.title, ruleCount: p.selectedRuleIds.length })) };
}

export function mapGroup(g: StoredGroup): GroupType {
  return {
    catalogDocumentId: g.documentId,
    id: g.id,
    ...(g.parentGroupId !== undefined ? { parentGroupId: g.parentGroupId } : {}),
    title: g.title,
    ...(g.class !== undefined ? { class: g.class } : {}),
    params: g.params.map(mapParam),
    parts: g.parts.map(mapPart),
  };
}

export function mapControl(c: StoredControl): ControlType {
  return {
    catalogDocumentId: c.documentId,
    id: c.id,
    ...(c.parentControlId !== undefined ? { parentControlId: c.parentControlId } : {}),
    ...(c.groupId !== undefined ? { groupId: c.groupId } : {}),
    title: c.title,
    ...(c.class !== undefined ? { class: c.class } : {}),
    params: c.params.map(mapParam),
    parts: c.parts.map(mapPart),
    props: propsOf(c.props),
    links: linksOf(c.links),
    enhancementIds: c.enhancementIds,
  };
}

export function mapRule(r: StoredRule): RuleType {
  const { documentId, ...rule } = r;
  return { benchmarkDocumentId: documentId, ...rule };
}

export function mapControlMapping(m: ControlMapping): ControlMappingType {
  return { ...m };
}
