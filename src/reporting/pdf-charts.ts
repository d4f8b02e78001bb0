/**
 * Vector charts for the PDF reports: stacked horizontal bars drawn with pdfkit's path operators (rectangles
 * and text, no raster image), so they stay sharp at any zoom and their labels and counts are extractable text.
 */
import type { PdfCanvas } from './pdf-canvas.js';
import { pdfText } from './pdf-canvas.js';
import type { ChartStatus } from './report-layout.js';

export interface ChartRow {
  label: string;
  counts: Partial<Record<ChartStatus, number>>;
}

/** The order segments are stacked in and listed in the legend. */
export const CHART_ORDER: readonly ChartStatus[] = ['fail', 'accepted', 'error', 'not-checked', 'not-applicable', 'pass'];

const LABELS: Record<ChartStatus, string> = {
  pass: 'pass',
  fail: 'open fail',
  accepted: 'exempted / accepted',
  'not-applicable': 'not applicable',
  'not-checked': 'not checked',
  error: 'error',
};

/**
 * A stacked bar per row (one segment per status, in CHART_ORDER), the row's label left of it and its counts
 * spelled out right of it, then a legend. Bars share one scale: the largest row fills the bar area.
 */
export function stackedBarChart(canvas: PdfCanvas, title: string, rows: readonly ChartRow[]): void {
  const { doc, branding: b } = canvas;
  const barHeight = 11;
  const rowGap = 5;
  const labelWidth = canvas.width * 0.22;
  const barWidth = canvas.width * 0.46;
  const countsX = canvas.left + labelWidth + barWidth + 8;
  const countsWidth = canvas.width - labelWidth - barWidth - 8;
  const max = Math.max(1, ...rows.map((r) => CHART_ORDER.reduce((sum, s) => sum + (r.counts[s] ?? 0), 0)));

  canvas.ensureSpace(b.fontSizes.subheading * 2 + Math.min(rows.length, 4) * (barHeight + rowGap));
  doc.font(b.fonts.bold).fontSize(b.fontSizes.body).fillColor(b.colors.text).text(pdfText(title), canvas.left, doc.y, { width: canvas.width });
  doc.moveDown(0.3);
  for (const row of rows) {
    doc.font(b.fonts.regular).fontSize(b.fontSizes.small);
    const summary = CHART_ORDER.filter((s) => (row.counts[s] ?? 0) > 0)
      .map((s) => `${row.counts[s]} ${LABELS[s]}`)
      .join(', ');
    const countsText = summary === '' ? 'no results' : summary;
    const h = Math.max(barHeight, doc.heightOfString(countsText, { width: countsWidth }), doc.heightOfString(pdfText(row.label), { width: labelWidth - 6 }));
    canvas.ensureSpace(h + rowGap);
    const y = doc.y;
    doc.fillColor(b.colors.text).text(pdfText(row.label), canvas.left, y + 1.5, { width: labelWidth - 6 });
    // The empty track, then each status's segment over it.
    doc.rect(canvas.left + labelWidth, y, barWidth, barHeight).fill(b.colors.band);
    let x = canvas.left + labelWidth;
    for (const s of CHART_ORDER) {
      const n = row.counts[s] ?? 0;
      if (n === 0) continue;
      const w = (n / max) * barWidth;
      doc.rect(x, y, w, barHeight).fill(b.statusColors[s]);
      x += w;
    }
    doc.fillColor(b.colors.muted).text(countsText, countsX, y + 1.5, { width: countsWidth });
    doc.y = y + h + rowGap;
  }
  legend(canvas, CHART_ORDER.filter((s) => rows.some((r) => (r.counts[s] ?? 0) > 0)));
}

function legend(canvas: PdfCanvas, statuses: readonly ChartStatus[]): void {
  const { doc, branding: b } = canvas;
  if (statuses.length === 0) return;
  canvas.ensureSpace(16);
  const y = doc.y + 2;
  let x = canvas.left;
  doc.font(b.fonts.regular).fontSize(b.fontSizes.small);
  doc.fillColor(b.colors.muted).text('Legend:', x, y, { lineBreak: false });
  x += doc.widthOfString('Legend:') + 8;
  for (const s of statuses) {
    doc.rect(x, y, 8, 8).fill(b.statusColors[s]);
    doc.fillColor(b.colors.muted).text(LABELS[s], x + 11, y, { lineBreak: false });
    x += 11 + doc.widthOfString(LABELS[s]) + 12;
  }
  doc.x = canvas.left;
  doc.y = y + 18;
}
