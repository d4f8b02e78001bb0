/**
 * The `bundle` format: the reports an official signs on — the OSCAL assessment results, the plan they import,
 * the POA&M and the PDF attestation, each when this server offers that format — signed together (signing/
 * bundle.ts). A format not offered is named in the predicate's `reports.notCovered`, never given a digest.
 * Deterministic: the predicate holds the run's own times and Ed25519 signatures are deterministic, so the
 * same assessment gives the same bundle under the same key.
 */
import { type AssessmentPredicate, BUNDLE_MEDIA_TYPE, type BundleSubject, buildBundle, bundleText } from './signing/bundle.js';
import type { SigningKey } from './signing/signing-key.js';
import { fileNamePart, type RenderContext, type ReportFormat, type ReportInput, type ReportRenderer } from './renderer.js';

/** The formats a bundle covers, in this order. */
export const BUNDLE_SUBJECT_FORMATS: readonly ReportFormat[] = ['oscal-ar', 'oscal-ap', 'poam', 'pdf'];

/** Where the renderer gets the key (SigningKeyRepository). */
export interface SigningKeySource {
  key(): Promise<SigningKey>;
}

/** What the bundle says about the assessment. */
export function assessmentPredicate(input: ReportInput, covered: AssessmentPredicate['reports']['covered'], notCovered: readonly ReportFormat[]): AssessmentPredicate {
  const a = input.assessment;
  const b = input.benchmark;
  return {
    assessment: { id: a.id, status: a.status, startedAt: a.startedAt, finishedAt: a.finishedAt ?? a.startedAt, startedBy: a.startedBy },
    benchmarks: [
      {
        id: b.benchmarkId,
        title: b.title,
        version: b.version,
        ...(b.release !== undefined ? { release: b.release } : {}),
        ...(b.releaseDate !== undefined ? { releaseDate: b.releaseDate } : {}),
        ...(b.sha256 !== undefined ? { documentSha256: b.sha256 } : {}),
      },
    ],
    ...(input.profile !== undefined ? { profile: input.profile } : {}),
    nodes: input.nodes.map((n) => ({ id: n.id, name: n.name, endpoint: n.endpoint, collection: n.status?.state ?? 'unknown' })),
    scope: input.node !== undefined ? { node: input.node.name } : {},
    tool: { ...input.tool },
    time: a.finishedAt ?? a.startedAt,
    ...(a.summary !== undefined ? { summary: a.summary } : {}),
    reports: { covered, notCovered: notCovered.map((format) => ({ format, reason: 'not offered by this server' })) },
  };
}

/** The bundle renderer, signing with the installation's key. */
export function bundleRenderer(keys: SigningKeySource): ReportRenderer {
  return {
    format: 'bundle',
    description: 'Signed bundle (JSON): a DSSE envelope over an in-toto statement whose subjects are the AR, AP, POA&M and PDF, with those files and the public key',
    contentType: BUNDLE_MEDIA_TYPE,
    scope: 'assessment',
    fileName: (scope) => `plimsoll-bundle-${fileNamePart(scope.assessmentId)}${scope.node !== undefined ? `-${fileNamePart(scope.node.name)}` : ''}.json`,
    async render(input: ReportInput, context: RenderContext): Promise<Uint8Array> {
      const key = await keys.key();
      const offered = BUNDLE_SUBJECT_FORMATS.filter((f) => context.offers(f));
      const subjects: BundleSubject[] = [];
      const covered: AssessmentPredicate['reports']['covered'] = [];
      for (const format of offered) {
        const r = await context.render(format);
        subjects.push({ name: r.fileName, mediaType: r.contentType, bytes: r.bytes });
        covered.push({ format, name: r.fileName });
      }
      const predicate = assessmentPredicate(input, covered, BUNDLE_SUBJECT_FORMATS.filter((f) => !context.offers(f)));
      return new TextEncoder().encode(bundleText(buildBundle(subjects, predicate, key, key.info)));
    },
  };
}
