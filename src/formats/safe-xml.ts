/**
 * The one XML entry point. Every XML document (OSCAL XML, XCCDF, CCI list, checklists) is untrusted input
 * and goes through `parseXml`, which:
 * - refuses any DOCTYPE or other `<!…>` declaration (so no DTDs, no internal or external entities, no
 *   entity expansion of any size: billion laughs and XXE are refused before anything is expanded);
 * - knows only the five predefined XML entities and numeric character references;
 * - bounds the input size and the element nesting depth;
 * - reports malformed XML with the file, line and column.
 *
 * It builds a small, ordered element tree on the `sax` parser (the one xml2js is built on). xml2js's
 * object output drops the events this needs: DOCTYPE and declaration events to refuse them with a position, element positions for semantic
 * errors, and the document order of mixed content (OSCAL prose interleaves text, `<insert/>`, `<em>`…).
 */
import { createRequire } from 'node:module';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

/** An XML element: qualified and local name, namespace URI, attributes, ordered children, position of its start tag. */
export interface XmlElement {
  type: 'element';
  /** The qualified name as written (`dc:title`). */
  name: string;
  /** The local name (`title`). */
  local: string;
  /** The namespace URI ('' when none). */
  ns: string;
  /** Attributes by qualified name (`id`, `xml:lang`); namespace declarations are left out. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** 1-based line and column where the start tag ends. */
  line: number;
  column: number;
}

export interface XmlText {
  type: 'text';
  text: string;
}

export type XmlNode = XmlElement | XmlText;

export interface ParseXmlOptions {
  /** Maximum input size in bytes (default 64 MiB). */
  maxBytes?: number;
  /** Maximum element nesting depth (default 256). */
  maxDepth?: number;
}

export const DEFAULT_MAX_XML_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;

/** The subset of the sax parser API used here (sax ships no types). */
interface SaxQualifiedAttribute {
  name: string;
  value: string;
  prefix: string;
  local: string;
  uri: string;
}
interface SaxQualifiedTag {
  name: string;
  local: string;
  uri: string;
  attributes: Record<string, SaxQualifiedAttribute>;
}
interface SaxParser {
  line: number;
  column: number;
  onerror: (e: Error) => void;
  onopentag: (tag: SaxQualifiedTag) => void;
  onclosetag: (name: string) => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
  ondoctype: (doctype: string) => void;
  onsgmldeclaration: (decl: string) => void;
  write(chunk: string): SaxParser;
  close(): SaxParser;
}
interface SaxModule {
  parser(strict: boolean, opts: { xmlns: boolean; strictEntities: boolean; position: boolean; trim: boolean; normalize: boolean }): SaxParser;
}

const sax = createRequire(import.meta.url)('sax') as SaxModule;

/** Thrown inside sax callbacks to stop parsing; turned into a PlimsollError by parseXml. */
class StopParsing extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(reason);
  }
}

/** Decodes bytes to text: UTF-8 (BOM stripped) or UTF-16 with a byte-order mark. */
function decode(bytes: string | Buffer): string {
  if (typeof bytes === 'string') return bytes.charCodeAt(0) === 0xfeff ? bytes.slice(1) : bytes;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Offset of the first DTD declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`)
 * outside comments and CDATA sections, or -1. Checked before parsing so that no declaration, wherever
 * it stands, reaches the parser.
 */
function findDeclaration(text: string): number {
  const scan = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/gi;
  for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
    if (!m[0].startsWith('<!--') && !m[0].startsWith('<![')) return m.index;
  }
  return -1;
}

function invalid(file: string, message: string, line?: number, column?: number): PlimsollError {
  const where = line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : '';
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}${where}: ${message}`, [{ file, line, column, message }]);
}

