/**
 * OSCAL XML ↔ the OSCAL JSON model, generically over the metaschema table (xml-model.ts): one reader and
 * one writer for every model the table knows (catalogs, profiles, assessment plans and results, POA&Ms).
 * Nothing is dropped silently: an element, attribute or JSON property the model does not define is refused
 * with its place (line and column, or JSON pointer). The reader records each JSON pointer's XML position, so
 * problems found later on the JSON (schema validation, profile resolution) still name the XML line.
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { XmlElement, XmlNode } from '../safe-xml.js';
import { BLOCK_ELEMENTS, OSCAL_NS, lineToMarkdown, markdownToLine, markdownToMultiline, multilineToMarkdown } from './markdown.js';
import { type ChildRule, type Definition, type ScalarType, ROOT_MODELS, definition, isScalar } from './xml-model.js';
import { escapeXmlAttribute, escapeXmlText } from '../xml-writer.js';

export type OscalJson = Record<string, unknown>;

/** The JSON model read from XML, and the XML position of each JSON pointer. */
export interface OscalFromXml {
  model: string;
  json: OscalJson;
  locate(pointer: string): { line: number; column: number } | undefined;
}

const escapePointer = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

class XmlReader {
  readonly positions = new Map<string, { line: number; column: number }>();

  constructor(private readonly file: string) {}

  invalid(el: XmlElement, message: string): PlimsollError {
    return new PlimsollError(ErrorCode.CONTENT_INVALID, `${this.file}:${el.line}:${el.column}: ${message}`, [{ file: this.file, line: el.line, column: el.column, message }]);
  }

  assembly(el: XmlElement, def: Definition, pointer: string): OscalJson {
    this.positions.set(pointer, { line: el.line, column: el.column });
    if (el.ns !== OSCAL_NS) throw this.invalid(el, `<${el.name}> is not in the OSCAL namespace ${OSCAL_NS}`);
    const out: OscalJson = {};
    for (const attr of Object.keys(el.attrs)) {
      if (attr.includes(':')) continue; // xml:lang, xsi:schemaLocation: not part of the OSCAL model
      if (!def.flags.some((f) => f.name === attr)) throw this.invalid(el, `<${el.local}> has an attribute "${attr}" that OSCAL does not define`);
    }
    for (const flag of def.flags) {
      const v = el.attrs[flag.name];
      if (v !== undefined) out[flag.name] = this.typed(el, v, flag.type, `@${flag.name}`);
    }
    if (def.value) {
      out[def.value.key] = this.scalar(el, def.value.type);
      return out;
    }
    const collected = new Map<ChildRule, unknown[]>();
    const prose = def.children.find((c) => c.type === '~multi');
    for (const child of el.children) {
      if (child.type === 'text') {
        if (child.text.trim() !== '' && !prose) throw this.invalid(el, `<${el.local}> holds text outside its child elements`);
        continue;
      }
      if (prose && BLOCK_ELEMENTS.has(child.local) && child.ns === OSCAL_NS) continue;
      const rule = def.children.find((c) => (c.wrapper ?? c.xml) === child.local);
      if (!rule || child.ns !== OSCAL_NS) throw this.invalid(child, `<${child.local}> is not allowed in <${el.local}>`);
      const list = collected.get(rule) ?? [];
      if (!rule.many && list.length > 0) throw this.invalid(child, `<${el.local}> has more than one <${child.local}>`);
      collected.set(rule, list);
      if (rule.wrapper) {
        for (const item of child.children) {
          if (item.type === 'text') continue;
          if (item.local !== rule.xml) throw this.invalid(item, `<${item.local}> is not allowed in <${child.local}>`);
          list.push(item);
        }
      } else list.push(child);
    }
    for (const rule of def.children) {
      const base = `${pointer}/${escapePointer(rule.json)}`;
      if (rule.type === '~multi') {
        const md = multilineToMarkdown(el.children);
        if (el.children.some((c) => (c.type === 'element' && BLOCK_ELEMENTS.has(c.local)) || (c.type === 'text' && c.text.trim() !== ''))) out[rule.json] = md;
        continue;
      }
      const items = collected.get(rule) as XmlElement[] | undefined;
      if (!items) continue;
      const values = items.map((item, i) => this.child(item, rule, rule.many ? `${base}/${i}` : base));
      out[rule.json] = rule.many ? values : values[0];
    }
    return out;
  }

