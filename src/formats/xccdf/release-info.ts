/** DISA's release line: `<plain-text id="release-info">Release: 2 Benchmark Date: 24 Jul 2024</plain-text>`. */

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

export interface ReleaseInfo {
  release?: string;
  /** ISO yyyy-mm-dd. */
  releaseDate?: string;
}

/** Converts `24 Jul 2024`, `24 July 2024` or `2024-07-24` to `2024-07-24`; undefined when not a date. */
export function parseBenchmarkDate(text: string): string | undefined {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return t;
  const m = /^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$/.exec(t);
  if (!m) return undefined;
  const month = MONTHS[m[2]!.slice(0, 3).toLowerCase()];
  const day = Number(m[1]);
  if (month === undefined || day < 1 || day > 31) return undefined;
  return `${m[3]}-${month}-${String(day).padStart(2, '0')}`;
}

/** Reads release number and benchmark date from DISA's release-info text; missing parts stay undefined. */
export function parseReleaseInfo(text: string): ReleaseInfo {
  const info: ReleaseInfo = {};
  const release = /Release:\s*([0-9A-Za-z.]+)/i.exec(text);
  if (release) info.release = release[1];
  const date = /Benchmark Date:\s*(.+?)\s*$/i.exec(text.trim());
  if (date) {
    const iso = parseBenchmarkDate(date[1]!);
    if (iso !== undefined) info.releaseDate = iso;
  }
  return info;
}
