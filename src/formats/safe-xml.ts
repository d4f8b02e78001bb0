/**
 * The one XML entry point. Every XML document (OSCAL XML, XCCDF, CCI list, checklists) is untrusted input
 * and goes through `parseXml`, which:
 * - refuses any DOCTYPE or other `<!…>` declaration (so no DTDs, no internal or external entities, no
 *   entity expansion of any size: billion laughs and XXE are refused before anything is expanded);
 * - knows only the five predefined XML entities and numeric character references;
 * - bounds the input size and the element nesting depth;
 * - reports malformed XML with the file, line and column.
 *
 * It builds a small, ordered element tree on the `sax` parser (the one xml2js is built on), resolving
 * namespaces itself. `parseXmlSelective` is the path for large documents of which only a part is needed
 * (SCAP source data streams: the XCCDF Benchmark, not the OVAL, OCIL and CPE components): it walks the
 * outline with a fast tag scanner and builds only the subtrees a selector keeps, under the same limits. xml2js's
 * object output drops the events this needs: DOCTYPE and declaration events to refuse them with a position, element positions for semantic
 * errors, and the document order of mixed content (OSCAL prose interleaves text, `<insert/>`, `<em>`…).
 */
import { createRequire } from 'node:module';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { decodeXmlBytes } from './text-decoding.js';
import { checkReference, decodeReferences } from './xml-references.js';
import { KeptElement, KeptText } from './xml-kept-nodes.js';
import { END_TAG, StartTagReader } from './xml-start-tag.js';

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

/** The subset of the sax parser API used here (sax ships no types). Namespaces are resolved here, not by sax. */
interface SaxTag {
  name: string;
  attributes: Record<string, string>;
}
interface SaxParser {
  line: number;
  column: number;
  onerror: (e: Error) => void;
  onopentag: (tag: SaxTag) => void;
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

// sax (CommonJS) loads with the first document read whole: a data stream import reads only the selective way.
let saxModule: SaxModule | undefined;
const sax = (): SaxModule => (saxModule ??= createRequire(import.meta.url)('sax') as SaxModule);

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** A qualified name resolved in a scope: the name as written, its local part and namespace URI. */
interface ResolvedName {
  name: string;
  local: string;
  ns: string;
}

/**
 * Namespace bindings in scope: prefix → URI ('' is the default namespace), nested scopes chaining by prototype,
 * and the qualified names already resolved in this scope. A scope is made only where an element declares
 * namespaces, so the elements of a document share a handful of scopes, and resolving a name they repeat
 * (`xccdf-1.2:reference`, tens of thousands of times in a data stream) is one map lookup that hands back the
 * same local name and URI strings each time.
 */
interface NsScope {
  readonly uris: Record<string, string>;
  readonly names: Map<string, ResolvedName>;
}

function rootScope(): NsScope {
  const uris = Object.create(null) as Record<string, string>;
  uris.xml = XML_NS;
  return { uris, names: new Map() };
}

/** A scope below `parent` for an element that declares namespaces. */
function childScope(parent: NsScope): NsScope {
  return { uris: Object.create(parent.uris) as Record<string, string>, names: new Map() };
}

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

/** Text as given (a byte-order mark dropped), or bytes decoded as their byte-order mark or XML declaration says. */
function decode(input: string | Buffer, file: string): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return decodeXmlBytes(input, file);
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

/** Line and column of increasing offsets in one pass (positions of outline elements in a large document). */
class LineCounter {
  private offset = 0;
  /** 1-based line of the offset last moved to. */
  line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  /** Moves to `offset` (its line is then in `line`) and returns its 0-based column (characters before it on its line). */
  column0At(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    const end = Math.min(offset, this.text.length);
    for (let nl = this.text.indexOf('\n', this.offset); nl !== -1 && nl < end; nl = this.text.indexOf('\n', nl + 1)) {
      this.line += 1;
      this.lineStart = nl + 1;
    }
    this.offset = end;
    return end - this.lineStart;
  }

