/** XML element trees as data, for element-for-element comparisons of OSCAL XML. */
import type { XmlElement, XmlNode } from '../../../../src/formats/safe-xml.js';

const INLINE = new Set(['insert', 'em', 'strong', 'a', 'q', 'code', 'sub', 'sup', 'img', 'i', 'b', 'br']);

/** An element tree as data: whitespace between elements dropped, inside mixed content collapsed to one space. */
export function xmlTree(el: XmlElement): unknown {
  const mixed = el.children.some((c) => (c.type === 'text' && c.text.trim() !== '') || (c.type === 'element' && INLINE.has(c.local)));
  const children: unknown[] = [];
  for (const c of el.children as XmlNode[]) {
    if (c.type === 'text') {
      if (mixed) children.push(c.text.replace(/\s+/g, ' '));
    } else children.push(xmlTree(c));
  }
  return { name: el.local, ns: el.ns, attrs: el.attrs, children };
}
