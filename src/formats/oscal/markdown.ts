/**
 * OSCAL markup (markup-line and markup-multiline) between its XML form and the Markdown the JSON and YAML
 * formats carry, both ways, as NIST's own converter writes it:
 * - text keeps its spaces: runs of XML whitespace become one space but nothing is trimmed, so a choice
 *   `<choice>\n  <insert …/>\n</choice>` is `" {{ insert: param, x }} "` as in NIST's resolved catalogs;
 * - `<insert type id-ref>` ↔ `{{ insert: type, id }}`, `<em>`/`<i>` ↔ `*…*`, `<strong>`/`<b>` ↔ `**…**`,
 *   `<q>` ↔ `"…"`, `<code>` ↔ `` `…` ``, `<sub>` ↔ `~…~`, `<sup>` ↔ `^…^`, `<a href>` ↔ `[…](…)`,
 *   `<img alt src>` ↔ `![…](…)`; a literal `"`, `*`, `` ` ``, `~`, `^` or `\` is escaped with `\`;
 * - blocks are separated by a blank line; a list is `* item` (`1. item`) lines each ending in a newline,
 *   nested lists indented by two spaces; headings `#`, code fences, `>` quotes and `|` tables.
 * Markdown → XML gives element trees (`XmlNode`) so writers and comparisons share one shape.
 */
import type { XmlElement, XmlNode } from '../safe-xml.js';

export const OSCAL_NS = 'http://csrc.nist.gov/ns/oscal/1.0';

/** Block-level elements of markup-multiline. */
export const BLOCK_ELEMENTS = new Set(['p', 'ul', 'ol', 'table', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr']);

const collapse = (text: string): string => text.replace(/[ \t\r\n]+/g, ' ');

/** Escapes characters that would otherwise read as Markdown markup (inside a link's text, brackets too). */
function escapeText(text: string, inLink: boolean): string {
  const escaped = text.replace(/[\\*`~^"]/g, '\\$&').replace(/\{\{/g, '\\{{');
  return inLink ? escaped.replace(/[[\]]/g, '\\$&') : escaped.replace(/\]\(/g, ']\\(');
}

function inlineToMd(nodes: readonly XmlNode[], inLink = false): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') {
      out += escapeText(collapse(n.text), inLink);
      continue;
    }
    const inner = (): string => inlineToMd(n.children, inLink || n.local === 'a');
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
        out += `\`${textOf(n).replace(/`/g, '\\`')}\``;
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
        out += '  \n';
        break;
      default:
        out += inner();
    }
  }
  return out;
}

function textOf(el: XmlElement): string {
  return el.children.map((c) => (c.type === 'text' ? c.text : textOf(c))).join('');
}

/** A markup-line element's content as Markdown (spaces kept, runs collapsed). */
export function lineToMarkdown(el: XmlElement): string {
  return inlineToMd(el.children);
}

/**
 * What starts a block when a line of text begins with it (CommonMark, which this module's reader follows):
 * a quote `>` (a space after it is optional: `>` alone is an empty quote), an ATX heading, a bullet or
 * ordered list marker (followed by a space or nothing: `-` alone is an empty item), a table row `|`, and a
 * thematic break (`---`, `- - -`). Backticks, tildes and asterisks are escaped wherever they stand.
 */
const BLOCK_START = /^(?:>|#{1,6}(?=[ \t]|$)|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|\||-(?=(?:[ \t]*-){2,}[ \t]*$))/;

/** Escapes a block marker at the start of a line of paragraph text, so it reads back as text. */
function escapeBlockStart(line: string): string {
  return line.replace(BLOCK_START, (m) => (/^\d/.test(m) ? `${m.slice(0, -1)}\\${m.slice(-1)}` : `\\${m}`));
}

/** A paragraph: no line of it (the first, or one after a `<br>`) may read as the start of another block. */
function paragraphMd(el: XmlElement): string {
  return inlineToMd(el.children).split('\n').map(escapeBlockStart).join('\n');
}

function listToMd(el: XmlElement, depth: number): string {
  const indent = '  '.repeat(depth);
  let n = 0;
  let out = '';
  for (const li of el.children) {
    if (li.type !== 'element' || li.local !== 'li') continue;
    n += 1;
    const own = li.children.filter((c) => c.type === 'text' || (c.local !== 'ul' && c.local !== 'ol'));
    out += `${indent}${el.local === 'ol' ? `${n}.` : '*'} ${inlineToMd(own).trim()}\n`;
    for (const sub of li.children) if (sub.type === 'element' && (sub.local === 'ul' || sub.local === 'ol')) out += listToMd(sub, depth + 1);
  }
  return out;
}

function tableToMd(el: XmlElement): string {
  const rows: { cells: string[]; header: boolean }[] = [];
  const visit = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.type !== 'element') continue;
      if (c.local === 'tr') {
        const cells = c.children.filter((x): x is XmlElement => x.type === 'element');
        rows.push({ cells: cells.map((cell) => inlineToMd(cell.children).trim().replace(/\|/g, '\\|')), header: cells.some((x) => x.local === 'th') });
      } else visit(c);
    }
  };
  visit(el);
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.cells.length));
  const line = (r: string[]): string => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
  return [line(rows[0]!.cells), line(Array.from({ length: width }, () => '---')), ...rows.slice(1).map((r) => line(r.cells))].join('\n');
}