  /** 1-based line, and 0-based column (characters before `offset` on its line). */
  at(offset: number): { line: number; column0: number } {
    const column0 = this.column0At(offset);
    return { line: this.line, column0 };
  }
}

const CDATA_OPEN = /<!\[CDATA\[/iy;
const DECLARATION = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)\b/iy;

/**
 * Offset of the first DTD declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`, `<!NOTATION`, in
 * any letter case) outside comments and CDATA sections, or -1. Checked before parsing so that no declaration,
 * wherever it stands, reaches the parser. Only the places where `<!` stands are looked at (indexOf, not a
 * regular expression over every character of a 24 MB document).
 */
function findDeclaration(text: string): number {
  for (let i = text.indexOf('<!'); i >= 0; i = text.indexOf('<!', i + 1)) {
    let close: string | undefined;
    if (text.startsWith('<!--', i)) close = '-->';
    else {
      CDATA_OPEN.lastIndex = i;
      if (CDATA_OPEN.test(text)) close = ']]>';
    }
    if (close !== undefined) {
      // A comment or CDATA section is passed whole; an unclosed one is no section, and is scanned through.
      const end = text.indexOf(close, i + (close === '-->' ? 4 : 9));
      if (end >= 0) i = end + 2;
      continue;
    }
    DECLARATION.lastIndex = i;
    if (DECLARATION.test(text)) return i;
  }
  return -1;
}

function invalid(file: string, message: string, line?: number, column?: number): PlimsollError {
  const where = line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : '';
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}${where}: ${message}`, [{ file, line, column, message }]);
}

/** Size limit, decoding and the DTD refusal shared by every parse. */
function prepareText(input: string | Buffer, file: string, maxBytes: number): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) throw invalid(file, `XML document is ${size} bytes, larger than the limit of ${maxBytes} bytes`);
  const text = decode(input, file);
  const declaration = findDeclaration(text);
  if (declaration >= 0) {
    const { line, column } = lineColumnAt(text, declaration);
    const what = /^<!([A-Za-z]+)/.exec(text.slice(declaration, declaration + 12))?.[1]?.toUpperCase() ?? 'DOCTYPE';
    throw invalid(file, `${what} declarations are not allowed (no DTDs, no entity declarations)`, line, column);
  }
  return text;
}

/** Where a piece of text sits in its document, so that positions inside it are reported as document positions. */
interface TreeOrigin {
  /** Namespace bindings in scope at the start of the text. */
  scope: NsScope;
  /** Nesting depth of the text's first element in the document. */
  depth: number;
  /** 1-based line and 0-based column of the text's first character in the document. */
  line: number;
  column0: number;
}

/**
 * Splits a qualified name and resolves its prefix in `scope`; returns the reason when the prefix is unbound.
 * Element names and prefixed attribute names (which resolve alike) are remembered in the scope.
 */
function resolveName(qname: string, scope: NsScope, isAttribute: boolean): ResolvedName | string {
  const colon = qname.indexOf(':');
  if (colon < 0 && isAttribute) return { name: qname, local: qname, ns: '' };
  const known = scope.names.get(qname);
  if (known !== undefined) return known;
  let resolved: ResolvedName;
  if (colon < 0) resolved = { name: qname, local: qname, ns: scope.uris[''] ?? '' };
  else {
    const ns = scope.uris[qname.slice(0, colon)];
    if (ns === undefined || ns === '') return `an ${isAttribute ? 'attribute' : 'element'} name with an unbound namespace prefix`;
    resolved = { name: qname, local: qname.slice(colon + 1), ns };
  }
  scope.names.set(qname, resolved);
  return resolved;
}

/**
 * Builds the element tree of `text` (one document, or one element cut out of a document) with sax,
 * resolving namespaces itself (sax's own xmlns mode costs about a third more time).
 */
function buildTree(text: string, file: string, maxDepth: number, origin: TreeOrigin): XmlElement {
  const parser = sax().parser(true, { xmlns: false, strictEntities: true, position: true, trim: false, normalize: false });
  const here = (): { line: number; column: number } => ({
    line: origin.line + parser.line,
    column: parser.line === 0 ? origin.column0 + parser.column : parser.column,
  });
  const stop = (reason: string): never => {
    const { line, column } = here();
    throw new StopParsing(reason, line, column);
  };
  const stack: XmlElement[] = [];
  const scopes: NsScope[] = [origin.scope];
  let root: XmlElement | undefined;

  parser.onerror = (e) => {
    // sax appends "\nLine: n\nColumn: n\nChar: c" to its messages; keep the first line as the reason.
    // sax's own words, less the tag name it appends to "Unmatched closing tag: …" (the document's content).
    stop((e.message.split('\n')[0] ?? 'malformed XML').replace(/^(Unmatched closing tag):.*$/, '$1'));
  };
  // Unreachable after findDeclaration; kept so the parser itself never accepts a DTD either.
  parser.ondoctype = () => stop('DOCTYPE declarations are not allowed (no DTDs, no entity declarations)');
  parser.onsgmldeclaration = () => stop('markup declarations (<!…>) are not allowed');
  parser.onopentag = (tag) => {
    if (stack.length === 0 && root !== undefined) stop('a second root element follows the document element');
    if (origin.depth + stack.length >= maxDepth) stop(`elements are nested deeper than the limit of ${maxDepth}`);
    const attrs = tag.attributes;
    let scope = scopes[scopes.length - 1]!;
    let declares = false;
    for (const name in attrs) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (!declares) scope = childScope(scope);
        declares = true;
        scope.uris[name === 'xmlns' ? '' : name.slice(6)] = attrs[name]!;
        delete attrs[name];
      }
    }
    for (const name in attrs) {
      if (name.includes(':')) {
        const r = resolveName(name, scope, true);
        if (typeof r === 'string') stop(r);
      }
    }
    const resolved = resolveName(tag.name, scope, false);
    if (typeof resolved === 'string') stop(resolved);
    const { local, ns } = resolved as ResolvedName;
    const { line, column } = here();
    const el: XmlElement = { type: 'element', name: tag.name, local, ns, attrs, children: [], line, column };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
    scopes.push(scope);
  };
  parser.onclosetag = () => {
    stack.pop();
    scopes.pop();
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

/** Parses an XML document into its root element, refusing DTDs and entities; throws CONTENT_INVALID with a position. */
export function parseXml(input: string | Buffer, file: string, opts: ParseXmlOptions = {}): XmlElement {
  const text = prepareText(input, file, opts.maxBytes ?? DEFAULT_MAX_XML_BYTES);
  return buildTree(text, file, opts.maxDepth ?? DEFAULT_MAX_DEPTH, { scope: rootScope(), depth: 0, line: 1, column0: 0 });
}

/**
 * What `parseXmlSelective` does with an element: build it with everything below ('keep'), build it
 * without its text and decide again for each child element ('descend'), or leave it out ('skip').
 */
export type SelectDecision = 'keep' | 'descend' | 'skip';

export interface SelectiveParseOptions extends ParseXmlOptions {
  /**
   * Decides for the document element and, below a 'descend', for each child element. `el` has its
   * name, namespace, attributes and position but no children yet; `depth` is 0 for the document element.
   */
  select(el: XmlElement, depth: number): SelectDecision;
  /**
   * Called with each element built below a 'descend' once it is complete (its end tag read), before it is added
   * to its parent's children; `depth` as for `select`. It may take what it needs and let go of its children.
   */
  closed?(el: XmlElement, depth: number): void;
}

/**
 * Parses a large document building only the subtrees `select` keeps, without sax: a tag scanner (indexOf, the
 * start tag reader of xml-start-tag.ts and a sticky end tag expression) walks the document, and kept subtrees
 * are built from slices of the text (sax builds every text and attribute character by character, which for a
 * 24 MB data stream costs more in garbage collection than in parsing). Kept subtrees get the same tree as `parseXml` (a test compares
 * both on whole XCCDF documents): namespaces resolved, the five XML entities and character references
 * decoded and any other reference refused, CDATA as text, comments and processing instructions dropped,
 * repeated attributes and unbound prefixes refused. Skipped subtrees are checked for properly nested and
 * closed tags, comments, CDATA sections and processing instructions (so truncated or mis-nested input is
 * refused with a position) but their attributes and references are not decoded. The limits are those of
 * `parseXml`: size, depth, no DTD or entity declaration anywhere. A document element the selector keeps goes
 * through `parseXml` itself.
 */
export function parseXmlSelective(input: string | Buffer, file: string, opts: SelectiveParseOptions): XmlElement {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const text = prepareText(input, file, opts.maxBytes ?? DEFAULT_MAX_XML_BYTES);
  const lines = new LineCounter(text);
  const tags = new StartTagReader(text);
  const fail = (offset: number, reason: string): never => {
    const { line, column0 } = lines.at(offset);
    throw invalid(file, reason, line, column0 + 1);
  };

  /** Offset after the comment, CDATA section or processing instruction at `i`, or -1 when none starts there. */
  const skipSpecial = (i: number): number => {
    let close: string | undefined;
    if (text.startsWith('<!--', i)) close = '-->';
    else if (text.startsWith('<![CDATA[', i)) close = ']]>';
    else if (text.startsWith('<?', i)) close = '?>';
    else if (text.startsWith('<!', i)) fail(i, 'markup declarations are not allowed');
    if (close === undefined) return -1;
    const end = text.indexOf(close, i + 2);
    if (end < 0) fail(text.length, `unclosed ${close === '-->' ? 'comment' : close === '?>' ? 'processing instruction' : 'CDATA section'} (opened at line ${lines.at(i).line})`);
    return end + close.length;
  };

  // The first '&' at or after `ampFrom` is `ampAt` (-1: none), a fact about the document kept between calls. Kept
  // text and skipped parts are read in document order, so one indexOf runs over each stretch between two '&',
  // not one per text run or skipped element to wherever the next '&' stands (quadratic where '&' are rare).
  let ampFrom = Infinity;
  let ampAt = -1;
  const firstAmp = (from: number): number => {
    if (from < ampFrom || (ampAt >= 0 && ampAt < from)) ampAt = text.indexOf('&', from);
    ampFrom = from;
    return ampAt;
  };
  /** The document's text from `from` to `to` (no markup in it), references replaced; sliced as it is without a '&'. */
  const textBetween = (from: number, to: number): string => {
    const amp = firstAmp(from);
    return amp < 0 || amp >= to ? text.slice(from, to) : decodeReferences(text, from, to, amp, fail);
  };

  /** The start tag at `i` as a childless element with its scope; `end` is the offset after its '>'. */
  const readElement = (i: number, parentScope: NsScope): { el: XmlElement; scope: NsScope; end: number; selfClosing: boolean } => {
    if (!tags.read(i, true)) fail(i, 'malformed start tag');
    const { name, end, selfClosing, attrs: written, attrCount } = tags;
    const attrs: Record<string, string> = {};
    let scope = parentScope;
    let prefixed = false;
    for (let k = 0; k < attrCount; k += 2) {
      const raw = written[k + 1]!;
      const amp = raw.indexOf('&');
      const value = amp < 0 ? raw : decodeReferences(raw, 0, raw.length, amp, (offset, reason) => fail(i + offset, reason));
      const attr = written[k]!;
      if (Object.hasOwn(attrs, attr)) fail(i, `attribute "${attr}" is repeated in <${name}>`);
      if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
        if (scope === parentScope) scope = childScope(parentScope);
        scope.uris[attr === 'xmlns' ? '' : attr.slice(6)] = value;
      } else {
        attrs[attr] = value;
        if (attr.includes(':')) prefixed = true;
      }
    }
    const resolved = resolveName(name, scope, false);
    if (typeof resolved === 'string') return fail(i, resolved);
    if (prefixed) {
      for (const attr in attrs) {
        const r = attr.includes(':') ? resolveName(attr, scope, true) : undefined;
        if (typeof r === 'string') fail(i, r);
      }
    }
    const column = lines.column0At(end);
    // The resolved name's strings: one copy per distinct name, not a slice of the document per element.
    const el: XmlElement = new KeptElement(resolved.name, resolved.local, resolved.ns, attrs, lines.line, column);
    return { el, scope, end, selfClosing };
  };

  /** Offset after the end tag of `name` at `lt` when it is written plainly (`</name>`), else -1. */
  const plainEndTag = (lt: number, name: string): number => {
    const after = lt + 2 + name.length;
    return text.charCodeAt(after) === 62 /* > */ && text.startsWith(name, lt + 2) ? after + 1 : -1;
  };

  /** Offset after the end tag at `lt`, which must close `name`. */
  const endTag = (lt: number, name: string): number => {
    const plain = plainEndTag(lt, name);
    if (plain >= 0) return plain;
    END_TAG.lastIndex = lt;
    const m = END_TAG.exec(text) ?? fail(lt, 'malformed end tag');
    if (m[1] !== name) fail(END_TAG.lastIndex, `Unexpected close tag </${m[1]}>, expected </${name}>`);
    return END_TAG.lastIndex;
  };

  /**
   * Checks every reference from the '&' at `amp` up to `to`; returns the offset of the first '&' at or after `to`.
   * One function for the parse, not a closure per skipped element: the bundle's kept names give each closure made a
   * defineProperty call, some 14 ms over a data stream's skipped elements.
   */
  const checkReferencesBefore = (amp: number, to: number): number => {
    while (amp >= 0 && amp < to) amp = text.indexOf('&', checkReference(text, amp, to, fail));
    return amp;
  };

  /** Offset after the end tag of the element whose start tag ends at `from`; checks nesting and names, and references. */
  const elementEnd = (name: string, from: number, depth: number): number => {
    const open = [name];
    let i = from;
    // References in skipped text and attribute values are checked as a full parse decodes them (a file refused by
    // one reading is refused by all); '&' in comments, CDATA and processing instructions is passed over.
    let amp = firstAmp(from);
    for (;;) {
      i = text.indexOf('<', i);
      if (i < 0) return fail(text.length, `unexpected end of document: <${open[open.length - 1]}> is not closed`);
      amp = checkReferencesBefore(amp, i);
      const special = skipSpecial(i);
      if (special >= 0) {
        i = special;
        if (amp >= 0 && amp < i) amp = text.indexOf('&', i);
      } else if (text.charCodeAt(i + 1) === 47 /* / */) {
        i = endTag(i, open.pop()!);
        if (open.length === 0) return i;
      } else {
        if (!tags.read(i, false)) fail(i, 'malformed start tag');
        i = tags.end;
        amp = checkReferencesBefore(amp, i);
        if (!tags.selfClosing) {
          if (depth + open.length >= maxDepth) fail(i, `elements are nested deeper than the limit of ${maxDepth}`);
          open.push(tags.name);
        }
      }
    }
  };

  /**
   * Builds everything below a kept element whose start tag ends at `from`: elements, text (references
   * decoded, CDATA as text), comments and processing instructions dropped; returns the offset after its end
   * tag. Text and attribute values are slices of the document, not copies built character by character.
   * Children are gathered on one list shared by all kept subtrees, and each element gets an array of exactly its
   * own when it closes (an array grown by push holds room for 17: most elements of a benchmark have one child, a text).
   */
  // The list's live part is its first `size` entries: it is cut back by moving `size`, not by setting its length
  // (a call into the runtime for each element closed; what stands beyond `size` is overwritten later).
  const nodes: XmlNode[] = [];
  let size = 0;
  const addText = (first: number, t: string): void => {
    const last = size > first ? nodes[size - 1]! : undefined;
    if (last?.type === 'text') last.text += t;
    else nodes[size++] = new KeptText(t);
  };
  const buildKept = (top: XmlElement, topScope: NsScope, from: number, depth: number): number => {
    // `nodes` is empty here (size 0): a kept subtree is built whole before the next one starts.
    const stack: { el: XmlElement; scope: NsScope; first: number }[] = [{ el: top, scope: topScope, first: 0 }];
    let pos = from;
    for (;;) {
      const open = stack[stack.length - 1]!;
      const lt = text.indexOf('<', pos);
      if (lt < 0) return fail(text.length, `unexpected end of document: <${open.el.name}> is not closed`);
      if (lt > pos) addText(open.first, textBetween(pos, lt));
      const c1 = text.charCodeAt(lt + 1);
      if (c1 === 33 /* ! */ && text.startsWith('<![CDATA[', lt)) {
        const close = text.indexOf(']]>', lt + 9);
        if (close < 0) return fail(text.length, `unclosed CDATA section (opened at line ${lines.at(lt).line})`);
        addText(open.first, text.slice(lt + 9, close));
        pos = close + 3;
      } else if (c1 === 33 || c1 === 63 /* ? */) {
        pos = skipSpecial(lt);
      } else if (c1 === 47 /* / */) {
        pos = endTag(lt, open.el.name);
        if (size > open.first) {
          open.el.children = nodes.slice(open.first, size);
          size = open.first;
        }
        stack.pop();
        if (stack.length === 0) return pos;
      } else {
        if (depth + stack.length >= maxDepth) fail(lt, `elements are nested deeper than the limit of ${maxDepth}`);
        const child = readElement(lt, open.scope);
        nodes[size++] = child.el;
        if (!child.selfClosing) stack.push({ el: child.el, scope: child.scope, first: size });
        pos = child.end;
      }
    }
  };

  /** Parses the element starting at `i` as `select` decides; returns it (unless skipped) and the offset after it. */
  const visit = (i: number, depth: number, parentScope: NsScope, decided?: SelectDecision): { el?: XmlElement; end: number } => {
    if (depth >= maxDepth) fail(i, `elements are nested deeper than the limit of ${maxDepth}`);
    const { el, scope, end, selfClosing } = readElement(i, parentScope);
    const decision = decided ?? opts.select(el, depth);
    if (decision === 'skip') return { end: selfClosing ? end : elementEnd(el.name, end, depth) };
    if (decision === 'keep') return { el, end: selfClosing ? end : buildKept(el, scope, end, depth) };
    if (selfClosing) return { el, end };
    let pos = end;
    for (;;) {
      const lt = text.indexOf('<', pos);
      if (lt < 0) return fail(text.length, `unexpected end of document: <${el.name}> is not closed`);
      const special = skipSpecial(lt);
      if (special >= 0) {
        pos = special;
      } else if (text.charCodeAt(lt + 1) === 47 /* / */) {
        return { el, end: endTag(lt, el.name) };
      } else {
        const child = visit(lt, depth + 1, scope);
        if (child.el) {
          opts.closed?.(child.el, depth + 1);
          el.children.push(child.el);
        }
        pos = child.end;
      }
    }
  };

  /** Offset of the next element start at or after `i` outside the document element, or -1 at the end. */
  const nextElementOutside = (i: number, what: string): number => {
    for (;;) {
      const lt = text.indexOf('<', i);
      const between = text.slice(i, lt < 0 ? text.length : lt);
      if (between.trim() !== '') fail(i + between.search(/\S/), `text outside the document element ${what}`);
      if (lt < 0) return -1;
      const special = skipSpecial(lt);
      if (special < 0) return lt;
      i = special;
    }
  };

  const start = nextElementOutside(0, '');
  if (start < 0) throw invalid(file, 'no document element: the file holds no XML element');
  // The document element decides the path: kept whole, the document goes through parseXml's one sax pass.
  const root = readElement(start, rootScope()).el;
  const decision = opts.select(root, 0);
  if (decision === 'keep') return buildTree(text, file, maxDepth, { scope: rootScope(), depth: 0, line: 1, column0: 0 });
  const { el, end } = visit(start, 0, rootScope(), decision);
  const after = nextElementOutside(end, `<${root.name}>`);
  if (after >= 0) fail(after, `a second root element follows the document element <${root.name}>`);
  if (el === undefined) throw invalid(file, 'no document element: the selector skipped the document element');
  return el;
}

/**
 * A flat copy of a string taken from a parsed document, for use as a Map or Set key. Attribute values and
 * text of `parseXmlSelective` are slices of the whole document (V8 keeps substrings of 13 characters or
 * more as slices); hashing and comparing slices as keys (item ids and idrefs of a 24 MB data stream, looked
 * up tens of thousands of times) costs about twice as much as for flat strings. JSON's round trip is the
 * cheapest native copy.
 */
export function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
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
