/**
 * Report layouts as data: the section order and wording of each PDF report and the branding they share
 * (colours, fonts, page size) live in the top-level `reports/` folder (branding.json, attestation.json,
 * remediation-plan.json) and are read through ReportLayoutRepository. This module only types and validates
 * them (ajv, with JSON Schema), so a bad layout is refused with the file and JSON pointer of the problem
 * before anything is rendered.
 */
import { Ajv, type ErrorObject, type JSONSchemaType } from 'ajv';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { Severity } from '../domain/results.js';

/** Sections the attestation report knows how to render, in any order a layout gives. */
export const ATTESTATION_SECTIONS = ['cover', 'scope', 'summary', 'results', 'reviews', 'exemptions', 'drift', 'integrity', 'signatures'] as const;
export type AttestationSectionId = (typeof ATTESTATION_SECTIONS)[number];

/** Sections the remediation plan knows how to render. */
export const REMEDIATION_SECTIONS = ['cover', 'overview', 'items', 'deferred'] as const;
export type RemediationSectionId = (typeof REMEDIATION_SECTIONS)[number];

/** The bar colours of the charts and the result badges. */
export type ChartStatus = 'pass' | 'fail' | 'accepted' | 'not-applicable' | 'not-checked' | 'error';

export interface Branding {
  organization: string;
  /** A sentence printed at the foot of every page, beside the page number. */
  documentFooter: string;
  page: { size: string; margin: number };
  /** PDF standard font names (Helvetica, Courier…): nothing is embedded. */
  fonts: { regular: string; bold: string; mono: string };
  fontSizes: { title: number; heading: number; subheading: number; body: number; small: number };
  colors: { primary: string; text: string; muted: string; rule: string; band: string };
  statusColors: Record<ChartStatus, string>;
  severityLabels: Record<Severity, string>;
}

export interface SectionLayout<Id extends string> {
  id: Id;
  /** The heading and the outline (bookmark) entry. */
  title: string;
  /** A paragraph under the heading. */
  intro?: string;
  /** What the section says when it has no data (never invented content). */
  empty?: string;
}

export interface ReportLayout<Id extends string> {
  title: string;
  subtitle?: string;
  sections: SectionLayout<Id>[];
}

export interface AttestationLayout extends ReportLayout<AttestationSectionId> {
  /** The signature lines, in order; a signer given for a role fills its line, others stay blank for ink. */
  signatureRoles: { role: string; label: string }[];
}

export type RemediationLayout = ReportLayout<RemediationSectionId>;

/** Everything the PDF renderers read from `reports/`. */
export interface ReportLayouts {
  branding: Branding;
  attestation: AttestationLayout;
  remediation: RemediationLayout;
}

const color = { type: 'string', pattern: '^#[0-9A-Fa-f]{6}$' } as const;
const text = { type: 'string', minLength: 1 } as const;
const size = { type: 'number', exclusiveMinimum: 0, maximum: 72 } as const;

function object<T extends Record<string, unknown>>(properties: T, optional: readonly string[] = []) {
  return { type: 'object', additionalProperties: false, properties, required: Object.keys(properties).filter((k) => !optional.includes(k)) } as const;
}

const brandingSchema = object({
  organization: text,
  documentFooter: { type: 'string' },
  page: object({ size: { type: 'string', enum: ['LETTER', 'A4', 'LEGAL'] }, margin: { type: 'number', minimum: 18, maximum: 144 } }),
  fonts: object({ regular: text, bold: text, mono: text }),
  fontSizes: object({ title: size, heading: size, subheading: size, body: size, small: size }),
  colors: object({ primary: color, text: color, muted: color, rule: color, band: color }),
  statusColors: object({ pass: color, fail: color, accepted: color, 'not-applicable': color, 'not-checked': color, error: color }),
  severityLabels: object({ high: text, medium: text, low: text, unknown: text }),
});

function layoutSchema(ids: readonly string[], extra: Record<string, unknown> = {}) {
  const section = object({ id: { type: 'string', enum: ids }, title: text, intro: { type: 'string' }, empty: { type: 'string' } }, ['intro', 'empty']);
  return object({ title: text, subtitle: { type: 'string' }, sections: { type: 'array', items: section, minItems: 1 }, ...extra }, ['subtitle']);
}

const attestationSchema = layoutSchema(ATTESTATION_SECTIONS, {
  signatureRoles: { type: 'array', minItems: 1, items: object({ role: text, label: text }) },
});
const remediationSchema = layoutSchema(REMEDIATION_SECTIONS);

const ajv = new Ajv({ strict: true, allErrors: true });
const validators = {
  branding: ajv.compile(brandingSchema as unknown as JSONSchemaType<Branding>),
  attestation: ajv.compile(attestationSchema as unknown as JSONSchemaType<AttestationLayout>),
  remediation: ajv.compile(remediationSchema as unknown as JSONSchemaType<RemediationLayout>),
};

function problemOf(file: string, e: ErrorObject): Problem {
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})` : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return { file, pointer: e.instancePath === '' ? '/' : e.instancePath, message: `${e.message ?? 'invalid'}${extra}` };
}

/** A section id listed twice would render twice with one bookmark target: refuse it. */
function duplicateSections(file: string, layout: ReportLayout<string>): Problem[] {
  const seen = new Set<string>();
  return layout.sections.flatMap((s, i) => {
    if (!seen.has(s.id)) {
      seen.add(s.id);
      return [];
    }
    return [{ file, pointer: `/sections/${i}/id`, message: `section "${s.id}" is listed twice` }];
  });
}

/**
 * Checks one layout file's parsed JSON. Throws CONTENT_INVALID naming the file and each bad JSON pointer.
 * `file` is how the message names it (e.g. `reports/branding.json`).
 */
export function parseLayout<K extends keyof ReportLayouts>(kind: K, file: string, json: unknown): ReportLayouts[K] {
  const validate = validators[kind];
  const problems: Problem[] = validate(json) ? (kind === 'branding' ? [] : duplicateSections(file, json as ReportLayout<string>)) : (validate.errors ?? []).map((e) => problemOf(file, e));
  if (problems.length > 0) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `report layout ${file} is invalid: ${problems[0]!.pointer}: ${problems[0]!.message}`, problems);
  return json as ReportLayouts[K];
}