/** Parses an XML document into its root element, refusing DTDs and entities; throws CONTENT_INVALID with a position. */
export function parseXml(input: string | Buffer, file: string, opts: ParseXmlOptions = {}): XmlElement {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) throw invalid(file, `XML document is ${size} bytes, larger than the limit of ${maxBytes} bytes`);
  const text = decode(input);
  const declaration = findDeclaration(text);
  if (declaration >= 0) {
    const { line, column } = lineColumnAt(text, declaration);
    const what = /^<!([A-Za-z]+)/.exec(text.slice(declaration, declaration + 12))?.[1]?.toUpperCase() ?? 'DOCTYPE';
    throw invalid(file, `${what} declarations are not allowed (no DTDs, no entity declarations)`, line, column);
  }

  const parser = sax.parser(true, { xmlns: true, strictEntities: true, position: true, trim: false, normalize: false });
  const here = (): { line: number; column: number } => ({ line: parser.line + 1, column: parser.column });
  const stop = (reason: string): never => {
    const { line, column } = here();
    throw new StopParsing(reason, line, column);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  parser.onerror = (e) => {
    // sax appends "\nLine: n\nColumn: n\nChar: c" to its messages; keep the first line as the reason.
    stop(e.message.split('\n')[0] ?? 'malformed XML');
  };
  // Unreachable after findDeclaration; kept so the parser itself never accepts a DTD either.
  parser.ondoctype = () => stop('DOCTYPE declarations are not allowed (no DTDs, no entity declarations)');
  parser.onsgmldeclaration = (decl) => stop(`markup declarations are not allowed: <!${decl.slice(0, 40)}>`);
  parser.onopentag = (tag) => {
    if (stack.length === 0 && root !== undefined) stop(`a second root element <${tag.name}> follows the document element <${root.name}>`);
    if (stack.length >= maxDepth) stop(`elements are nested deeper than the limit of ${maxDepth}`);
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
      attrs[a.name] = a.value;
    }
    const { line, column } = here();
    const el: XmlElement = { type: 'element', name: tag.name, local: tag.local, ns: tag.uri ?? '', attrs, children: [], line, column };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (t.trim() !== '') stop('text outside the document element');
      return;
    }
    const last = parent.children[parent.children.length - 1];
    if (last?.type === 'text') last.text += t;
    else parent.children.push({ type: 'text', text: t });
  };
  parser.ontext = onText;
  parser.oncdata = onText;

  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof StopParsing) throw invalid(file, e.reason, e.line, e.column);
    throw e;
  }
  if (root === undefined) throw invalid(file, 'no document element: the file holds no XML element');
  return root;
}

/** Child elements, optionally only those with this local name. */
export function elements(el: XmlElement, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.type === 'element' && (local === undefined || c.local === local)) out.push(c);
  return out;
}

/** The first child element with this local name. */
export function element(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) if (c.type === 'element' && c.local === local) return c;
  return undefined;
}

/** All text below an element, in document order, as written (no whitespace changes). */
export function textContent(node: XmlNode): string {
  if (node.type === 'text') return node.text;
  let out = '';
  for (const c of node.children) out += textContent(c);
  return out;
}

/** The text of the first child element with this local name, or undefined. */
export function childText(el: XmlElement, local: string): string | undefined {
  const c = element(el, local);
  return c === undefined ? undefined : textContent(c);
}

/** A readable location of an element for problem messages: `<Rule id="SV-1"> at line 12`. */
export function describeElement(el: XmlElement): string {
  const id = el.attrs.id !== undefined ? ` id="${el.attrs.id}"` : '';
  return `<${el.name}${id}> at line ${el.line}`;
}

/**
 * Splits DISA's description pseudo-XML (`<VulnDiscussion>…</VulnDiscussion><FalsePositives>…`) into its
 * fields. That text is not well-formed XML (fields hold raw `<keyname>`, `&&`), so it is never given to an
 * XML parser: each top-level `<Name>…</Name>` field is cut out as raw text. Returns undefined when the
 * text is not of that form (plain prose).
 */
export function parseDisaDescription(text: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const open = /<([A-Za-z][A-Za-z0-9]*)>/y;
  let pos = 0;
  let found = false;
  while (pos < text.length) {
    while (pos < text.length && /\s/.test(text[pos]!)) pos += 1;
    if (pos >= text.length) break;
    open.lastIndex = pos;
    const m = open.exec(text);
    if (!m) return found ? fields : undefined;
    const name = m[1]!;
    const close = `</${name}>`;
    const end = text.indexOf(close, open.lastIndex);
    if (end < 0) return found ? fields : undefined;
    fields[name] = text.slice(open.lastIndex, end);
    found = true;
    pos = end + close.length;
  }
  return found ? fields : undefined;
}
