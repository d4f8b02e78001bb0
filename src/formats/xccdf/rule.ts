/** Maps one XCCDF `<Rule>` element to a BenchmarkRule. */
import { createHash } from 'node:crypto';
import type { BenchmarkRule } from '../../domain/content.js';
import { type XmlElement, childText, elements, parseDisaDescription, textContent } from '../safe-xml.js';

const SEVERITIES = new Set(['high', 'medium', 'low', 'unknown']);

/** Check content with whitespace runs collapsed to one space and trimmed: what the hash covers. */
export function normalizeCheckContent(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** sha256 (hex) of the normalised check content; reviews of a rule carry over while it is unchanged. */
export function checkContentHash(text: string): string {
  return createHash('sha256').update(normalizeCheckContent(text), 'utf8').digest('hex');
}

/** XCCDF severities are unknown/info/low/medium/high; `info` is reported as low. */
export function mapSeverity(value: string | undefined): BenchmarkRule['severity'] {
  const v = (value ?? 'unknown').trim().toLowerCase();
  if (v === 'info') return 'low';
  return SEVERITIES.has(v) ? (v as BenchmarkRule['severity']) : 'unknown';
}

/** The discussion of a rule: DISA's VulnDiscussion field, else the description's text. */
function discussionOf(rule: XmlElement): string {
  const description = elements(rule, 'description')[0];
  if (description === undefined) return '';
  const text = textContent(description);
  const fields = parseDisaDescription(text);
  if (fields !== undefined) return (fields.VulnDiscussion ?? '').trim();
  return text.trim();
}

/**
 * The text a reviewer checks: every `<check-content>`, or for automated checks (SCAP/OVAL) a line per
 * `<check-content-ref>` naming the system and the reference, so a changed reference changes the hash.
 */
function checkContentOf(rule: XmlElement): string {
  const parts: string[] = [];
  for (const check of elements(rule, 'check')) {
    const contents = elements(check, 'check-content');
    if (contents.length > 0) {
      for (const c of contents) parts.push(textContent(c).trim());
    } else {
      for (const ref of elements(check, 'check-content-ref')) {
        const name = ref.attrs.name !== undefined ? `#${ref.attrs.name}` : '';
        parts.push(`[${check.attrs.system ?? 'check'}] ${ref.attrs.href ?? ''}${name}`);
      }
    }
  }
  return parts.join('\n\n');
}

/** Builds a BenchmarkRule; `groupId` is the id of the nearest enclosing Group ('' at benchmark level). */
export function mapRule(rule: XmlElement, groupId: string, ruleId: string): BenchmarkRule {
  const ccis: string[] = [];
  const legacyIds: string[] = [];
  for (const ident of elements(rule, 'ident')) {
    const value = textContent(ident).trim();
    if (value === '') continue;
    if (/^CCI-\d+$/.test(value)) ccis.push(value);
    else legacyIds.push(value);
  }
  const checkContent = checkContentOf(rule);
  const weight = rule.attrs.weight !== undefined ? Number(rule.attrs.weight) : undefined;
  const stigId = childText(rule, 'version')?.trim() || ruleId;
  return {
    groupId,
    ruleId,
    stigId,
    title: childText(rule, 'title')?.trim() ?? '',
    severity: mapSeverity(rule.attrs.severity),
    ...(weight !== undefined && Number.isFinite(weight) ? { weight } : {}),
    discussion: discussionOf(rule),
    checkContent,
    checkContentHash: checkContentHash(checkContent),
    fixText: elements(rule, 'fixtext').map((f) => textContent(f).trim()).join('\n\n'),
    ccis,
    legacyIds,
  };
}
