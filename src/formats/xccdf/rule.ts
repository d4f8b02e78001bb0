/** Maps one XCCDF `<Rule>` element (1.1 or 1.2) to a BenchmarkRule. */
import { hash } from 'node:crypto';
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
  // The one-shot hash: a Hash object per rule costs more than the hashing of its few hundred bytes.
  return hash('sha256', normalizeCheckContent(text), 'hex');
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

/** Adds the `<check>`s of a `<complex-check>` tree (a function, not a closure made per rule: see checkReferencesBefore in safe-xml.ts). */
function addChecks(parts: RuleParts, el: XmlElement): void {
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    if (c.local === 'check') parts.checks.push(c);
    else if (c.local === 'complex-check') addChecks(parts, c);
  }
}

function ruleParts(rule: XmlElement): RuleParts {
  const parts: RuleParts = { idents: [], references: [], checks: [], fixes: [], fixtexts: [], platforms: [] };
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
      case 'complex-check': addChecks(parts, c); break;
      case 'fix': parts.fixes.push(c); break;
      case 'fixtext': parts.fixtexts.push(c); break;
      case 'platform': parts.platforms.push(c); break;
      default: break;
    }
  }
  return parts;
}

function mapCheck(check: XmlElement): BenchmarkCheck {
  // One pass over the children, properties set in the order of the type (written out, not spread: see mapRule).
  const a = check.attrs;
  const out = { system: a.system ?? '' } as BenchmarkCheck;
  if (a.selector) out.selector = a.selector;
  let content: string | undefined;
  const contentRefs: BenchmarkCheck['contentRefs'] = [];
  const exports: BenchmarkCheck['exports'] = [];
  for (const c of check.children) {
    if (c.type !== 'element') continue;
    if (c.local === 'check-content') {
      const text = textContent(c).trim();
      content = content === undefined ? text : `${content}\n\n${text}`;
    } else if (c.local === 'check-content-ref') {
      contentRefs.push(c.attrs.name !== undefined ? { href: c.attrs.href ?? '', name: c.attrs.name } : { href: c.attrs.href ?? '' });
    } else if (c.local === 'check-export') {
      exports.push({ valueId: c.attrs['value-id'] ?? '', exportName: c.attrs['export-name'] ?? '' });
    }
  }
  if (content !== undefined) out.content = content;
  out.contentRefs = contentRefs;
  out.exports = exports;
  return out;
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

/** The STIG id a rule's `<version>` or references give; undefined when none does. */
function stigIdOf(versionEl: XmlElement | undefined, references: readonly BenchmarkReference[]): string | undefined {
  const version = versionEl === undefined ? undefined : textContent(versionEl).trim();
  if (version) return version;
  // A STIG id holds a '-' (checked before the expressions, which most references fail).
  for (const ref of references) if (ref.text.includes('-') && STIG_ID.test(ref.text) && STIG_HREF.test(ref.href)) return ref.text;
  return undefined;
}

/** What a rule needs from around it: its groups (outermost first) and the Values for `<sub>`. */
export interface RuleContext {
  ruleId: string;
  groupPath: string[];
  sub: SubResolver;
  /** False when the rule was built without its `<fix>` elements: `fixes` and `valueIds` are left out. */
  fixes?: boolean;
  /** The title of the rule's group, set last when given and not empty. */
  groupTitle?: string;
}

/**
 * `text.replace(/\s+/g, ' ').trim()`, without the expression for text it would not change: printable ASCII with
 * single inner spaces (a reference's text, such as `CCI-000366` or `SR 3.1`, mostly is).
 */
export function collapseSpace(text: string): string {
  const last = text.length - 1;
  for (let i = 0; i <= last; i += 1) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (c === 0x20 && i > 0 && i < last && text.charCodeAt(i + 1) !== 0x20) continue;
    return text.replace(/\s+/g, ' ').trim();
  }
  return text;
}

/** A rule's idents, with the CCIs and the other ids (legacy ids) among them. */
function identsOf(parts: RuleParts): Pick<BenchmarkRule, 'ccis' | 'legacyIds'> & { idents: BenchmarkIdent[] } {
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
  return { idents, ccis, legacyIds };
}

/**
 * A mapped reference, made by a constructor rather than an object literal: V8 tracks a literal's allocation site, and
 * when it finds that a data stream's 44,000 references survive it allocates them in the old generation from then on
 * and throws away the compiled referencesOf (compiled three times per import). Keys as the literal's, in its order.
 */
class Reference implements BenchmarkReference {
  declare href: string;
  declare text: string;

  constructor(href: string, text: string) {
    this.href = href;
    this.text = text;
  }
}

/**
 * A rule's references; CCIs among them that are not in `ccis` yet are added to it. A function of its own: a data
 * stream's 44,000 references make this loop hot, and V8 compiles it (again when it starts allocating the
 * references in the old generation) at the size of this function, not of all the mapping.
 */
function referencesOf(parts: RuleParts, ccis: string[]): BenchmarkReference[] {
  // XCCDF 1.1 references are Dublin Core (`<dc:title>`…): their text is what is kept.
  const references: BenchmarkReference[] = [];
  for (const r of parts.references) references.push(new Reference(r.attrs.href ?? '', collapseSpace(textContent(r))));
  // A CCI starts so (checked before the expression: most of a data stream's 44,000 references are no CCI).
  for (const ref of references) if (ref.text.startsWith('CCI-') && CCI.test(ref.text) && !ccis.includes(ref.text)) ccis.push(ref.text);
  return references;
}

