/**
 * GraphQL shapes of the content library (the third shape per concept, after row and domain type): the
 * Document interface and its kinds, catalog groups and controls, benchmark rules and their 800-53 mappings.
 * Plain classes filled by the map functions below; lists that need a service call are resolved by the
 * field resolvers in resolvers/library.resolver.ts.
 */
import { Field, Float, Int, InterfaceType, ObjectType } from 'type-graphql';
import type { DocumentKind } from '../../domain/content.js';
import type { ControlMapping, StoredBenchmark, StoredControl, StoredDocument, StoredGroup, StoredRule } from '../../domain/services.js';
import { toGlobalId, type NodeTypeName } from '../relay/global-id.js';
import { NodeInterface } from '../relay/node.type.js';
import { DocumentKindEnum, SeverityEnum } from './enums.js';
import { CountType, LinkType, ParamType, PartType, PropType, countsOf, linksOf, mapParam, mapPart, propsOf } from './oscal.type.js';

const TYPE_OF_KIND: Record<DocumentKind, NodeTypeName> = { catalog: 'Catalog', profile: 'Profile', benchmark: 'Benchmark', 'cci-list': 'CciList' };

@InterfaceType('Document', {
  implements: NodeInterface,
  description: 'An imported content document: a catalog, a profile, a benchmark or the CCI list. Documents are immutable once imported.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class DocumentInterface extends NodeInterface {
  @Field(() => String, { description: 'Plimsoll document id (the same file imported again keeps it); the `documentId` arguments take it.' }) documentId!: string;
  @Field(() => DocumentKindEnum, { description: 'What the document is.' }) kind!: DocumentKind;
  @Field(() => String, { description: 'The id the content declares: the OSCAL uuid of a catalog or profile, the XCCDF benchmark id of a benchmark, "cci-list" for the CCI list.' }) contentId!: string;
  @Field(() => String, { description: 'Title as the document gives it.' }) title!: string;
  @Field(() => String, { description: 'Version as the document gives it (a STIG: its major version, e.g. "2").' }) version!: string;
  @Field(() => String, { nullable: true, description: 'Release of a STIG (e.g. "2" in V2R2); null for other kinds.' }) release?: string;
  @Field(() => String, { nullable: true, description: 'Release date (ISO date), when the document gives one.' }) releaseDate?: string;
  @Field(() => String, { nullable: true, description: 'OSCAL version of an OSCAL document (e.g. "1.1.2"); null for others.' }) oscalVersion?: string;
  @Field(() => String, { description: 'The file the document was imported from (a path on the server at import time).' }) sourceFile!: string;
  @Field(() => String, { description: 'sha256 (hex) of the imported file: compare with the official hash.' }) sha256!: string;
  @Field(() => [CountType], { description: 'How many items of each kind the document holds.' }) counts!: CountType[];
  @Field(() => String, { description: 'When it was imported (ISO date-time, UTC).' }) importedAt!: string;
  @Field(() => String, { description: 'Who imported it (the name of the caller).' }) importedBy!: string;
  __typename!: NodeTypeName;
}

@ObjectType('Catalog', { implements: [NodeInterface, DocumentInterface], description: 'An OSCAL catalog (e.g. NIST SP 800-53 rev5): groups (families) of controls.' })
export class CatalogType extends DocumentInterface {}

@ObjectType('CciList', { implements: [NodeInterface, DocumentInterface], description: "DISA's CCI list: maps each CCI to SP 800-53 statements." })
export class CciListType extends DocumentInterface {}

@ObjectType('Profile', { implements: [NodeInterface, DocumentInterface], description: 'An imported OSCAL profile; its resolution is its `baseline`.' })
export class ProfileType extends DocumentInterface {}

@ObjectType('BenchmarkProfile', { description: 'An XCCDF profile of a benchmark (e.g. MAC-1_Classified) and how many rules it selects.' })
export class BenchmarkProfileType {
  @Field(() => String, { description: 'Profile id; pass it as `profileId` of RunAssessmentInput to assess only its rules.' }) profileId!: string;
  @Field(() => String, { description: 'Profile title.' }) title!: string;
  @Field(() => Int, { description: 'How many rules the profile selects.' }) ruleCount!: number;
}

@ObjectType('Benchmark', { implements: [NodeInterface, DocumentInterface], description: 'An XCCDF benchmark: a DISA STIG release (or an SCAP data-stream benchmark) and its rules.' })
export class BenchmarkType extends DocumentInterface {
  @Field(() => [BenchmarkProfileType], { description: 'The XCCDF profiles of the benchmark.' }) profiles!: BenchmarkProfileType[];
}

@ObjectType('Group', { description: 'A group of a catalog (a control family such as AC), or of a baseline.' })
export class GroupType {
  @Field(() => String, { description: 'Document id of the catalog or baseline holding the group.' }) catalogDocumentId!: string;
  @Field(() => String, { description: 'Group id, e.g. "ac".' }) groupId!: string;
  @Field(() => String, { nullable: true, description: 'Id of the enclosing group; null for a top-level group.' }) parentGroupId?: string;
  @Field(() => String, { description: 'Title, e.g. "Access Control".' }) title!: string;
  @Field(() => String, { nullable: true, description: 'OSCAL class, e.g. "family".' }) class?: string;
  @Field(() => [ParamType], { description: 'Parameters declared on the group.' }) params!: ParamType[];
  @Field(() => [PartType], { description: 'Parts of the group (e.g. an overview).' }) parts!: PartType[];
}

@ObjectType('Control', { implements: NodeInterface, description: 'A control or control enhancement of a catalog or baseline.' })
export class ControlType extends NodeInterface {
  @Field(() => String, { description: 'Document id of the catalog or baseline holding the control.' }) catalogDocumentId!: string;
  @Field(() => String, { description: 'Control id, e.g. "ac-2" or "ac-2.1".' }) controlId!: string;
  @Field(() => String, { nullable: true, description: 'The enclosing control of an enhancement; null for a control.' }) parentControlId?: string;
  @Field(() => String, { nullable: true, description: 'The group (family) the control is in; null for an enhancement or an ungrouped control.' }) groupId?: string;
  @Field(() => String, { description: 'Title, e.g. "Account Management".' }) title!: string;
  @Field(() => String, { nullable: true, description: 'OSCAL class, e.g. "SP800-53-enhancement".' }) class?: string;
  @Field(() => [ParamType], { description: 'Parameters (organization-defined values).' }) params!: ParamType[];
  @Field(() => [PartType], { description: 'Statement, guidance and other parts, nested.' }) parts!: PartType[];
  @Field(() => [PropType], { description: 'Properties (label, sort id, status…).' }) props!: PropType[];
  @Field(() => [LinkType], { description: 'Links to related controls and references.' }) links!: LinkType[];
  @Field(() => [String], { description: 'Ids of the enhancements directly under this control.' }) enhancementIds!: string[];
  __typename!: NodeTypeName;
}

@ObjectType('ControlMapping', { description: 'An SP 800-53 statement a rule evidences, through one of its CCIs.' })
export class ControlMappingType {
  @Field(() => String, { description: 'The CCI, e.g. "CCI-000381".' }) cci!: string;
  @Field(() => String, { description: 'The reference as the CCI list writes it, e.g. "CM-6 b".' }) index!: string;
  @Field(() => Int, { description: 'SP 800-53 revision of the reference (4 or 5).' }) revision!: number;
  @Field(() => String, { description: 'Control id, e.g. "cm-6".' }) controlId!: string;
  @Field(() => String, { description: 'Statement id (e.g. "cm-6_smt.b"), or the control id when the reference names the whole control.' }) statementId!: string;
  @Field(() => String, { nullable: true, description: 'Document id of the catalog the statement was found in; null when no stored catalog holds it.' }) catalogDocumentId?: string;
  @Field(() => Boolean, { description: 'True when a stored catalog holds the statement.' }) resolved!: boolean;
  @Field(() => String, { nullable: true, description: 'Set when a withdrawn rev4 control was followed to its successor (e.g. "moved-to cm-14").' }) via?: string;
}

@ObjectType('Rule', { implements: NodeInterface, description: 'A benchmark rule, keyed by STIG id and check-content hash.' })
export class RuleType extends NodeInterface {
  @Field(() => String, { description: 'Document id of the benchmark release holding the rule.' }) benchmarkDocumentId!: string;
  @Field(() => String, { description: 'XCCDF rule id, e.g. "SV-235802r960963_rule".' }) ruleId!: string;
  @Field(() => String, { description: 'XCCDF group id (the vulnerability id), e.g. "V-235802".' }) groupId!: string;
  @Field(() => String, { description: 'STIG id, e.g. "DKER-EE-001960": stable across releases.' }) stigId!: string;
  @Field(() => String, { description: 'Title.' }) title!: string;
  @Field(() => SeverityEnum, { description: 'Severity (CAT I, II, III).' }) severity!: string;
  @Field(() => Float, { nullable: true, description: 'XCCDF weight, when given.' }) weight?: number;
  @Field(() => String, { description: 'Vulnerability discussion: why the rule matters.' }) discussion!: string;
  @Field(() => String, { description: 'Check text: how to verify the rule.' }) checkContent!: string;
  @Field(() => String, { description: 'sha256 (hex) of the normalised check text: reviews carry over to a release while it is unchanged.' }) checkContentHash!: string;
  @Field(() => String, { description: 'Fix text: how to remediate.' }) fixText!: string;
  @Field(() => [String], { description: 'CCIs the rule cites.' }) ccis!: string[];
  @Field(() => [String], { description: 'Legacy ids (older SV- and V- ids).' }) legacyIds!: string[];
  __typename!: NodeTypeName;
}

/** Domain → GraphQL, as the concrete type of its kind. */
export function mapDocument(d: StoredDocument): DocumentInterface {
  const { id: contentId, ...rest } = d;
  const type = TYPE_OF_KIND[d.kind];
  const base = { ...rest, contentId, counts: countsOf(d.counts), id: toGlobalId(type, d.documentId), __typename: type };
  return d.kind === 'benchmark' && 'profiles' in d ? { ...base, profiles: profilesOf(d as StoredBenchmark) } as BenchmarkType : base;
}

const profilesOf = (b: StoredBenchmark): BenchmarkProfileType[] => b.profiles.map((p) => ({ profileId: p.id, title: p.title, ruleCount: p.selectedRuleIds.length }));

export function mapBenchmark(b: StoredBenchmark): BenchmarkType {
  return { ...(mapDocument(b) as DocumentInterface), profiles: profilesOf(b) };
}

export function mapGroup(g: StoredGroup): GroupType {
  return {
    catalogDocumentId: g.documentId,
    groupId: g.id,
    ...(g.parentGroupId !== undefined ? { parentGroupId: g.parentGroupId } : {}),
    title: g.title,
    ...(g.class !== undefined ? { class: g.class } : {}),
    params: g.params.map(mapParam),
    parts: g.parts.map(mapPart),
  };
}

export function mapControl(c: StoredControl): ControlType {
  return {
    id: toGlobalId('Control', c.documentId, c.id),
    __typename: 'Control',
    catalogDocumentId: c.documentId,
    controlId: c.id,
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
  return {
    id: toGlobalId('Rule', r.documentId, r.ruleId),
    __typename: 'Rule',
    benchmarkDocumentId: r.documentId,
    ruleId: r.ruleId,
    groupId: r.groupId,
    stigId: r.stigId,
    title: r.title,
    severity: r.severity,
    ...(r.weight !== undefined ? { weight: r.weight } : {}),
    discussion: r.discussion,
    checkContent: r.checkContent,
    checkContentHash: r.checkContentHash,
    fixText: r.fixText,
    ccis: r.ccis,
    legacyIds: r.legacyIds,
  };
}

export function mapControlMapping(m: ControlMapping): ControlMappingType {
  return { ...m, revision: Number(m.revision) };
}
