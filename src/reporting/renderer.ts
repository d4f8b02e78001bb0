/**
 * The contract every report format implements, and the one table formats are registered in.
 *
 * A renderer turns the reporting input of ONE stored assessment (optionally limited to one node) into bytes.
 * It is pure with respect to the outside world: no clock, no randomness, no file system (layouts it reads are
 * given to its factory), so rendering one stored assessment twice gives the same bytes — what was signed at
 * run time is what is downloaded later. Its input comes from the report-input loader (report-input-loader.ts),
 * which rebuilds exactly what the run built; a renderer that needs another format's output (the bundle signs
 * the AR, POA&M and PDF; the PDF prints the AR's sha256) asks the render context, never renders it itself, so
 * every format is rendered one way only and cached once per request.
 *
 * A format is either registered here or not offered at all: the table refuses an unknown format with
 * BAD_INPUT naming the formats this server offers. There is no placeholder renderer.
 */
import type { ArNode, AssessmentReportInput } from './oscal-inventory.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { isReportFormat, REPORT_FORMATS, type RenderedReport, type ReportFormat } from '../domain/report.js';

export { isReportFormat, REPORT_FORMATS, type RenderedReport, type ReportFormat } from '../domain/report.js';

/**
 * What a renderer renders: the reporting input of a stored assessment (the one the run built its OSCAL
 * documents from), limited to one node when `node` is set (then `nodes`, `results` and `targets` hold that
 * node's only, and `assessment.summary` counts that node's results only).
 *
 * Optional parts loaded by other packages' part loaders (ReportPartLoader) are added here as optional fields
 * with their own domain types, absent when nothing of that kind is stored (e.g. `reviews` from
 * src/domain/review.ts, `drift`). A renderer must treat an absent part as "none recorded", never invent one.
 */
export interface ReportInput extends AssessmentReportInput {
  /** The node the report is limited to; absent for the whole assessment. */
  node?: ArNode;
}

/** Which report a file name is for: the assessment, and the node when the report is limited to one. */
export interface ReportScope {
  assessmentId: string;
  node?: { id: string; name: string };
}

/** A node or assessment name made safe for a file name: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function fileNamePart(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The scope of an input. */
export function scopeOf(input: ReportInput): ReportScope {
  return { assessmentId: input.assessment.id, ...(input.node !== undefined ? { node: { id: input.node.id, name: input.node.name } } : {}) };
}

/** What a renderer may ask of the report service while it renders. */
export interface RenderContext {
  /** Whether this server registers a format. */
  offers(format: ReportFormat): boolean;
  /**
   * Another format of the same assessment and node filter, rendered once per request (cached): the bundle's
   * subjects, the PDF's sha256 of the AR. BAD_INPUT when the format is not registered (check `offers` first).
   */
  render(format: ReportFormat): Promise<RenderedReport>;
}

/** One report format. */
export interface ReportRenderer {
  readonly format: ReportFormat;
  /** One line for users (CLI help, GraphQL description). */
  readonly description: string;
  readonly contentType: string;
  /**
   * `assessment`: one document for the whole assessment (or the node asked for). `node`: one document per
   * node (a STIG Viewer checklist): without a node filter the service renders it only for a one-node
   * assessment and otherwise refuses with BAD_INPUT naming the nodes to choose from.
   */
  readonly scope: 'assessment' | 'node';
  /** The file name of this format's report of an assessment (of one node): plain, no directory. */
  fileName(scope: ReportScope): string;
  /** The bytes; deterministic for one input. */
  render(input: ReportInput, context: RenderContext): Promise<Uint8Array>;
}

/** The registered renderers, one per format. */
export class ReportRendererTable {
  private readonly byFormat = new Map<ReportFormat, ReportRenderer>();

  constructor(renderers: readonly ReportRenderer[]) {
    for (const r of renderers) {
      if (!isReportFormat(r.format)) throw new Error(`renderer registered for unknown format ${String(r.format)}`);
      if (this.byFormat.has(r.format)) throw new Error(`two renderers registered for format ${r.format}`);
      this.byFormat.set(r.format, r);
    }
  }

  /** The registered formats, in REPORT_FORMATS order. */
  formats(): ReportFormat[] {
    return REPORT_FORMATS.filter((f) => this.byFormat.has(f));
  }

  offers(format: string): format is ReportFormat {
    return isReportFormat(format) && this.byFormat.has(format);
  }

  /** The renderer of a format; BAD_INPUT naming the offered formats when it is not registered. */
  get(format: string): ReportRenderer {
    const renderer = isReportFormat(format) ? this.byFormat.get(format) : undefined;
    if (renderer === undefined) {
      const known = isReportFormat(format) ? `format ${format} is not offered by this server` : `unknown report format "${format}"`;
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${known}; one of ${this.formats().join(', ')}`);
    }
    return renderer;
  }
}