  private child(el: XmlElement, rule: ChildRule, pointer: string): unknown {
    if (isScalar(rule.type)) {
      this.positions.set(pointer, { line: el.line, column: el.column });
      return this.scalar(el, rule.type);
    }
    return this.assembly(el, definition(rule.type), pointer);
  }

  private scalar(el: XmlElement, type: ScalarType): unknown {
    switch (type) {
      case 'line':
        return lineToMarkdown(el);
      case 'multi':
        return multilineToMarkdown(el.children);
      case 'empty':
        if (el.children.some((c) => c.type === 'element' || c.text.trim() !== '')) throw this.invalid(el, `<${el.local}> must be empty`);
        return {};
      case '~multi':
      case 'str':
        return textOf(el);
      default:
        return this.typed(el, textOf(el), type, `<${el.local}>`);
    }
  }

  private typed(el: XmlElement, raw: string, type: 'str' | 'int' | 'num' | 'bool' | ScalarType, what: string): unknown {
    if (type === 'bool') {
      const v = raw.trim();
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      throw this.invalid(el, `${what} of <${el.local}> must be true or false`);
    }
    if (type === 'int' || type === 'num') {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n) || (type === 'int' && !Number.isInteger(n))) throw this.invalid(el, `${what} of <${el.local}> must be ${type === 'int' ? 'an integer' : 'a number'}`);
      return n;
    }
    return raw;
  }
}

function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.type === 'text' ? c.text : textOf(c))).join('');
}

