/** GraphQL shapes of reports: the formats offered, an assessment's reports with their download paths, the signing key. */
import { GraphQLJSON } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { PublicSigningKey, ReportFormatInfo, ReportListing } from '../../domain/report.js';

export enum ReportFormatEnum {
  OSCAL_AP = 'oscal-ap',
  OSCAL_AR = 'oscal-ar',
  POAM = 'poam',
  PDF = 'pdf',
  REMEDIATION_PDF = 'remediation-pdf',
  CKL = 'ckl',
  CKLB = 'cklb',
  BUNDLE = 'bundle',
}
registerEnumType(ReportFormatEnum, {
  name: 'ReportFormat',
  description: 'A report format Plimsoll knows; `reportFormats` lists those this server offers (the others are never listed).',
  valuesConfig: {
    OSCAL_AP: { description: 'OSCAL 1.1.2 assessment plan (JSON).' },
    OSCAL_AR: { description: 'OSCAL 1.1.2 assessment results (JSON), importing the plan.' },
    POAM: { description: 'OSCAL 1.1.2 plan of action and milestones (JSON).' },
    PDF: { description: 'PDF attestation report.' },
    REMEDIATION_PDF: { description: 'PDF remediation plan.' },
    CKL: { description: 'STIG Viewer 2 checklist (XML), one per node.' },
    CKLB: { description: 'STIG Viewer 3 checklist (JSON), one per node.' },
    BUNDLE: { description: 'Signed bundle: a DSSE envelope over an in-toto statement of the reports, with the reports and the public key.' },
  },
});

export enum ReportScopeEnum {
  ASSESSMENT = 'assessment',
  NODE = 'node',
}
registerEnumType(ReportScopeEnum, {
  name: 'ReportScope',
  description: 'Whether a format is one document per assessment or per node.',
  valuesConfig: { ASSESSMENT: { description: 'One document for the whole assessment.' }, NODE: { description: 'One document per node (a checklist).' } },
});

export enum SigningKeyOriginEnum {
  CONFIGURED = 'configured',
  GENERATED = 'generated',
}
registerEnumType(SigningKeyOriginEnum, {
  name: 'SigningKeyOrigin',
  description: 'Where the report signing key comes from.',
  valuesConfig: { CONFIGURED: { description: 'PLIMSOLL_SIGNING_KEY.' }, GENERATED: { description: 'Generated at first start, kept sealed with PLIMSOLL_SECRET_KEY.' } },
});

@ObjectType('ReportFormatInfo', { description: 'A report format this server offers.' })
export class ReportFormatInfoType {
  @Field(() => ReportFormatEnum, { description: 'The format.' }) format!: ReportFormatEnum;
  @Field(() => String, { description: 'What the format holds.' }) description!: string;
  @Field(() => String, { description: 'The Content-Type it is served with.' }) contentType!: string;
  @Field(() => ReportScopeEnum, { description: 'One document per assessment or per node.' }) scope!: ReportScopeEnum;
}

@ObjectType('Report', { description: 'A report of an assessment, rendered on demand from the stored results (the same bytes every time) and served by an authenticated download.' })
export class ReportType extends ReportFormatInfoType {
  @Field(() => String, { description: 'The file name it is served as (Content-Disposition).' }) fileName!: string;
  @Field(() => String, { nullable: true, description: 'dockerNodeId of the node of a per-node report; null for an assessment-wide one.' }) dockerNodeId?: string;
  @Field(() => String, { nullable: true, description: 'Name of that node at the run.' }) nodeName?: string;
  @Field(() => String, { description: 'Path of `GET /downloads/...` serving it (prefix the server origin; send the bearer token).' }) downloadUrl!: string;
  @Field(() => Int, { nullable: true, description: 'Size in bytes of its last rendering by this server process; null before the first.' }) size?: number;
  @Field(() => String, { nullable: true, description: 'sha256 of its last rendering by this server process; null before the first.' }) sha256?: string;
}

@ObjectType('SigningKey', { description: 'The public key reports are signed with, as `plimsoll verify --key` and any Ed25519 verifier take it.' })
export class SigningKeyType {
  @Field(() => String, { description: 'Key id: the RFC 7638 JWK thumbprint (SHA-256, base64url), as bundles name it.' }) keyId!: string;
  @Field(() => String, { description: 'Signature algorithm (Ed25519).' }) algorithm!: string;
  @Field(() => String, { description: 'The public key, SubjectPublicKeyInfo PEM.' }) publicKeyPem!: string;
  @Field(() => GraphQLJSON, { description: 'The public key as a JWK (kty OKP, crv Ed25519).' }) jwk!: Record<string, string>;
  @Field(() => SigningKeyOriginEnum, { description: 'Configured or generated.' }) origin!: SigningKeyOriginEnum;
}

export function mapReportFormat(f: ReportFormatInfo): ReportFormatInfoType {
  return { format: f.format as ReportFormatEnum, description: f.description, contentType: f.contentType, scope: f.scope as ReportScopeEnum };
}

export function mapReport(r: ReportListing): ReportType {
  return {
    ...mapReportFormat(r),
    fileName: r.fileName,
    ...(r.node !== undefined ? { dockerNodeId: r.node.id, nodeName: r.node.name } : {}),
    downloadUrl: r.downloadPath,
    ...(r.lastRendered !== undefined ? { size: r.lastRendered.size, sha256: r.lastRendered.sha256 } : {}),
  };
}

export function mapSigningKey(k: PublicSigningKey): SigningKeyType {
  return { keyId: k.keyId, algorithm: k.algorithm, publicKeyPem: k.publicKeyPem, jwk: k.jwk, origin: k.origin as SigningKeyOriginEnum };
}
