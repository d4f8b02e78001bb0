/** GraphQL shapes of OSCAL's small parts (props, links, parameters, parts) shared by groups and controls. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import { ParamCardinalityEnum } from './enums.js';

@ObjectType('Count', { description: 'How many items of one kind a document holds (controls, groups, rules, profiles…).' })
export class CountType {
  @Field(() => String, { description: 'What is counted, e.g. "controls" or "rules".' }) name!: string;
  @Field(() => Int, { description: 'How many.' }) value!: number;
}

@ObjectType('Prop', { description: 'An OSCAL property: a name/value pair, optionally namespaced and classed.' })
export class PropType {
  @Field(() => String, { description: 'Property name, e.g. "label" or "status".' }) name!: string;
  @Field(() => String, { description: 'Property value, e.g. "AC-2" or "withdrawn".' }) value!: string;
  @Field(() => String, { nullable: true, description: "Namespace URI of the property's name; null for OSCAL's own." }) ns?: string;
  @Field(() => String, { nullable: true, description: 'OSCAL class of the property.' }) class?: string;
}

@ObjectType('Link', { description: 'An OSCAL link to another control or a resource.' })
export class LinkType {
  @Field(() => String, { description: 'Target: "#ac-3" for a control of the same catalog, or a URI.' }) href!: string;
  @Field(() => String, { nullable: true, description: 'Relation, e.g. "related", "moved-to", "incorporated-into".' }) rel?: string;
  @Field(() => String, { nullable: true, description: 'Link text.' }) text?: string;
}

@ObjectType('ParamSelection', { description: "A parameter's choices, of which an organization selects one or more." })
export class ParamSelectionType {
  @Field(() => ParamCardinalityEnum, { nullable: true, description: 'How many choices may be selected; null when the catalog does not say.' }) howMany?: string;
  @Field(() => [String], { description: 'The choices, as prose (markdown).' }) choice!: string[];
}

@ObjectType('Param', { description: 'An OSCAL parameter of a control or group: an organization-defined value.' })
export class ParamType {
  @Field(() => String, { description: 'Parameter id, e.g. "ac-01_odp.01".' }) paramId!: string;
  @Field(() => String, { nullable: true, description: 'Short label, e.g. "personnel or roles".' }) label?: string;
  @Field(() => String, { nullable: true, description: 'OSCAL class of the parameter.' }) class?: string;
  @Field(() => [PropType], { description: 'Properties of the parameter.' }) props!: PropType[];
  @Field(() => [String], { description: 'Guideline prose (markdown) on choosing a value.' }) guidelines!: string[];
  @Field(() => [String], { description: 'Values set by the catalog or a profile (empty when left to the organization).' }) values!: string[];
  @Field(() => ParamSelectionType, { nullable: true, description: 'Choices to select from, when the parameter is a selection.' }) select?: ParamSelectionType;
}

@ObjectType('Part', { description: 'An OSCAL part (statement, item, guidance, objective…) with its nested parts; prose is markdown.' })
export class PartType {
  @Field(() => String, { nullable: true, description: 'Part id, e.g. "ac-1_smt.a"; statement ids are what rules map to.' }) partId?: string;
  @Field(() => String, { description: 'Part name, e.g. "statement", "item", "guidance".' }) name!: string;
  @Field(() => String, { nullable: true, description: "Namespace URI of the part's name; null for OSCAL's own." }) ns?: string;
  @Field(() => String, { nullable: true, description: 'OSCAL class of the part.' }) class?: string;
  @Field(() => String, { nullable: true, description: 'Title of the part.' }) title?: string;
  @Field(() => [PropType], { description: 'Properties of the part (e.g. its label "a.").' }) props!: PropType[];
  @Field(() => String, { nullable: true, description: 'Prose (markdown); parameters appear as `{{ insert: param, id }}`.' }) prose?: string;
  @Field(() => [PartType], { description: 'Nested parts, in document order.' }) parts!: PartType[];
}

export const propsOf = (props: readonly OscalProp[] | undefined): PropType[] => (props ?? []).map((p) => ({ ...p }));
export const linksOf = (links: readonly OscalLink[] | undefined): LinkType[] => (links ?? []).map((l) => ({ ...l }));
export const countsOf = (counts: Record<string, number>): CountType[] => Object.entries(counts).map(([name, value]) => ({ name, value }));

const CARDINALITIES: readonly string[] = Object.values(ParamCardinalityEnum);

/** Domain → GraphQL. A cardinality OSCAL does not define is left out rather than failing the whole control. */
export function mapParam(p: OscalParam): ParamType {
  const howMany = p.select?.howMany !== undefined && CARDINALITIES.includes(p.select.howMany) ? p.select.howMany : undefined;
  return {
    paramId: p.id,
    ...(p.label !== undefined ? { label: p.label } : {}),
    ...(p.class !== undefined ? { class: p.class } : {}),
    props: propsOf(p.props),
    guidelines: p.guidelines ?? [],
    values: p.values ?? [],
    ...(p.select ? { select: { ...(howMany !== undefined ? { howMany } : {}), choice: p.select.choice } } : {}),
  };
}

/** Domain → GraphQL, nested parts included. */
export function mapPart(p: OscalPart): PartType {
  const { id, parts, props, ...rest } = p;
  return { ...rest, ...(id !== undefined ? { partId: id } : {}), props: propsOf(props), parts: (parts ?? []).map(mapPart) };
}
