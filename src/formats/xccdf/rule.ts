/** Maps one XCCDF `<Rule>` element (1.1 or 1.2) to a BenchmarkRule. */
import { createHash } from 'node:crypto';
import type { BenchmarkCheck, BenchmarkFix, BenchmarkIdent, BenchmarkReference, BenchmarkRule, Sp80053Reference } from '../../domain/content.js';
import { type XmlElement, elements, parseDisaDescription, textContent } from '../safe-xml.js';
import { type SubResolver, plainText, scriptText } from './text.js';

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

// `NIST.SP.800-53r4.pdf`, `NIST.SP.800-53r5.pdf`, `NIST.SP.800-53.pdf`; not 800-53A/B (assessment, baselines).
const SP800_53_HREF = /NIST\.SP\.800-53(?:r(\d+))?(?![0-9A-Za-z])/i;
const CCI = /^CCI-\d+$/;
// DISA's STIG id (RHEL-08-010020, UBTU-20-010000) under a public.cyber.mil "stigs/downloads" reference; SRG ids are not STIG ids.
const STIG_HREF = /(?:public\.cyber\.mil|iase\.disa\.mil)\/stigs\/downloads/i;
const STIG_ID = /^(?!SRG-|CCI-|SV-|V-)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;

/** SP 800-53 controls named by references whose href is the SP 800-53 publication; the text may list several. */
export function sp80053References(references: readonly BenchmarkReference[]): Sp80053Reference[] {
  const out: Sp80053Reference[] = [];
  const seen = new Set<string>();
  for (const ref of references) {
    // "800-53" stands in every match: the expression (case-insensitive, unanchored) runs on few of a rule's references.
    const m = ref.href.includes('800-53') ? SP800_53_HREF.exec(ref.href) : null;
    if (!m) continue;
    for (const part of ref.text.split(',')) {
      const control = part.trim();
      if (control === '') continue;
      const key = `${m[1] ?? ''}|${control}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(m[1] !== undefined ? { control, revision: m[1] } : { control });
    }
  }
  return out;
}

/** The discussion of a rule: DISA's VulnDiscussion field, else the description as plain text. */
function discussionOf(description: XmlElement | undefined, sub: SubResolver, used: Set<string>): string {
  if (description === undefined) return '';
  const fields = parseDisaDescription(textContent(description));
  if (fields !== undefined) return (fields.VulnDiscussion ?? '').trim();
  return plainText(description, sub, used);
}

/** The child elements of a rule that mapping reads, gathered in one pass over its children. */
interface RuleParts {
  title?: XmlElement;
  version?: XmlElement;
  description?: XmlElement;
  rationale?: XmlElement;
  idents: XmlElement[];
  references: XmlElement[];
  /** `<check>` elements, including those inside `<complex-check>` trees, in document order. */
  checks: XmlElement[];
  fixes: XmlElement[];
  fixtexts: XmlElement[];
  platforms: XmlElement[];
}

function ruleParts(rule: XmlElement): RuleParts {
  const parts: RuleParts = { idents: [], references: [], checks: [], fixes: [], fixtexts: [], platforms: [] };
  const addChecks = (el: XmlElement): void => {
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      if (c.local === 'check') parts.checks.push(c);
      else if (c.local === 'complex-check') addChecks(c);
    }
  };
  for (const c of rule.children) {
    if (c.type !== 'element') continue;
    switch (c.local) {
      case 'title': parts.title ??= c; break;
      case 'version': parts.version ??= c; break;
      case 'description': parts.description ??= c; break;
      case 'rationale': parts.rationale ??= c; break;
      case 'ident': parts.idents.push(c); break;
      case 'reference': parts.references.push(c); break;
      case 'check': parts.checks.push(c); break;
      case 'complex-check': addChecks(c); break;
      case 'fix': parts.fixes.push(c); break;
      case 'fixtext': parts.fixtexts.push(c); break;
      case 'platform': parts.platforms.push(c); break;
      default: break;
    }
  }
  return parts;
}

function mapCheck(check: XmlElement): BenchmarkCheck {
  const contents = elements(check, 'check-content');
  return {
    system: check.attrs.system ?? '',
    ...(check.attrs.selector ? { selector: check.attrs.selector } : {}),
    ...(contents.length > 0 ? { content: contents.map((c) => textContent(c).trim()).join('\n\n') } : {}),
    contentRefs: elements(check, 'check-content-ref').map((r) => (r.attrs.name !== undefined ? { href: r.attrs.href ?? '', name: r.attrs.name } : { href: r.attrs.href ?? '' })),
    exports: elements(check, 'check-export').map((e) => ({ valueId: e.attrs['value-id'] ?? '', exportName: e.attrs['export-name'] ?? '' })),
  };
}

/**
 * The text a reviewer checks: every `<check-content>`, or for automated checks (SCAP/OVAL/OCIL) a line per
 * `<check-content-ref>` naming the system and the reference, so a changed reference changes the hash.
 */
function checkContentOf(checks: readonly BenchmarkCheck[]): string {
  const parts: string[] = [];
  for (const check of checks) {
    if (check.content !== undefined) parts.push(check.content);
    else {
      for (const ref of check.contentRefs) parts.push(`[${check.system || 'check'}] ${ref.href}${ref.name !== undefined ? `#${ref.name}` : ''}`);
    }
  }
  return parts.join('\n\n');
}

function mapFix(fix: XmlElement, sub: SubResolver, used: Set<string>): BenchmarkFix {
  const a = fix.attrs;
  return {
    ...(a.system !== undefined ? { system: a.system } : {}),
    ...(a.id !== undefined ? { id: a.id } : {}),
    content: scriptText(fix, sub, used),
    ...(a.complexity !== undefined ? { complexity: a.complexity } : {}),
    ...(a.disruption !== undefined ? { disruption: a.disruption } : {}),
    ...(a.reboot !== undefined ? { reboot: a.reboot === 'true' || a.reboot === '1' } : {}),
    ...(a.strategy !== undefined ? { strategy: a.strategy } : {}),
  };
}

function stigIdOf(versionEl: XmlElement | undefined, references: readonly BenchmarkReference[], ruleId: string): string {
  const version = versionEl === undefined ? undefined : textContent(versionEl).trim();
  if (version) return version;
  for (const ref of references) if (STIG_ID.test(ref.text) && STIG_HREF.test(ref.href)) return ref.text;
  return ruleId;
}

/** What a rule needs from around it: its groups (outermost first) and the Values for `<sub>`. */
export interface RuleContext {
  ruleId: string;
  groupPath: string[];
  sub: SubResolver;
  /** False when the rule was built without its `<fix>` elements: `fixes` and `valueIds` are left out. */
  fixes?: boolean;
}

/** Builds a BenchmarkRule; `groupId` is the id of the nearest enclosing Group ('' at benchmark level). */
export function mapRule(rule: XmlElement, ctx: RuleContext): BenchmarkRule {
  const parts = ruleParts(rule);
  const idents: BenchmarkIdent[] = [];
  const ccis: string[] = [];
  const legacyIds: string[] = [];
  for (const ident of parts.idents) {
    const value = textContent(ident).trim();
    if (value === '') continue;
    idents.push({ system: ident.attrs.system ?? '', value });
    if (CCI.test(value)) ccis.push(value);
    else legacyIds.push(value);
  }
  // XCCDF 1.1 references are Dublin Core (`<dc:title>`…): their text is what is kept.
  const references: BenchmarkReference[] = parts.references.map((r) => ({ href: r.attrs.href ?? '', text: textContent(r).replace(/\s+/g, ' ').trim() }));
  for (const ref of references) if (CCI.test(ref.text) && !ccis.includes(ref.text)) ccis.push(ref.text);
  const used = new Set<string>();
  const checks = parts.checks.map(mapCheck);
  for (const c of checks) for (const e of c.exports) used.add(e.valueId);
  const checkContent = checkContentOf(checks);
  const weight = rule.attrs.weight !== undefined ? Number(rule.attrs.weight) : undefined;
  const rationale = parts.rationale ? plainText(parts.rationale, ctx.sub, used) : '';
  const discussion = discussionOf(parts.description, ctx.sub, used);
  const fixes = ctx.fixes === false ? undefined : parts.fixes.map((f) => mapFix(f, ctx.sub, used));
  const sp80053 = sp80053References(references);
  const platforms = parts.platforms.map((p) => p.attrs.idref ?? '').filter((p) => p !== '');
  return {
    groupId: ctx.groupPath[ctx.groupPath.length - 1] ?? '',
    ruleId: ctx.ruleId,
    stigId: stigIdOf(parts.version, references, ctx.ruleId),
    title: parts.title === undefined ? '' : textContent(parts.title).trim(),
    severity: mapSeverity(rule.attrs.severity),
    ...(weight !== undefined && Number.isFinite(weight) ? { weight } : {}),
    discussion,
    checkContent,
    checkContentHash: checkContentHash(checkContent),
    fixText: parts.fixtexts.map((f) => (elements(f).length === 0 ? textContent(f).trim() : plainText(f, ctx.sub, used))).join('\n\n'),
    ccis,
    legacyIds,
    groupPath: ctx.groupPath,
    selected: rule.attrs.selected !== 'false' && rule.attrs.selected !== '0',
    ...(rationale !== '' ? { rationale } : {}),
    idents,
    references,
    sp80053,
    checks,
    ...(fixes !== undefined ? { fixes, valueIds: [...used].filter((v) => v !== '') } : {}),
    ...(platforms.length > 0 ? { platforms } : {}),
  };
}
