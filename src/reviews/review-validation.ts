/**
 * Validation of what review authors supply: statement, evidence, expiry, scope labels. Pure; errors are
 * BAD_INPUT and never quote file content.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { expiryInstant } from '../domain/exemption.js';
import { periodMs, REVIEW_RESULTS, type ReviewEvidence, type ReviewExpiry, type ReviewResult } from '../domain/review.js';

export const MAX_TEXT = 4000;
export const MAX_URL = 2000;
export const MAX_EVIDENCE = 20;
export const MAX_LABEL = 255;
/** Evidence files larger than this are refused (uploads have their own, configured limit). */
export const MAX_EVIDENCE_FILE_BYTES = 16 * 1024 * 1024;
/** The longest period an accepted review may last (`P1825D`): reviews are meant to be looked at again. */
export const MAX_PERIOD_DAYS = 5 * 365;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function badInput(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, message);
}

/** Trimmed prose of 1..MAX_TEXT characters (line breaks allowed). */
export function prose(value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (v === '' || v.length > MAX_TEXT) throw badInput(`${what} must be 1 to ${MAX_TEXT} characters`);
  return v;
}

export function validResult(result: string): ReviewResult {
  if (!(REVIEW_RESULTS as readonly string[]).includes(result)) throw badInput(`A review result must be one of ${REVIEW_RESULTS.join(', ')}, got ${JSON.stringify(result)}`);
  return result as ReviewResult;
}

/** An http(s) URL without credentials. */
export function validUrl(url: string): string {
  const v = (url ?? '').trim();
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw badInput(`Evidence URL ${JSON.stringify(v.slice(0, 100))} is not a URL`);
  }
  if (v.length > MAX_URL || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) throw badInput(`Evidence URL must be http(s) and at most ${MAX_URL} characters`);
  if (parsed.username !== '' || parsed.password !== '') throw badInput('Evidence URL must not carry credentials');
  return v;
}

/** Labels of a label-selector scope: at least one, printable keys and values. */
export function validLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) {
    const key = k.trim();
    if (key === '' || key.length > MAX_LABEL || CONTROL_CHARS.test(key)) throw badInput(`A label key must be 1 to ${MAX_LABEL} printable characters, got ${JSON.stringify(k)}`);
    if (typeof v !== 'string' || v.length > MAX_LABEL || CONTROL_CHARS.test(v)) throw badInput(`The value of label ${key} must be at most ${MAX_LABEL} printable characters`);
    out[key] = v;
  }
  if (Object.keys(out).length === 0) throw badInput('A label scope needs at least one label (key=value)');
  return out;
}

/** An expiry that can still apply: a valid date not in the past, or a period of 1 day to MAX_PERIOD_DAYS. */
export function validExpiry(expiry: ReviewExpiry, now: Date): ReviewExpiry {
  if (expiry?.kind === 'date') {
    const date = (expiry.date ?? '').trim();
    const end = expiryInstant(date);
    if (end === undefined) throw badInput(`A review expiry must be an ISO date (2027-06-30), a date-time with a zone, or a period (P90D), got ${JSON.stringify(expiry.date)}`);
    if (end.getTime() <= now.getTime()) throw badInput(`The expiry ${date} is not in the future`);
    return { kind: 'date', date };
  }
  if (expiry?.kind === 'period') {
    const period = (expiry.period ?? '').trim().toUpperCase();
    const ms = periodMs(period);
    if (ms === undefined || ms > MAX_PERIOD_DAYS * 24 * 60 * 60 * 1000) throw badInput(`A review period must be days or weeks (P90D, P12W) of 1 to ${MAX_PERIOD_DAYS} days, got ${JSON.stringify(expiry.period)}`);
    return { kind: 'period', period };
  }
  throw badInput('A review needs an expiry: a date or a period');
}

/** Parses `2027-06-30`, a date-time, or `P90D` as given on the command line or in GraphQL. */
export function parseExpiry(text: string): ReviewExpiry {
  const v = text.trim();
  return /^P/i.test(v) ? { kind: 'period', period: v } : { kind: 'date', date: v };
}

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.json': 'application/json',
  '.csv': 'text/csv',
};

/**
 * A file as evidence: its base name, sha256 and a media type from its extension for the common evidence
 * formats (anything else is application/octet-stream: downloads are attachments either way).
 */
export function fileEvidence(name: string, content: Uint8Array): Extract<ReviewEvidence, { kind: 'file' }> {
  const base = path.basename((name ?? '').replace(/\\/g, '/')).trim();
  if (base === '' || base.length > MAX_LABEL || CONTROL_CHARS.test(base)) throw badInput(`An evidence file name must be 1 to ${MAX_LABEL} printable characters`);
  if (content.byteLength === 0) throw badInput(`Evidence file ${base} is empty`);
  if (content.byteLength > MAX_EVIDENCE_FILE_BYTES) throw badInput(`Evidence file ${base} is larger than ${MAX_EVIDENCE_FILE_BYTES} bytes`);
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { kind: 'file', name: base, sha256, size: content.byteLength, mediaType: MEDIA_TYPES[path.extname(base).toLowerCase()] ?? 'application/octet-stream' };
}
