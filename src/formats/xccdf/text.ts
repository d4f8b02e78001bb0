/**
 * XCCDF text: descriptions, rationales and fixes mix text with XHTML (`<html:code>`, `<html:pre>`, `<html:br/>`,
 * lists) and XCCDF substitutions (`<sub idref="…"/>` naming a Value, `<instance/>`). Rendered here as plain text.
 */
import type { XmlElement, XmlNode } from '../safe-xml.js';

const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const BLOCKS = new Set(['p', 'div', 'pre', 'ul', 'ol', 'li', 'table', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'dl', 'dt', 'dd']);

/** Resolves a `<sub idref>` to its text (a Value's value); undefined leaves a `{{idref}}` placeholder. */
export type SubResolver = (idref: string) => string | undefined;

function render(node: XmlNode, sub: SubResolver, out: string[], used: Set<string> | undefined): void {
  if (node.type === 'text') {
    out.push(node.text);
    return;
  }
  const name = node.local;
  if (name === 'sub' && node.ns !== XHTML_NS) {
    const idref = node.attrs.idref ?? '';
    used?.add(idref);
    out.push(sub(idref) ?? `{{${idref}}}`);
    return;
  }
  if (name === 'instance' && node.ns !== XHTML_NS) {
    out.push(`{{instance${node.attrs.context ? `:${node.attrs.context}` : ''}}}`);
    return;
  }
  if (node.ns !== XHTML_NS) {
    for (const c of node.children) render(c, sub, out, used);
    return;
  }
  if (name === 'br') {
    out.push('\n');
    return;
  }
  const block = BLOCKS.has(name);
  if (block) out.push('\n');
  if (name === 'li') out.push('- ');
  if (name === 'td' || name === 'th') out.push(' ');
  for (const c of node.children) render(c, sub, out, used);
  if (block) out.push('\n');
}

/**
 * The plain text of a mixed-content element: XHTML tags dropped, line breaks for `<br/>` and block
 * elements, `<sub>` replaced through `sub`. Trailing spaces of lines are dropped, blank lines collapsed to
 * one, the whole trimmed. `used` collects the Value ids substituted.
 */
export function plainText(el: XmlElement, sub: SubResolver = () => undefined, used?: Set<string>): string {
  const out: string[] = [];
  for (const c of el.children) render(c, sub, out, used);
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Script text (a fix): `<sub>` replaced, whitespace kept as written except surrounding blank lines. */
export function scriptText(el: XmlElement, sub: SubResolver, used?: Set<string>): string {
  const out: string[] = [];
  for (const c of el.children) render(c, sub, out, used);
  // trimEnd drops exactly what /\s+$/ would (both are WhiteSpace and LineTerminator), without the regular
  // expression's retry at every whitespace run of a long script.
  return out.join('').replace(/^\s*\n/, '').trimEnd();
}