/** A rule's checks; the Values they export are added to `used`. */
function checksOf(parts: RuleParts, used: Set<string>): BenchmarkCheck[] {
  const checks: BenchmarkCheck[] = [];
  for (const el of parts.checks) {
    const check = mapCheck(el);
    checks.push(check);
    for (const e of check.exports) used.add(e.valueId);
  }
  return checks;
}

/** The fix texts, a blank line between them; the Values they substitute are added to `used`. */
function fixTextOf(parts: RuleParts, sub: SubResolver, used: Set<string>): string {
  let out = '';
  for (let i = 0; i < parts.fixtexts.length; i += 1) {
    const f = parts.fixtexts[i]!;
    out += `${i > 0 ? '\n\n' : ''}${elements(f).length === 0 ? textContent(f).trim() : plainText(f, sub, used)}`;
  }
  return out;
}

/**
 * What a rule's mapping takes from its own element and the Values it substitutes: everything but what comes from
 * where it stands (its id, its groups, their title). `stigId` is left out when neither its `<version>` nor a
 * reference names one (the rule id stands for it then).
 */
export type RuleContent = Omit<BenchmarkRule, 'groupId' | 'ruleId' | 'stigId' | 'groupPath' | 'groupTitle' | 'selected'> & { stigId?: string; selected: boolean };

/**
 * Maps a rule's element (see RuleContent); `fixes` false when it was built without its `<fix>` elements.
 * The work is done by the small helpers above and this function only puts their results together. It runs
 * once per rule (some 1,500 times for a data stream): when it held the loops itself, V8's optimising compiler
 * compiled it, helpers inlined, twice at about 40 ms each (a fifth of the import's instructions are that
 * compiler's), more than the optimised code saved; now it compiles once at about half that.
 */
export function mapRuleContent(rule: XmlElement, sub: SubResolver, fixes: boolean): RuleContent {
  const parts = ruleParts(rule);
  const { idents, ccis, legacyIds } = identsOf(parts);
  const references = referencesOf(parts, ccis);
  const used = new Set<string>();
  const checks = checksOf(parts, used);
  const checkContent = checkContentOf(checks);
  const weight = rule.attrs.weight !== undefined ? Number(rule.attrs.weight) : undefined;
  const rationale = parts.rationale ? plainText(parts.rationale, sub, used) : '';
  const discussion = discussionOf(parts.description, sub, used);
  const mappedFixes = fixes ? parts.fixes.map((f) => mapFix(f, sub, used)) : undefined;
  const sp80053 = sp80053References(references);
  const stigId = stigIdOf(parts.version, references);
  // A loop, not map and filter callbacks: each closure the bundle makes costs a defineProperty (its kept name).
  const platforms: string[] = [];
  for (const p of parts.platforms) if (p.attrs.idref) platforms.push(p.attrs.idref);
  return {
    ...(stigId !== undefined ? { stigId } : {}),
    title: parts.title === undefined ? '' : textContent(parts.title).trim(),
    severity: mapSeverity(rule.attrs.severity),
    ...(weight !== undefined && Number.isFinite(weight) ? { weight } : {}),
    discussion,
    checkContent,
    checkContentHash: checkContentHash(checkContent),
    fixText: fixTextOf(parts, sub, used),
    ccis,
    legacyIds,
    selected: rule.attrs.selected !== 'false' && rule.attrs.selected !== '0',
    ...(rationale !== '' ? { rationale } : {}),
    idents,
    references,
    sp80053,
    checks,
    ...(mappedFixes !== undefined ? { fixes: mappedFixes, valueIds: [...used].filter((v) => v !== '') } : {}),
    ...(platforms.length > 0 ? { platforms } : {}),
  };
}

/**
 * Builds a BenchmarkRule from its element, or from its content when that was mapped already (while the document
 * was read: see early-rules.ts); `groupId` is the id of the nearest enclosing Group ('' at benchmark level).
 * Properties come in the order of BenchmarkRule, optional ones only when set.
 */
export function mapRule(rule: XmlElement, ctx: RuleContext, content: RuleContent = mapRuleContent(rule, ctx.sub, ctx.fixes !== false)): BenchmarkRule {
  const c = content;
  return {
    groupId: ctx.groupPath[ctx.groupPath.length - 1] ?? '',
    ruleId: ctx.ruleId,
    stigId: c.stigId ?? ctx.ruleId,
    title: c.title,
    severity: c.severity,
    ...(c.weight !== undefined ? { weight: c.weight } : {}),
    discussion: c.discussion,
    checkContent: c.checkContent,
    checkContentHash: c.checkContentHash,
    fixText: c.fixText,
    ccis: c.ccis,
    legacyIds: c.legacyIds,
    groupPath: ctx.groupPath,
    selected: c.selected,
    ...(c.rationale !== undefined ? { rationale: c.rationale } : {}),
    idents: c.idents,
    references: c.references,
    sp80053: c.sp80053,
    checks: c.checks,
    ...(c.fixes !== undefined ? { fixes: c.fixes, valueIds: c.valueIds } : {}),
    ...(c.platforms !== undefined ? { platforms: c.platforms } : {}),
    ...(ctx.groupTitle ? { groupTitle: ctx.groupTitle } : {}),
  };
}
