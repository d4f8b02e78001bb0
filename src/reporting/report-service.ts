/**
 * The report service: any offered format of any completed assessment, rendered on demand from the stored
 * results (report-input-loader.ts) by the format's registered renderer (report-formats.ts). Nothing rendered is
 * stored: the loader rebuilds the run's input, so a report is the same bytes whenever it is asked for, and memory
 * holds one request's reports at most (a bundle renders its subjects once, through the request's cache). Only
 * the size and sha256 of each report's last rendering are remembered, for listings.
 */
import { createHash } from 'node:crypto';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { type PublicSigningKey, type RenderedReport, type ReportFormat, type ReportFormatInfo, type ReportListing, reportDownloadPath } from '../domain/report.js';
import type { ReportService } from '../domain/services.js';
import { oscalUuids } from './oscal-uuids.js';
import type { ReportInputLoader } from './report-input-loader.js';
import { type RenderContext, type ReportInput, type ReportRenderer, type ReportRendererTable, scopeOf } from './renderer.js';
import type { SigningKeySource } from './bundle-renderer.js';

export interface ReportServiceDeps {
  loader: ReportInputLoader;
  renderers: ReportRendererTable;
  /** The signing key, when this server has one (then `bundle` is registered). */
  signingKeys?: SigningKeySource;
}

const MAX_REMEMBERED = 2_000;

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** ReportService over the loader and the renderer table. */
export class DefaultReportService implements ReportService {
  private readonly lastRendered = new Map<string, { size: number; sha256: string }>();

  constructor(private readonly deps: ReportServiceDeps) {}

  async formats(): Promise<ReportFormatInfo[]> {
    return this.deps.renderers.formats().map((f) => infoOf(this.deps.renderers.get(f)));
  }

  async list(assessmentId: string): Promise<ReportListing[]> {
    const assessment = await this.deps.loader.completedAssessment(assessmentId);
    const out: ReportListing[] = [];
    for (const format of this.deps.renderers.formats()) {
      const renderer = this.deps.renderers.get(format);
      const nodes = renderer.scope === 'node' ? assessment.nodes.map((n) => ({ id: n.nodeId, name: n.name })) : [undefined];
      for (const node of nodes) {
        const last = this.lastRendered.get(rememberKey(assessmentId, format, node?.id));
        out.push({
          ...infoOf(renderer),
          fileName: renderer.fileName({ assessmentId: assessment.id, ...(node !== undefined ? { node } : {}) }),
          ...(node !== undefined ? { node } : {}),
          downloadPath: reportDownloadPath(assessmentId, format, node?.id),
          ...(last !== undefined ? { lastRendered: last } : {}),
        });
      }
    }
    return out;
  }

  async render(assessmentId: string, format: string, options: { node?: string } = {}): Promise<RenderedReport> {
    const renderer = this.deps.renderers.get(format);
    let node = options.node;
    if (node === undefined && renderer.scope === 'node') {
      const { nodes } = await this.deps.loader.completedAssessment(assessmentId);
      if (nodes.length !== 1) {
        throw new PlimsollError(ErrorCode.BAD_INPUT, `${renderer.format} is one document per node: choose one of ${nodes.map((n) => n.name).join(', ')} (--node)`);
      }
      node = nodes[0]!.nodeId;
    }
    const input = await this.deps.loader.load(assessmentId, node !== undefined ? { node } : {});
    const rendered = await renderWith(renderer, input, this.deps.renderers);
    this.remember(rememberKey(assessmentId, renderer.format, input.node?.id), rendered);
    return rendered;
  }

  async assessmentOfResults(document: { name: string; bytes: Uint8Array }): Promise<string> {
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(document.bytes).toString('utf8'));
    } catch {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${document.name} is neither an assessment id nor a JSON assessment-results document`);
    }
    const ar = (doc as { 'assessment-results'?: { uuid?: unknown; metadata?: { props?: { name?: unknown; value?: unknown }[] } } } | null)?.['assessment-results'];
    if (ar === undefined || typeof ar.uuid !== 'string') throw new PlimsollError(ErrorCode.BAD_INPUT, `${document.name} is not an OSCAL assessment-results document (no assessment-results.uuid)`);
    const candidate = ar.metadata?.props?.find((p) => p.name === 'assessment-id')?.value;
    // The uuid is name-based on the assessment id: a match proves the document is that assessment's.
    if (typeof candidate !== 'string' || oscalUuids.assessmentResults(candidate) !== ar.uuid) {
      throw new PlimsollError(ErrorCode.NOT_FOUND, `${document.name} (assessment-results ${ar.uuid}) is not the results of an assessment Plimsoll stored`);
    }
    try {
      await this.deps.loader.completedAssessment(candidate);
    } catch (e) {
      throw new PlimsollError(ErrorCode.NOT_FOUND, `${document.name} is the results of assessment ${candidate}, which this database does not hold as completed`, [], { cause: e });
    }
    return candidate;
  }

  async signingKey(): Promise<PublicSigningKey | undefined> {
    const keys = this.deps.signingKeys;
    if (keys === undefined) return undefined;
    const { keyId, algorithm, publicKeyPem, jwk, origin } = (await keys.key()).info;
    return { keyId, algorithm, publicKeyPem, jwk: Object.fromEntries(Object.entries(jwk).filter((e): e is [string, string] => typeof e[1] === 'string')), origin };
  }

  private remember(key: string, r: RenderedReport): void {
    if (this.lastRendered.size >= MAX_REMEMBERED) this.lastRendered.delete(this.lastRendered.keys().next().value!);
    this.lastRendered.set(key, { size: r.bytes.length, sha256: r.sha256 });
  }
}

function infoOf(r: ReportRenderer): ReportFormatInfo {
  return { format: r.format, description: r.description, contentType: r.contentType, scope: r.scope };
}

function rememberKey(assessmentId: string, format: ReportFormat, nodeId: string | undefined): string {
  return JSON.stringify([assessmentId, format, nodeId ?? null]);
}

/** Renders one format with a per-request context: each other format it asks for is rendered once. */
async function renderWith(renderer: ReportRenderer, input: ReportInput, table: ReportRendererTable): Promise<RenderedReport> {
  const cache = new Map<ReportFormat, Promise<RenderedReport>>();
  const context: RenderContext = {
    offers: (format) => table.offers(format),
    render(format) {
      if (format === renderer.format) return Promise.reject(new Error(`renderer ${format} asked for its own output`));
      let r = cache.get(format);
      if (r === undefined) {
        r = once(table.get(format), input, context);
        cache.set(format, r);
      }
      return r;
    },
  };
  return once(renderer, input, context);
}

async function once(renderer: ReportRenderer, input: ReportInput, context: RenderContext): Promise<RenderedReport> {
  const bytes = await renderer.render(input, context);
  return { format: renderer.format, fileName: renderer.fileName(scopeOf(input)), contentType: renderer.contentType, bytes, sha256: sha256Hex(bytes) };
}
