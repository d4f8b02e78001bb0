/**
 * `convert`: an OSCAL document (catalog, profile, assessment plan, assessment results, POA&M) read in one
 * format and written in another, through the one JSON model. Validated on the way in and on the way out:
 * the written text is read back with the same readers and must give the same model (a converter that
 * would lose something fails here instead of writing a lossy file), and that model must validate against
 * NIST's OSCAL JSON Schema. There is no XSD validation of XML output: NIST's XSD is not among the pinned
 * reference content; the XML is checked by reading it back through the metaschema table instead. Content in,
 * text out: the service touches no file (the CLI reads the user's input and writes their --out).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ContentFile } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { ConvertOptions, ConvertResult, ConvertService } from '../domain/services.js';
import { OSCAL_FORMATS, readOscalDocument, validateOscalDocument, writeOscalDocument } from '../formats/oscal/document.js';
import { upgradeOscal } from '../formats/oscal/upgrade.js';

export interface ConvertServiceDeps {
  /** The OSCAL complete JSON Schema (may have to be synced first). */
  schemaPath: () => Promise<string>;
  maxBytes?: number;
}

/** Markdown text as rendered: escapes resolved, whitespace runs as one space (what OSCAL XML markup can hold). */
const rendered = (s: string): string => s.replace(/\\([\\*`~^"[\](){}#>|.+-])/g, '$1').replace(/\s+/g, ' ').trim();

/**
 * The first JSON pointer where two models differ, or undefined. With `markupSpacing`, strings that render the
 * same (OSCAL XML markup cannot keep runs of spaces or redundant escapes) count as equal and are counted.
 */
function firstDifference(a: unknown, b: unknown, markupSpacing: { count: number } | undefined, pointer = ''): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeof a === 'string' && typeof b === 'string' && markupSpacing && rendered(a) === rendered(b)) {
    markupSpacing.count += 1;
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], markupSpacing, `${pointer}/${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return pointer || '/';
}

export class DefaultConvertService implements ConvertService {
  constructor(private readonly deps: ConvertServiceDeps) {}

  async convert(content: ContentFile, options: ConvertOptions): Promise<ConvertResult> {
    if (!OSCAL_FORMATS.includes(options.to)) throw new PlimsollError(ErrorCode.BAD_INPUT, `--to must be one of ${OSCAL_FORMATS.join(', ')}, not "${options.to as string}"`);
    const schema = await this.deps.schemaPath();
    const input = content.name;
    const doc = readOscalDocument(input, content.bytes, this.deps.maxBytes !== undefined ? { maxBytes: this.deps.maxBytes } : {});
    validateOscalDocument(doc, schema);
    let json = doc.json;
    const notes: string[] = [];
    let upgradedFrom: string | undefined;
    if (options.oscalVersion !== undefined) {
      const upgraded = upgradeOscal(json, options.oscalVersion, input);
      json = upgraded.json;
      notes.push(...upgraded.notes);
      if (upgraded.from !== options.oscalVersion) upgradedFrom = upgraded.from;
    }
    // The name the text is read back under decides its format by extension: the input's with the target's extension by default.
    const outFile = options.outName ?? `${input.replace(/\.(json|xml|ya?ml)$/i, '')}.${options.to}`;
    const text = writeOscalDocument(json, options.to, outFile);
    // Validation on the way out: what was written reads back to the same model, and that model is valid OSCAL.
    const back = readOscalDocument(outFile, Buffer.from(text, 'utf8'), { maxBytes: Number.MAX_SAFE_INTEGER });
    const spacing = options.to === 'xml' ? { count: 0 } : undefined;
    const lost = firstDifference(back.json, json, spacing);
    if (spacing && spacing.count > 0) notes.push(`${spacing.count} markup value(s) hold runs of spaces or escapes that OSCAL XML markup does not keep; their text is unchanged`);
    if (lost !== undefined) {
      const message = `the ${options.to.toUpperCase()} written would not read back to the same document (first difference at ${lost}); nothing was written`;
      throw new PlimsollError(ErrorCode.INTERNAL, `${input}: ${message}`, [{ file: input, pointer: lost, message }]);
    }
    validateOscalDocument(back, schema);
    const metadata = (json[doc.model] as { metadata?: { 'oscal-version'?: string } }).metadata;
    return {
      text, model: doc.model, from: doc.format, to: options.to, oscalVersion: metadata?.['oscal-version'] ?? '',
      ...(upgradedFrom !== undefined ? { upgradedFrom } : {}), notes,
    };
  }
}
