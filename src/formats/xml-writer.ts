/**
 * The one way Plimsoll writes XML text from values it does not control (container names, messages, review
 * statements, benchmark prose): every text and attribute value passes through these escapes, and documents
 * are built as element trees (the `XmlElement` shape safe-xml.ts reads) serialised by `writeXmlDocument`, never
 * by concatenating untrusted text into markup.
 *
 * Escaping keeps values exact through a conforming parser: `&`, `<`, `>` always; quotes in attributes; a
 * carriage return as `&#13;` (a parser would otherwise normalise it away); tabs and newlines in attributes as
 * character references (attribute normalisation would turn them into spaces). Characters XML 1.0 cannot carry
 * at all (C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE/U+FFFF) are replaced
 * by U+FFFD, so the output is always well-formed.
 */
import type { XmlElement, XmlNode } from './safe-xml.js';

const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces characters XML 1.0 cannot represent by U+FFFD. */
export function xmlChars(s: string): string {
  return s.replace(NOT_XML_CHAR, '\uFFFD');
}

/** Escapes character data (element text). */
export function escapeXmlText(s: string): string {
  return xmlChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value (to be written between double quotes). */
export function escapeXmlAttribute(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** An element of a tree to write: name, attributes and children (elements or text). */
export function xmlElement(name: string, children: readonly (XmlNode | string)[] = [], attrs: Record<string, string> = {}): XmlElement {
  return {
    type: 'element',
    name,
    local: name.includes(':') ? name.slice(name.indexOf(':') + 1) : name,
    ns: '',
    attrs: { ...attrs },
    children: children.map((c) => (typeof c === 'string' ? { type: 'text', text: c } : c)),
    line: 0,
    column: 0,
  };
}

const NAME = /^[A-Za-z_][\w.:-]*$/;

function assertName(name: string): void {
  // Names come from the writers' own tables, never from data: a bad one is a programming error.
  if (!NAME.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name)}`);
}

export interface WriteXmlOptions {
  /** Indentation per level for elements holding only elements (text content is never re-indented). Default two spaces. */
  indent?: string;
  /** Comments written between the declaration and the document element (escaped so they cannot end early). */
  leadingComments?: readonly string[];
}

function serialise(el: XmlElement, indent: string, depth: number, out: string[]): void {
  assertName(el.name);
  let open = `<${el.name}`;
  for (const [k, v] of Object.entries(el.attrs)) {
    assertName(k);
    open += ` ${k}="${escapeXmlAttribute(v)}"`;
  }
  const pad = indent.repeat(depth);
  if (el.children.length === 0) {
    out.push(`${pad}${open}/>`);
    return;
  }
  const onlyElements = el.children.every((c) => c.type === 'element');
  if (!onlyElements) {
    // Mixed or text content: written inline, exactly as given.
    const inner: string[] = [];
    for (const c of el.children) {
      if (c.type === 'text') inner.push(escapeXmlText(c.text));
      else {
        const sub: string[] = [];
        serialise(c, '', 0, sub);
        inner.push(sub.join(''));
      }
    }
    out.push(`${pad}${open}>${inner.join('')}</${el.name}>`);
    return;
  }
  out.push(`${pad}${open}>`);
  for (const c of el.children) serialise(c as XmlElement, indent, depth + 1, out);
  out.push(`${pad}</${el.name}>`);
}

/** Serialises an element tree as a UTF-8 XML document (declaration, optional comments, the tree), ending with a newline. */
export function writeXmlDocument(root: XmlElement, opts: WriteXmlOptions = {}): string {
  const indent = opts.indent ?? '  ';
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  // "--" may not appear inside a comment; a space keeps the text readable and the comment closed.
  for (const c of opts.leadingComments ?? []) out.push(`<!-- ${xmlChars(c).replace(/--/g, '- -').replace(/-$/, '- ')} -->`);
  const body: string[] = [];
  serialise(root, indent, 0, body);
  out.push(...body);
  return `${out.join(indent === '' ? '' : '\n')}\n`;
}
