/** Every connection type of the schema, declared once (resolvers import them from here). */
import { ApiTokenType, AuditRecordType } from './auth.type.js';
import { AssessmentType, ObservationType, RuleResultType } from './assessment.type.js';
import { BaselineType, ControlCoverageType } from './baseline.type.js';
import { BenchmarkType, CatalogType, ControlType, DocumentInterface, GroupType, RuleType } from './content.type.js';
import { ChangedRuleType, DiffRuleType } from './diff.type.js';
import { DockerNodeType } from './docker-node.type.js';
import { ExemptionType } from './exemption.type.js';
import { RuleEvidenceType } from './search.type.js';
import { connectionType } from '../relay/connection.type.js';

export const AssessmentConnection = connectionType<AssessmentType>('Assessment', AssessmentType, 'assessments');
export const RuleResultConnection = connectionType<RuleResultType>('RuleResult', RuleResultType, 'rule results');
export const ObservationConnection = connectionType<ObservationType>('Observation', ObservationType, 'observations');
export const AuditRecordConnection = connectionType<AuditRecordType>('AuditRecord', AuditRecordType, 'audit records');
export const ApiTokenConnection = connectionType<ApiTokenType>('ApiToken', ApiTokenType, 'API tokens');
export const BaselineConnection = connectionType<BaselineType>('Baseline', BaselineType, 'baselines');
export const ControlCoverageConnection = connectionType<ControlCoverageType>('ControlCoverage', ControlCoverageType, 'controls with their coverage');
export const DocumentConnection = connectionType<DocumentInterface>('Document', DocumentInterface, 'documents');
export const CatalogConnection = connectionType<CatalogType>('Catalog', CatalogType, 'catalogs');
export const BenchmarkConnection = connectionType<BenchmarkType>('Benchmark', BenchmarkType, 'benchmarks');
export const GroupConnection = connectionType<GroupType>('Group', GroupType, 'groups');
export const ControlConnection = connectionType<ControlType>('Control', ControlType, 'controls');
export const RuleConnection = connectionType<RuleType>('Rule', RuleType, 'rules');
export const DiffRuleConnection = connectionType<DiffRuleType>('DiffRule', DiffRuleType, 'rules');
export const ChangedRuleConnection = connectionType<ChangedRuleType>('ChangedRule', ChangedRuleType, 'changed rules');
export const DockerNodeConnection = connectionType<DockerNodeType>('DockerNode', DockerNodeType, 'Docker nodes');
export const ExemptionConnection = connectionType<ExemptionType>('Exemption', ExemptionType, 'exemptions');
export const RuleEvidenceConnection = connectionType<RuleEvidenceType>('RuleEvidence', RuleEvidenceType, 'rules evidencing the control');