function blockToMd(el: XmlElement): string {
  switch (el.local) {
    case 'p':
      return paragraphMd(el);
    case 'ul':
    case 'ol':
      return listToMd(el, 0);
    case 'table':
      return tableToMd(el);
    case 'pre':
      return `\`\`\`\n${textOf(el)}\n\`\`\``;
    case 'hr':
      return '---';
    case 'blockquote':
      return multilineToMarkdown(el.children)
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    default:
      return `${'#'.repeat(Number(el.local.slice(1)))} ${inlineToMd(el.children).trim()}`;
  }
}

/**
 * Block content as Markdown, blocks joined by a blank line. Only block elements (and stray non-blank text,
 * read as a paragraph) count: other elements among `nodes` (a part's title, props, sub-parts) are the caller's.
 */
export function multilineToMarkdown(nodes: readonly XmlNode[]): string {
  const blocks: string[] = [];
  for (const n of nodes) {
    if (n.type === 'text') {
      if (n.text.trim() !== '') blocks.push(escapeBlockStart(escapeText(collapse(n.text), false).trim()));
    } else if (BLOCK_ELEMENTS.has(n.local)) {
      blocks.push(blockToMd(n));
    }
  }
  return blocks.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------------
// Markdown → XML

const el = (local: string, children: XmlNode[] = [], attrs: Record<string, string> = {}): XmlElement => ({
  type: 'element', name: local, local, ns: OSCAL_NS, attrs, children, line: 0, column: 0,
});
const text = (t: string): XmlNode => ({ type: 'text', text: t });

const INSERT = /^\{\{\s*insert:\s*([^,\s}]+)\s*,\s*([^\s}]+)\s*\}\}/;
const PAIRED: Record<string, { close: string; local: string }> = {
  '**': { close: '**', local: 'strong' },
  '*': { close: '*', local: 'em' },
  '`': { close: '`', local: 'code' },
  '~': { close: '~', local: 'sub' },
  '^': { close: '^', local: 'sup' },
  '"': { close: '"', local: 'q' },
};

/** Parses inline Markdown from `i` until `close` (or the end); returns the nodes and where parsing stopped. */
function parseInline(s: string, start: number, close?: string): { nodes: XmlNode[]; end: number; closed: boolean } {
  const nodes: XmlNode[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf !== '') nodes.push(text(buf));
    buf = '';
  };
  let i = start;
  while (i < s.length) {
    if (close !== undefined && s.startsWith(close, i) && !(close === '*' && s.startsWith('**', i) && !s.startsWith('***', i))) {
      flush();
      return { nodes, end: i + close.length, closed: true };
    }
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && /[\\*`~^"[\](){}#>|.+-]/.test(s[i + 1]!)) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    const insert = c === '{' ? INSERT.exec(s.slice(i, i + 200)) : null;
    if (insert) {
      flush();
      nodes.push(el('insert', [], { type: insert[1]!, 'id-ref': insert[2]! }));
      i += insert[0].length;
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let code = '';
      while (j < s.length && s[j] !== '`') {
        if (s[j] === '\\' && s[j + 1] === '`') j += 1;
        code += s[j];
        j += 1;
      }
      if (j < s.length) {
        flush();
        nodes.push(el('code', code === '' ? [] : [text(code)]));
        i = j + 1;
        continue;
      }
    }
    const link = c === '[' || (c === '!' && s[i + 1] === '[') ? parseLink(s, c === '!' ? i + 1 : i) : undefined;
    if (link) {
      flush();
      nodes.push(c === '!' ? el('img', [], { alt: textOfNodes(link.label), src: link.href }) : el('a', link.label, { href: link.href }));
      i = link.end;
      continue;
    }
    const opener = s.startsWith('**', i) ? '**' : PAIRED[c] && c !== '`' ? c : undefined;
    if (opener !== undefined) {
      const inner = parseInline(s, i + opener.length, PAIRED[opener]!.close);
      if (inner.closed && inner.nodes.length > 0) {
        flush();
        nodes.push(el(PAIRED[opener]!.local, inner.nodes));
        i = inner.end;
        continue;
      }
    }
    buf += c;
    i += 1;
  }
  flush();
  return { nodes, end: i, closed: false };
}

