/** Reads PDFs as a person's tools do: poppler's pdftotext, pdfinfo and pdfimages, qpdf's JSON view of the outline. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../harness/content.js';

export interface OutlineEntry {
  title: string;
  /** 1-based page the bookmark opens. */
  page: number;
  kids: OutlineEntry[];
}

export interface ReadPdf {
  /** pdftotext -raw (content-stream order: a table cell's lines stay together), pages separated by form feeds. */
  text: string;
  pages: string[];
  pageCount: number;
  info: Record<string, string>;
  outline: OutlineEntry[];
  /** Raster images (pdfimages -list rows). */
  images: number;
  /** Each page's content stream, uncompressed (qpdf --qdf): the drawing operators. */
  contents: string[];
}

interface QpdfOutline {
  title: string;
  destpageposfrom1: number;
  kids: QpdfOutline[];
}

const toEntry = (o: QpdfOutline): OutlineEntry => ({ title: o.title, page: o.destpageposfrom1, kids: o.kids.map(toEntry) });

/** Writes the bytes to a temp file and reads them with the command-line tools. */
export function readPdf(bytes: Uint8Array): ReadPdf {
  const dir = tempDir('plimsoll-pdf-');
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
    const info = Object.fromEntries(
      execFileSync('pdfinfo', [file], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const outline = (JSON.parse(execFileSync('qpdf', ['--json', '--json-key=outlines', file], { encoding: 'utf8' })) as { outlines: QpdfOutline[] }).outlines.map(toEntry);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '').length;
    const pages = text.split('\f').slice(0, -1);
    const qdf = path.join(dir, 'qdf.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
    const contents = fs.readFileSync(qdf, 'latin1').split(/%% Contents for page \d+/).slice(1);
    return { text, pages, pageCount: Number(info.Pages), info, outline, images, contents };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** How many rectangles a page fills with this colour (`#RRGGBB`): the bars of a vector chart. */
export function filledRects(pdf: ReadPdf, page: number, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => String(parseInt(hex.slice(i, i + 2), 16) / 255).replace('.', '\\.'));
  // pdfkit writes a filled rectangle as `x y w h re`, then the fill colour, then `f`.
  const pattern = new RegExp(`[-\\d.]+ [-\\d.]+ [-\\d.]+ [-\\d.]+ re\\s+/DeviceRGB cs\\s+${r} ${g} ${b} scn\\s+f\\b`, 'g');
  return [...pdf.contents[page - 1]!.matchAll(pattern)].length;
}

/** The 1-based page whose text contains `needle` first, or 0. */
export function pageOf(pdf: ReadPdf, needle: string): number {
  return pdf.pages.findIndex((p) => p.includes(needle)) + 1;
}

/** Whitespace (line breaks, table padding) collapsed: for phrases a table cell may wrap. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}
