/**
 * SCAP 1.2 and 1.3 source data streams (`<ds:data-stream-collection>`, namespace
 * http://scap.nist.gov/schema/scap/source/1.2 for both versions). A collection holds data streams (lists of
 * component references: checklists, checks, dictionaries) and components (an XCCDF Benchmark, OVAL
 * definitions, an OCIL questionnaire, a CPE dictionary…). The library imports the XCCDF Benchmarks; the other
 * components are scanned for well-formedness but never materialised, which keeps a 24 MB SSG data stream
 * within a few hundred megabytes and under a second.
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type ParseXmlOptions, type SelectDecision, type XmlElement, describeElement, elements, parseXmlSelective } from '../safe-xml.js';
import { EarlyRules } from '../xccdf/early-rules.js';

export const SCAP_DS_NS = 'http://scap.nist.gov/schema/scap/source/1.2';
const XLINK_HREF = 'xlink:href';
const XCCDF_NAMESPACES: Record<string, '1.1' | '1.2'> = {
  'http://checklists.nist.gov/xccdf/1.1': '1.1',
  'http://checklists.nist.gov/xccdf/1.2': '1.2',
};

/** What a component holds, by its content's document element. */
export type ComponentContent = 'xccdf' | 'oval' | 'ocil' | 'cpe-dictionary' | 'other';

/** A `<ds:component>`: its id, timestamp and the kind of its content; `benchmark` for XCCDF components. */
export interface DataStreamComponent {
  id: string;
  timestamp?: string;
  content: ComponentContent;
  /** Qualified name and namespace of the content's document element (`oval_definitions`…). */
  contentElement: { local: string; ns: string };
  /** The XCCDF Benchmark element, built only for XCCDF components. */
  benchmark?: XmlElement;
  xccdfVersion?: '1.1' | '1.2';
}

/** A `<ds:component-ref>`: the stream's local id and the component it points to (`#id`, or a remote URL). */
export interface ComponentRef {
  id: string;
  href: string;
}

/** A `<ds:data-stream>` and its component references by role. */
export interface DataStream {
  id: string;
  scapVersion?: string;
  useCase?: string;
  checklists: ComponentRef[];
  checks: ComponentRef[];
  dictionaries: ComponentRef[];
}

export interface DataStreamCollection {
  id: string;
  /** The collection's `schematron-version` (the SCAP version it claims, e.g. "1.3"). */
  schematronVersion?: string;
  streams: DataStream[];
  components: DataStreamComponent[];
  /** The Benchmarks' Rules mapped while the document was read (`earlyRules` of DataStreamParseOptions). */
  earlyRules?: EarlyRules;
}

/** An XCCDF benchmark of a collection with where it came from. */
export interface DataStreamBenchmark {
  component: DataStreamComponent & { benchmark: XmlElement; xccdfVersion: '1.1' | '1.2' };
  /** The first data stream whose checklists refer to the component, and that reference. */
  stream?: DataStream;
  ref?: ComponentRef;
}

