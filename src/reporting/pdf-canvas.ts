/**
 * The drawing surface both PDF reports share, over pdfkit: headings that are also outline entries
 * (bookmarks), paragraphs, label/value lists, tables that carry their header over page breaks, and the
 * "Page N of M" footer written once every page exists (pages are buffered). Deterministic: the document's
 * CreationDate and ModDate come from the assessment, and pdfkit derives the trailer ID from the info
 * dictionary, so the same input gives the same bytes. Only the PDF standard fonts are used (nothing is
 * embedded); text is reduced to what their WinAnsi encoding can show, so what pdftotext extracts is what was
 * meant.
 */
import PDFDocument from 'pdfkit';
import type { Branding } from './report-layout.js';

export interface PdfMeta {
  title: string;
  subject: string;
  author: string;
  keywords?: string;
  /** The document's date (CreationDate, ModDate): the assessment's, never the clock's. */
  date: Date;
}

export interface TableColumn {
  header: string;
  /** Share of the content width; the shares of a table add up to 1. */
  width: number;
  mono?: boolean;
  bold?: boolean;
}

/** A table cell: text, or text in a status colour. */
export type TableCell = string | { text: string; color: string; bold?: boolean; mono?: boolean };

// Characters outside WinAnsi that reports use, with what the standard fonts can show instead.
const REPLACEMENTS: Record<string, string> = {
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2713': 'yes',
  '\u2717': 'no',
  '\u00a0': ' ',
};
// WinAnsi's characters above Latin-1 (pdfkit's standard-font encoding).
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text the standard fonts can show: known symbols spelled out, other characters outside WinAnsi as `?`. */
export function pdfText(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a || (code >= 0x20 && code < 0x7f) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (Object.hasOwn(REPLACEMENTS, ch)) out += REPLACEMENTS[ch];
    else if (code === 0x09 || code === 0x0d) out += ' ';
    else out += '?';
  }
  return out;
}

/**
 * The longest text one table cell shows: a row must fit on one page (pdfkit would otherwise carry the cell's
 * text onto the next page apart from its row). Longer text is cut, and says so.
 */
const MAX_CELL_CHARS = 1500;

function cellText(s: string): string {
  const text = pdfText(s);
  return text.length <= MAX_CELL_CHARS ? text : `${text.slice(0, MAX_CELL_CHARS)}... (shortened for the table; the full text is in the record)`;
}

export class PdfCanvas {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;
  private section?: PDFKit.PDFOutline;