/** Reads an OSCAL XML document element into the JSON model (`{ "catalog": … }`); CONTENT_INVALID with the line. */
export function oscalXmlToJson(root: XmlElement, file: string): OscalFromXml {
  const model = ROOT_MODELS[root.local];
  const reader = new XmlReader(file);
  if (model === undefined || root.ns !== OSCAL_NS) {
    throw reader.invalid(root, `<${root.name}> is not an OSCAL document element this version reads (${Object.keys(ROOT_MODELS).join(', ')})`);
  }
  const body = reader.assembly(root, definition(model), `/${root.local}`);
  reader.positions.set('', { line: root.line, column: root.column });
  return {
    model: root.local,
    json: { [root.local]: body },
    locate(pointer) {
      // A problem about something missing names its nearest present ancestor.
      for (let p = pointer; ; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
        const at = reader.positions.get(p);
        if (at) return at;
        if (p === '') return undefined;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// JSON model → XML text

const escText = escapeXmlText;
const escAttr = escapeXmlAttribute;

function attrs(a: Record<string, string>): string {
  return Object.entries(a).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('');
}

/** Inline nodes as XML text. */
function inlineXml(nodes: readonly XmlNode[]): string {
  return nodes.map((n) => (n.type === 'text' ? escText(n.text) : n.children.length === 0 ? `<${n.local}${attrs(n.attrs)}/>` : `<${n.local}${attrs(n.attrs)}>${inlineXml(n.children)}</${n.local}>`)).join('');
}

/** A block element, pretty-printed where whitespace is not content (lists, tables, quotes). */
function blockXml(el: XmlElement, indent: string): string {
  if (el.local === 'ul' || el.local === 'ol' || el.local === 'table' || el.local === 'blockquote' || el.local === 'tr' || el.local === 'thead' || el.local === 'tbody') {
    const inner = el.children.filter((c): c is XmlElement => c.type === 'element');
    if (inner.length === 0) return `${indent}<${el.local}/>`;
    return `${indent}<${el.local}>\n${inner.map((c) => blockXml(c, `${indent}  `)).join('\n')}\n${indent}</${el.local}>`;
  }
  if (el.local === 'li' && el.children.some((c) => c.type === 'element' && (c.local === 'ul' || c.local === 'ol'))) {
    const inline = el.children.filter((c) => c.type === 'text' || (c.local !== 'ul' && c.local !== 'ol'));
    const lists = el.children.filter((c): c is XmlElement => c.type === 'element' && (c.local === 'ul' || c.local === 'ol'));
    return `${indent}<li>${inlineXml(inline)}\n${lists.map((l) => blockXml(l, `${indent}  `)).join('\n')}\n${indent}</li>`;
  }
  return el.children.length === 0 ? `${indent}<${el.local}/>` : `${indent}<${el.local}>${inlineXml(el.children)}</${el.local}>`;
}

class XmlWriter {
  readonly lines: string[] = [];

  constructor(private readonly file: string) {}

  invalid(pointer: string, message: string): PlimsollError {
    return new PlimsollError(ErrorCode.CONTENT_INVALID, `${this.file}#${pointer}: ${message}`, [{ file: this.file, pointer, message }]);
  }

  assembly(name: string, value: unknown, def: Definition, indent: string, pointer: string, rootNs = false): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.invalid(pointer, `expected an object for <${name}>`);
    const obj = value as OscalJson;
    const known = new Set([...def.flags.map((f) => f.name), ...def.children.map((c) => c.json), ...(def.value ? [def.value.key] : [])]);
    for (const key of Object.keys(obj)) {
      if (!known.has(key) && !(rootNs && key === '$schema')) throw this.invalid(`${pointer}/${escapePointer(key)}`, `"${key}" is not part of the OSCAL ${def.name} model`);
    }
    const flagAttrs: Record<string, string> = rootNs ? { xmlns: OSCAL_NS } : {};
    for (const flag of def.flags) {
      const v = obj[flag.name];
      if (v !== undefined) flagAttrs[flag.name] = String(v);
    }
    const open = `${indent}<${name}${attrs(flagAttrs)}`;
    if (def.value) {
      this.lines.push(`${open}>${this.scalarXml(obj[def.value.key], def.value.type, `${pointer}/${def.value.key}`)}</${name}>`);
      return;
    }
    const start = this.lines.length;
    for (const rule of def.children) {
      const v = obj[rule.json];
      if (v === undefined) continue;
      const p = `${pointer}/${escapePointer(rule.json)}`;
      if (rule.type === '~multi') {
        if (typeof v !== 'string') throw this.invalid(p, 'expected a string');
        for (const b of markdownToMultiline(v)) this.lines.push(blockXml(b, `${indent}  `));
        continue;
      }
      if (!rule.many) {
        this.child(rule, v, `${indent}  `, p);
        continue;
      }
      if (!Array.isArray(v)) throw this.invalid(p, `expected a list of <${rule.xml}>`);
      const itemIndent = rule.wrapper ? `${indent}    ` : `${indent}  `;
      if (rule.wrapper) this.lines.push(`${indent}  <${rule.wrapper}>`);
      v.forEach((item, i) => this.child(rule, item, itemIndent, `${p}/${i}`));
      if (rule.wrapper) this.lines.push(`${indent}  </${rule.wrapper}>`);
    }
    if (this.lines.length === start) this.lines.push(`${open}/>`);
    else {
      this.lines.splice(start, 0, `${open}>`);
      this.lines.push(`${indent}</${name}>`);
    }
  }

  private child(rule: ChildRule, v: unknown, indent: string, pointer: string): void {
    if (!isScalar(rule.type)) return this.assembly(rule.xml, v, definition(rule.type), indent, pointer);
    if (rule.type === 'empty') return void this.lines.push(`${indent}<${rule.xml}/>`);
    if (rule.type === 'multi') {
      if (typeof v !== 'string') throw this.invalid(pointer, 'expected a string');
      const blocks = markdownToMultiline(v);
      if (blocks.length === 0) return void this.lines.push(`${indent}<${rule.xml}/>`);
      this.lines.push(`${indent}<${rule.xml}>`, ...blocks.map((b) => blockXml(b, `${indent}  `)), `${indent}</${rule.xml}>`);
      return;
    }
    const content = this.scalarXml(v, rule.type, pointer);
    this.lines.push(content === '' ? `${indent}<${rule.xml}/>` : `${indent}<${rule.xml}>${content}</${rule.xml}>`);
  }

  private scalarXml(v: unknown, type: ScalarType, pointer: string): string {
    if (type === 'bool' || type === 'int' || type === 'num') {
      if (typeof v !== (type === 'bool' ? 'boolean' : 'number')) throw this.invalid(pointer, `expected a ${type === 'bool' ? 'boolean' : 'number'}`);
      return String(v);
    }
    if (typeof v !== 'string') throw this.invalid(pointer, 'expected a string');
    return type === 'line' ? inlineXml(markdownToLine(v)) : escText(v);
  }
}

/** Writes the JSON model of an OSCAL document (`{ "catalog": … }`) as OSCAL XML text. */
export function oscalJsonToXml(json: OscalJson, file = 'document'): string {
  const root = Object.keys(json).find((k) => k !== '$schema');
  const model = root === undefined ? undefined : ROOT_MODELS[root];
  const writer = new XmlWriter(file);
  if (root === undefined || model === undefined) throw writer.invalid('/', `not an OSCAL document this version writes as XML (${Object.keys(ROOT_MODELS).join(', ')})`);
  writer.assembly(root, json[root], definition(model), '', `/${root}`, true);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writer.lines.join('\n')}\n`;
}