function invalid(file: string, el: XmlElement, message: string): PlimsollError {
  const text = `${describeElement(el)}: ${message}`;
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${el.line}:${el.column}: ${text}`, [{ file, line: el.line, column: el.column, message: text }]);
}

function contentKind(el: XmlElement): ComponentContent {
  if (XCCDF_NAMESPACES[el.ns] !== undefined && el.local === 'Benchmark') return 'xccdf';
  if (el.ns.startsWith('http://oval.mitre.org/XMLSchema/oval-definitions')) return 'oval';
  if (el.ns.startsWith('http://scap.nist.gov/schema/ocil/')) return 'ocil';
  if (el.ns.startsWith('http://cpe.mitre.org/dictionary/')) return 'cpe-dictionary';
  return 'other';
}

/** True when a parsed document element is a source data stream collection. */
export function isDataStreamCollection(el: { local: string; ns: string }): boolean {
  return el.local === 'data-stream-collection' && el.ns === SCAP_DS_NS;
}

export interface DataStreamParseOptions {
  /**
   * Whether the Rules' `<fix>` scripts are built (default true). Without them (what the library stores holds no
   * fix script) a fix is skipped like another component's content: checked for nesting, closed tags and
   * references (refused where a full parse refuses them), nothing of it built. They are two fifths of SSG's
   * benchmarks.
   */
  fixes?: boolean;
  /**
   * Whether the Benchmarks' Rules are mapped while the document is read, each when its end tag is read (default
   * false; see xccdf/early-rules.ts). The tree then holds those Rule elements without their children, and the
   * collection (`earlyRules`) their mapped content, which parseBenchmark takes instead of mapping them again. A
   * 24 MB data stream's import keeps about a third less alive while it is parsed.
   */
  earlyRules?: boolean;
}

/** XCCDF items whose own text (the whitespace between their children) no mapping reads. */
const XCCDF_CONTAINERS: ReadonlySet<string> = new Set(['Group', 'Rule']);

/** How `parseXmlSelective` reads a data stream: what it builds, and what it does with each element once complete. */
export interface DataStreamReading {
  select(el: XmlElement, depth: number): SelectDecision;
  closed?(el: XmlElement, depth: number): void;
  /** The Rules mapped while the document is read (with `earlyRules`). */
  earlyRules?: EarlyRules;
}

/**
 * Selector for `parseXmlSelective`: descend the collection and its components, keep data streams (small)
 * and XCCDF Benchmarks, skip every other component's content, extended components and signatures.
 * The document element itself is kept whole when it is not a collection, so other documents parse as usual.
 * A Benchmark and its Groups and Rules are built without their own text: it is only the indentation between
 * their children (a third of the nodes of SSG's benchmarks), which nothing reads; all their children are kept
 * whole, and so is every other element of the Benchmark. With `earlyRules`, the Rules and Values that
 * parseBenchmark's item walk reaches (below the Benchmark through Groups only) go to EarlyRules once complete.
 */
export function dataStreamReading(opts: DataStreamParseOptions = {}): DataStreamReading {
  const fixes = opts.fixes ?? true;
  const early = opts.earlyRules === true ? new EarlyRules(fixes) : undefined;
  const path: XmlElement[] = [];
  const select = (el: XmlElement, depth: number): SelectDecision => {
    path.length = depth;
    path.push(el);
    if (depth === 0) return isDataStreamCollection(el) ? 'descend' : 'keep';
    if (depth === 1) {
      if (el.ns !== SCAP_DS_NS) return 'skip';
      if (el.local === 'data-stream') return 'keep';
      if (el.local === 'component') return 'descend';
      return 'skip';
    }
    if (depth === 2) {
      // The content of a component. Its shallow element stays as a marker of the content kind.
      if (contentKind(el) === 'xccdf') {
        early?.benchmark();
        return 'descend';
      }
      path[1]!.children.push(el);
      return 'skip';
    }
    // Inside an XCCDF Benchmark (path[2]), below the Benchmark itself, a Group or a Rule.
    if (el.ns !== path[2]!.ns) return 'keep';
    if (!fixes && el.local === 'fix' && path[depth - 1]!.local === 'Rule') return 'skip';
    return XCCDF_CONTAINERS.has(el.local) ? 'descend' : 'keep';
  };
  if (early === undefined) return { select };
  // Only elements below a descended one are closed here: at depth 3 and more, those of an XCCDF Benchmark, every
  // element between it and them being a Group or a Rule of its namespace (path holds them while they are open).
  const closed = (el: XmlElement, depth: number): void => {
    if (depth < 3 || (el.local !== 'Rule' && el.local !== 'Value')) return;
    for (let d = 3; d < depth; d += 1) if (path[d]!.local !== 'Group') return;
    if (el.local === 'Rule') early.rule(el);
    else early.value(el);
  };
  return { select, closed, earlyRules: early };
}

function refs(stream: XmlElement, role: string): ComponentRef[] {
  const out: ComponentRef[] = [];
  for (const list of elements(stream, role)) {
    for (const r of elements(list, 'component-ref')) out.push({ id: r.attrs.id ?? '', href: r.attrs[XLINK_HREF] ?? '' });
  }
  return out;
}

/** Maps a collection element read as `dataStreamReading` says to its streams and components (and the Rules it mapped). */
export function mapDataStreamCollection(root: XmlElement, file: string, earlyRules?: EarlyRules): DataStreamCollection {
  if (!isDataStreamCollection(root)) throw invalid(file, root, `expected a <data-stream-collection> in namespace ${SCAP_DS_NS}`);
  const id = root.attrs.id?.trim();
  if (!id) throw invalid(file, root, 'the data stream collection has no id attribute');
  const streams: DataStream[] = [];
  const components: DataStreamComponent[] = [];
  for (const child of elements(root)) {
    if (child.ns !== SCAP_DS_NS) continue;
    if (child.local === 'data-stream') {
      streams.push({
        id: child.attrs.id ?? '',
        ...(child.attrs['scap-version'] !== undefined ? { scapVersion: child.attrs['scap-version'] } : {}),
        ...(child.attrs['use-case'] !== undefined ? { useCase: child.attrs['use-case'] } : {}),
        checklists: refs(child, 'checklists'),
        checks: refs(child, 'checks'),
        dictionaries: refs(child, 'dictionaries'),
      });
    } else if (child.local === 'component') {
      const componentId = child.attrs.id?.trim();
      if (!componentId) throw invalid(file, child, 'a component has no id attribute');
      const content = elements(child);
      if (content.length !== 1) throw invalid(file, child, `component "${componentId}" holds ${content.length} elements; exactly one is expected`);
      const c = content[0]!;
      const kind = contentKind(c);
      components.push({
        id: componentId,
        ...(child.attrs.timestamp !== undefined ? { timestamp: child.attrs.timestamp } : {}),
        content: kind,
        contentElement: { local: c.local, ns: c.ns },
        ...(kind === 'xccdf' ? { benchmark: c, xccdfVersion: XCCDF_NAMESPACES[c.ns]! } : {}),
      });
    }
  }
  return {
    id,
    ...(root.attrs['schematron-version'] !== undefined ? { schematronVersion: root.attrs['schematron-version'] } : {}),
    streams,
    components,
    ...(earlyRules !== undefined ? { earlyRules } : {}),
  };
}

/**
 * The XCCDF benchmarks of a collection in document order, each with the first stream whose checklists
 * refer to it. Throws CONTENT_INVALID when the collection holds none.
 */
export function benchmarksOf(collection: DataStreamCollection, root: XmlElement, file: string): DataStreamBenchmark[] {
  const out: DataStreamBenchmark[] = [];
  for (const component of collection.components) {
    if (component.benchmark === undefined || component.xccdfVersion === undefined) continue;
    let stream: DataStream | undefined;
    let ref: ComponentRef | undefined;
    for (const s of collection.streams) {
      ref = s.checklists.find((r) => r.href === `#${component.id}`);
      if (ref) {
        stream = s;
        break;
      }
    }
    out.push({ component: component as DataStreamBenchmark['component'], ...(stream ? { stream } : {}), ...(ref ? { ref } : {}) });
  }
  if (out.length === 0) {
    const kinds = collection.components.map((c) => c.content).join(', ') || 'no components';
    throw invalid(file, root, `the data stream collection holds no XCCDF Benchmark component (found: ${kinds})`);
  }
  return out;
}

/** Parses a source data stream collection, building only its data streams and XCCDF Benchmarks. */
export function parseDataStreamCollection(input: string | Buffer, file: string, opts: ParseXmlOptions = {}): { root: XmlElement; collection: DataStreamCollection } {
  const root = parseXmlSelective(input, file, { ...opts, select: dataStreamReading().select });
  return { root, collection: mapDataStreamCollection(root, file) };
}