  constructor(
    readonly branding: Branding,
    meta: PdfMeta,
  ) {
    this.doc = new PDFDocument({
      size: branding.page.size,
      margin: branding.page.margin,
      bufferPages: true,
      compress: true,
      displayTitle: true,
      info: {
        Title: pdfText(meta.title),
        Subject: pdfText(meta.subject),
        Author: pdfText(meta.author),
        Creator: pdfText(branding.organization),
        Producer: 'Plimsoll (pdfkit)',
        ...(meta.keywords !== undefined ? { Keywords: pdfText(meta.keywords) } : {}),
        CreationDate: meta.date,
        ModDate: meta.date,
      },
    });
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    this.doc.font(branding.fonts.regular).fontSize(branding.fontSizes.body).fillColor(branding.colors.text);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** A new page when fewer than `height` points are left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  /** A top-level section: a new page unless this one is still empty, its heading, and a bookmark to it. */
  startSection(title: string, intro?: string): void {
    if (this.doc.y > this.doc.page.margins.top + 1) this.doc.addPage();
    this.section = this.doc.outline.addItem(pdfText(title));
    const b = this.branding;
    this.doc.font(b.fonts.bold).fontSize(b.fontSizes.heading).fillColor(b.colors.primary).text(pdfText(title), this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 2;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(1).strokeColor(b.colors.primary).stroke();
    this.doc.y = y + 8;
    if (intro !== undefined && intro !== '') this.paragraph(intro, { color: b.colors.muted });
  }

  /** A bookmark to the current page without a heading (the cover). */
  bookmark(title: string): void {
    this.section = this.doc.outline.addItem(pdfText(title));
  }

  /** A heading inside the current section, bookmarked under it. */
  subheading(title: string): void {
    const b = this.branding;
    this.ensureSpace(b.fontSizes.subheading * 4);
    this.doc.moveDown(0.4);
    (this.section ?? this.doc.outline).addItem(pdfText(title));
    this.doc.font(b.fonts.bold).fontSize(b.fontSizes.subheading).fillColor(b.colors.primary).text(pdfText(title), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string, opts: { color?: string; bold?: boolean; mono?: boolean; size?: number; gap?: number } = {}): void {
    const b = this.branding;
    this.doc
      .font(opts.mono === true ? b.fonts.mono : opts.bold === true ? b.fonts.bold : b.fonts.regular)
      .fontSize(opts.size ?? b.fontSizes.body)
      .fillColor(opts.color ?? b.colors.text)
      .text(pdfText(text), this.left, this.doc.y, { width: this.width, lineGap: 1.5 });
    this.doc.moveDown(opts.gap ?? 0.5);
  }

  /** What a section says when it has no data: the layout's `empty` sentence, else `fallback`. */
  empty(section: { empty?: string }, fallback: string): void {
    this.paragraph(section.empty !== undefined && section.empty !== '' ? section.empty : fallback, { bold: true });
  }

  /** Label: value rows, the labels in a narrow bold column. */
  keyValues(rows: readonly (readonly [string, string])[], labelShare = 0.28): void {
    const b = this.branding;
    const labelWidth = this.width * labelShare;
    const valueWidth = this.width - labelWidth - 8;
    for (const [label, value] of rows) {
      const v = pdfText(value);
      this.doc.font(b.fonts.regular).fontSize(b.fontSizes.body);
      const h = Math.max(this.doc.heightOfString(v, { width: valueWidth }), this.doc.heightOfString(pdfText(label), { width: labelWidth }));
      this.ensureSpace(h + 3);
      const y = this.doc.y;
      this.doc.font(b.fonts.bold).fillColor(b.colors.muted).text(pdfText(label), this.left, y, { width: labelWidth });
      this.doc.font(b.fonts.regular).fillColor(b.colors.text).text(v, this.left + labelWidth + 8, y, { width: valueWidth });
      this.doc.y = y + h + 3;
    }
    this.doc.moveDown(0.4);
  }

  private readonly lineHeights = new Map<string, number>();

  /**
   * The height of `text` in the current font and size at `width`. Most cells are one short line: those are
   * measured by width alone (one line's height is cached per font and size), sparing pdfkit's line wrapper.
   */
  private textHeight(text: string, width: number, font: string, size: number): number {
    if (text === '') return 0;
    if (!text.includes('\n') && this.doc.widthOfString(text) < width - 1) {
      const key = `${font}\u0000${size}`;
      let h = this.lineHeights.get(key);
      if (h === undefined) {
        h = this.doc.heightOfString('X', { width });
        this.lineHeights.set(key, h);
      }
      return h;
    }
    return this.doc.heightOfString(text, { width });
  }

  /** A table: a banded header (repeated after each page break), then one row per entry with a rule under it. */
  table(columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[]): void {
    const b = this.branding;
    const pad = 3;
    const widths = columns.map((c) => c.width * this.width);
    const size = b.fontSizes.small;
    const header = (): void => {
      this.doc.font(b.fonts.bold).fontSize(size);
      const h = Math.max(...columns.map((c, i) => this.doc.heightOfString(pdfText(c.header), { width: widths[i]! - 2 * pad }))) + 2 * pad;
      this.ensureSpace(h + size * 3);
      const y = this.doc.y;
      this.doc.rect(this.left, y, this.width, h).fill(b.colors.band);
      let x = this.left;
      columns.forEach((c, i) => {
        this.doc.fillColor(b.colors.primary).text(pdfText(c.header), x + pad, y + pad, { width: widths[i]! - 2 * pad });
        x += widths[i]!;
      });
      this.doc.y = y + h;
    };
    header();
    for (const row of rows) {
      const cells = row.map((cell) => (typeof cell === 'string' ? { text: cellText(cell), color: b.colors.text, bold: false, mono: false } : { ...cell, text: cellText(cell.text) }));
      const fontOf = (i: number): string => (columns[i]!.mono === true || cells[i]!.mono === true ? b.fonts.mono : columns[i]!.bold === true || cells[i]!.bold === true ? b.fonts.bold : b.fonts.regular);
      let h = 0;
      cells.forEach((cell, i) => {
        this.doc.font(fontOf(i)).fontSize(size);
        h = Math.max(h, this.textHeight(cell.text, widths[i]! - 2 * pad, fontOf(i), size));
      });
      h += 2 * pad;
      if (this.doc.y + h > this.bottom) {
        this.doc.addPage();
        header();
      }
      const y = this.doc.y;
      let x = this.left;
      cells.forEach((cell, i) => {
        this.doc.font(fontOf(i)).fontSize(size).fillColor(cell.color).text(cell.text, x + pad, y + pad, { width: widths[i]! - 2 * pad });
        x += widths[i]!;
      });
      this.doc.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.4).strokeColor(b.colors.rule).stroke();
      this.doc.y = y + h;
    }
    this.doc.moveDown(0.8);
  }

  /**
   * Writes the footer of every page ("Page N of M" and the branding's footer line) and ends the document.
   * `header`: the running title printed at the top of every page but the first.
   */
  async finish(header: string): Promise<Uint8Array> {
    const b = this.branding;
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    for (let i = range.start; i < range.start + total; i += 1) {
      this.doc.switchToPage(i);
      const margins = this.doc.page.margins;
      const keep = margins.bottom;
      // Writing inside the bottom margin must not add a page: lift the margin while the footer is written.
      margins.bottom = 0;
      const y = this.doc.page.height - keep + 14;
      const pageLabel = `Page ${i - range.start + 1} of ${total}`;
      this.doc.moveTo(margins.left, y - 4).lineTo(margins.left + this.width, y - 4).lineWidth(0.4).strokeColor(b.colors.rule).stroke();
      this.doc.font(b.fonts.regular).fontSize(b.fontSizes.small).fillColor(b.colors.muted);
      this.doc.text(pageLabel, margins.left, y, { width: this.width, align: 'right', lineBreak: false });
      this.doc.text(pdfText(b.documentFooter), margins.left, y, { width: this.width - 80, lineBreak: true, height: keep - 20, ellipsis: true });
      if (i > range.start) this.doc.text(pdfText(header), margins.left, margins.top - 24, { width: this.width, lineBreak: false, ellipsis: true });
      margins.bottom = keep;
    }
    this.doc.end();
    await this.done;
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}