function textOfNodes(nodes: readonly XmlNode[]): string {
  return nodes.map((n) => (n.type === 'text' ? n.text : textOf(n))).join('');
}

/** `[label](href)` at `i`, or undefined. */
function parseLink(s: string, i: number): { label: XmlNode[]; href: string; end: number } | undefined {
  const label = parseInline(s, i + 1, ']');
  if (!label.closed || s[label.end] !== '(') return undefined;
  const close = s.indexOf(')', label.end);
  if (close < 0) return undefined;
  return { label: label.nodes, href: s.slice(label.end + 1, close), end: close + 1 };
}

/** Markdown of a markup-line value → inline XML nodes. */
export function markdownToLine(md: string): XmlNode[] {
  return parseInline(md, 0).nodes;
}

const LIST_ITEM = /^( *)([*+-]|\d+\.) (.*)$/;

function parseList(lines: string[], start: number, indent: number): { el: XmlElement; end: number } {
  const ordered = /^\d/.test(LIST_ITEM.exec(lines[start]!)![2]!);
  const list = el(ordered ? 'ol' : 'ul');
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]!);
    if (!m || m[1]!.length < indent) break;
    if (m[1]!.length > indent) {
      const last = list.children[list.children.length - 1] as XmlElement | undefined;
      const sub = parseList(lines, i, m[1]!.length);
      if (last) last.children.push(sub.el);
      else list.children.push(el('li', [sub.el]));
      i = sub.end;
      continue;
    }
    list.children.push(el('li', markdownToLine(m[3]!)));
    i += 1;
  }
  return { el: list, end: i };
}

function parseTableRow(line: string, cell: string): XmlElement {
  const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
  return el('tr', cells.map((c) => el(cell, markdownToLine(c.trim().replace(/\\\|/g, '|')))));
}

/** Markdown of a markup-multiline value → block XML elements. */
export function markdownToMultiline(md: string): XmlElement[] {
  const lines = md.split('\n');
  const out: XmlElement[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i += 1;
    } else if (line.startsWith('```')) {
      const end = lines.indexOf('```', i + 1);
      const stop = end < 0 ? lines.length : end;
      out.push(el('pre', [text(lines.slice(i + 1, stop).join('\n'))]));
      i = stop + 1;
    } else if (/^#{1,6} /.test(line)) {
      const level = line.indexOf(' ');
      out.push(el(`h${level}`, markdownToLine(line.slice(level + 1))));
      i += 1;
    } else if (line === '---') {
      out.push(el('hr'));
      i += 1;
    } else if (LIST_ITEM.test(line) && !line.startsWith(' ')) {
      const list = parseList(lines, i, 0);
      out.push(list.el);
      i = list.end;
    } else if (line.startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) rows.push(lines[i++]!);
      const body = rows.filter((r, k) => !(k === 1 && /^\|[\s|:-]+\|$/.test(r)));
      out.push(el('table', body.map((r, k) => parseTableRow(r, k === 0 ? 'th' : 'td'))));
    } else if (line.startsWith('> ') || line === '>') {
      const quoted: string[] = [];
      while (i < lines.length && (lines[i]!.startsWith('> ') || lines[i] === '>')) quoted.push(lines[i++]!.slice(2));
      out.push(el('blockquote', markdownToMultiline(quoted.join('\n'))));
    } else {
      const para: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && !(para.length > 0 && isBlockStart(lines[i]!))) para.push(lines[i++]!);
      out.push(el('p', markdownToLine(para.join('\n'))));
    }
  }
  return out;
}

function isBlockStart(line: string): boolean {
  return line.startsWith('```') || /^#{1,6} /.test(line) || (LIST_ITEM.test(line) && !line.startsWith(' ')) || line.startsWith('|') || line.startsWith('> ');
}
