/**
 * OSCAL XML markup (markup-line and markup-multiline) → the Markdown the OSCAL JSON format carries, so
 * catalogs read from XML and from JSON have the same prose: `<insert type="param" id-ref="x"/>` →
 * `{{ insert: param, x }}`, `<em>` → `*…*`, `<strong>` → `**…**`, `<q>` → `"…"`, `<a href>` → `[…](…)`,
 * paragraphs separated by a blank line.
 */
import type { XmlElement, XmlNode } from '../safe-xml.js';
import { textContent } from '../safe-xml.js';

const BLOCKS = new Set(['p', 'ul', 'ol', 'table', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function inline(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') {
      out += collapse(n.text);
      continue;
    }
    const inner = (): string => inline(n.children);
    switch (n.local) {
      case 'insert':
        out += `{{ insert: ${n.attrs.type ?? 'param'}, ${n.attrs['id-ref'] ?? ''} }}`;
        break;
      case 'em':
      case 'i':
        out += `*${inner()}*`;
        break;
      case 'strong':
      case 'b':
        out += `**${inner()}**`;
        break;
      case 'q':
        out += `"${inner()}"`;
        break;
      case 'code':
        out += `\`${textContent(n)}\``;
        break;
      case 'sub':
        out += `~${inner()}~`;
        break;
      case 'sup':
        out += `^${inner()}^`;
        break;
      case 'a':
        out += `[${inner()}](${n.attrs.href ?? ''})`;
        break;
      case 'img':
        out += `![${n.attrs.alt ?? ''}](${n.attrs.src ?? ''})`;
        break;
      case 'br':
        out += '\n';
        break;
      default:
        out += inner();
    }
  }
  return out;
}

/** A markup-line element's content as one line of Markdown (whitespace collapsed, trimmed). */
export function markupLine(el: XmlElement): string {
  return inline(el.children).trim();
}

function list(el: XmlElement, depth: number): string {
  const ordered = el.local === 'ol';
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  let n = 0;
  for (const li of el.children) {
    if (li.type !== 'element' || li.local !== 'li') continue;
    n += 1;
    const own = inline(li.children.filter((c) => c.type === 'text' || (c.local !== 'ul' && c.local !== 'ol'))).trim();
    lines.push(`${indent}${ordered ? `${n}.` : '-'} ${own}`);
    for (const sub of li.children) if (sub.type === 'element' && (sub.local === 'ul' || sub.local === 'ol')) lines.push(list(sub, depth + 1));
  }
  return lines.join('\n');
}

function table(el: XmlElement): string {
  const rows: string[][] = [];
  const visit = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.type !== 'element') continue;
      if (c.local === 'tr') rows.push(c.children.filter((x): x is XmlElement => x.type === 'element').map((cell) => inline(cell.children).trim()));
      else visit(c);
    }
  };
  visit(el);
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (r: string[]): string => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  return [line(rows[0]!), line(Array.from({ length: width }, () => '---')), ...rows.slice(1).map(line)].join('\n');
}

function block(el: XmlElement): string {
  switch (el.local) {
    case 'p':
      return inline(el.children).trim();
    case 'ul':
    case 'ol':
      return list(el, 0);
    case 'table':
      return table(el);
    case 'pre':
      return `\`\`\`\n${textContent(el).replace(/^\n|\n\s*$/g, '')}\n\`\`\``;
    case 'blockquote':
      return markupMultiline(el.children)
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    default: {
      const level = /^h([1-6])$/.exec(el.local);
      return level ? `${'#'.repeat(Number(level[1]))} ${inline(el.children).trim()}` : inline(el.children).trim();
    }
  }
}

/**
 * Block content (paragraphs, lists, tables…) as Markdown, blocks separated by a blank line. Only block
 * elements and stray non-blank text count; other elements (title, prop, part…) are the caller's.
 */
export function markupMultiline(nodes: readonly XmlNode[]): string {
  const blocks: string[] = [];
  for (const n of nodes) {
    if (n.type === 'text') {
      const t = collapse(n.text).trim();
      if (t !== '') blocks.push(t);
    } else if (BLOCKS.has(n.local)) {
      const b = block(n);
      if (b !== '') blocks.push(b);
    }
  }
  return blocks.join('\n\n');
}
