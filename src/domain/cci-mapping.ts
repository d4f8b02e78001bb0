/**
 * CCI → SP 800-53 control statements. A CCI reference index such as `CM-6 b` names a control statement
 * in the catalog's id scheme: `CM-6 b` → control `cm-6`, statement `cm-6_smt.b`; `AC-2 (1)` → the
 * enhancement `ac-2.1` (the whole control); `AC-1 a 1 (a)` → `ac-1_smt.a.1.a`; `SC-7 (4) (a)` →
 * `sc-7.4_smt.a`; a list (`SC-37, SC-37 (1)`) names several. CCIs with no rev5 reference fall back to
 * their rev4 reference: a rev4 control withdrawn in rev5 is followed through its `moved-to` or
 * `incorporated-into` link; a rev4 control still present maps to the whole control, because statement
 * lettering changed between revisions (rev4 IA-5 (1) (f) is rev5 IA-5 (1) (e)). Pure: catalogs are
 * given as CatalogView.
 */
import type { CciItem, OscalControl, OscalPart } from './content.js';
import type { ControlMapping } from './services.js';

/** One control statement named by (a piece of) a CCI reference index. */
export interface IndexTarget {
  /** The piece of the index this target came from (`SC-37 (1)` of `SC-37, SC-37 (1)`). */
  index: string;
  controlId: string;
  /** A part id (`cm-6_smt.b`) or, when the index names the whole control, the control id. */
  statementId: string;
}

const INDEX = /^([A-Za-z]{2,3})-0*(\d+)\s*(?:\(\s*0*(\d+)\s*\))?(.*)$/;

/** Parses a CCI reference index into the statements it names; an unparseable piece gives no target. */
export function parseCciIndex(index: string): IndexTarget[] {
  const out: IndexTarget[] = [];
  for (const raw of index.split(/[,;]/)) {
    const piece = raw.trim();
    const m = INDEX.exec(piece);
    if (!m) continue;
    const controlId = `${m[1]!.toLowerCase()}-${Number(m[2])}${m[3] !== undefined ? `.${Number(m[3])}` : ''}`;
    const rest = m[4]!.trim();
    const tokens = rest === '' ? [] : (rest.match(/\(?\s*[A-Za-z0-9]+\s*\)?/g) ?? []);
    const residue = rest.replace(/\(?\s*[A-Za-z0-9]+\s*\)?/g, '').trim();
    if (residue !== '') continue;
    const items = tokens.map((t) => t.replace(/[()\s]/g, '').toLowerCase());
    out.push({ index: piece, controlId, statementId: items.length === 0 ? controlId : `${controlId}_smt.${items.join('.')}` });
  }
  return out;
}

/** The id of the control a statement or control id belongs to (`cm-6_smt.b` → `cm-6`). */
export function controlIdOf(id: string): string {
  const i = id.indexOf('_');
  return i < 0 ? id : id.slice(0, i);
}

export interface ControlFacts {
  withdrawn: boolean;
  links: { rel?: string; href: string }[];
}

/** What mapping needs to know of one loaded catalog. */
export interface CatalogView {
  documentId?: string;
  /** True when a control, enhancement or part has this id. */
  has(id: string): boolean;
  control(id: string): ControlFacts | undefined;
}

const FOLLOWED_RELS = new Set(['moved-to', 'incorporated-into']);

function collectPartIds(parts: readonly OscalPart[] | undefined, into: Set<string>): void {
  for (const p of parts ?? []) {
    if (p.id !== undefined) into.add(p.id);
    collectPartIds(p.parts, into);
  }
}

/** What mapping reads of a control: its id, status (props), links and statement ids (parts). */
export type MappedControl = Pick<OscalControl, 'id' | 'props' | 'links' | 'parts' | 'controls'>;

/**
 * The controls whose statements mapping `item` may look up: those its rev5 and rev4 references name. Statement
 * ids are the control's id and a suffix (`cm-6_smt.b` of `cm-6`), so a catalog view holding these controls (and
 * the ones their withdrawal links lead to, `followedControlIds`) answers every lookup `mapCci` makes.
 */
export function controlIdsNamedBy(item: CciItem): string[] {
  return referencedControlIds(item.references.map((r) => r.index));
}

/** The controls a list of reference indexes (CCI references, or a rule's direct SP 800-53 references) names. */
export function referencedControlIds(indexes: readonly string[]): string[] {
  return [...new Set(indexes.flatMap((index) => parseCciIndex(index).map((t) => t.controlId)))];
}

const isWithdrawn = (c: MappedControl): boolean => (c.props ?? []).some((p) => p.name === 'status' && p.value === 'withdrawn');

/** The controls the withdrawn ones among `controls` (enhancements given as controls of their own) point to (`moved-to`, `incorporated-into`). */
export function followedControlIds(controls: readonly MappedControl[]): string[] {
  const out = new Set<string>();
  for (const c of controls) {
    if (!isWithdrawn(c)) continue;
    for (const l of c.links ?? []) if (l.rel !== undefined && FOLLOWED_RELS.has(l.rel) && l.href.startsWith('#')) out.add(controlIdOf(l.href.slice(1)));
  }
  return [...out];
}

/** Builds a CatalogView from controls (with nested enhancements) of a catalog, whole or as read for mapping. */
export function catalogViewOf(controls: readonly (OscalControl | MappedControl)[], documentId?: string): CatalogView {
  const ids = new Set<string>();
  const facts = new Map<string, ControlFacts>();
  const visit = (cs: readonly MappedControl[]): void => {
    for (const c of cs) {
      ids.add(c.id);
      collectPartIds(c.parts, ids);
      facts.set(c.id, { withdrawn: isWithdrawn(c), links: (c.links ?? []).map((l) => ({ ...(l.rel !== undefined ? { rel: l.rel } : {}), href: l.href })) });
      visit(c.controls ?? []);
    }
  };
  visit(controls);
  return { ...(documentId !== undefined ? { documentId } : {}), has: (id) => ids.has(id), control: (id) => facts.get(id) };
}

function locate(id: string, catalogs: readonly CatalogView[]): CatalogView | undefined {
  return catalogs.find((c) => c.has(id));
}

function mapping(cci: string, index: string, revision: '4' | '5', statementId: string, catalogs: readonly CatalogView[], via?: string): ControlMapping {
  const where = locate(statementId, catalogs);
  return {
    cci,
    index,
    revision,
    controlId: controlIdOf(statementId),
    statementId,
    ...(where?.documentId !== undefined ? { catalogDocumentId: where.documentId } : {}),
    resolved: where !== undefined,
    ...(via !== undefined ? { via } : {}),
  };
}

/** Follows moved-to / incorporated-into links of a withdrawn control (chains too) to live ids. */
function followWithdrawn(controlId: string, catalogs: readonly CatalogView[], depth = 0): { target: string; via: string }[] {
  const facts = locate(controlId, catalogs)?.control(controlId);
  if (facts === undefined || !facts.withdrawn || depth > 4) return [];
  const out: { target: string; via: string }[] = [];
  for (const link of facts.links) {
    if (link.rel === undefined || !FOLLOWED_RELS.has(link.rel) || !link.href.startsWith('#')) continue;
    const target = link.href.slice(1);
    const further = followWithdrawn(controlIdOf(target), catalogs, depth + 1);
    const step = `${controlId} ${link.rel} ${target}`;
    if (further.length > 0) for (const f of further) out.push({ target: f.target, via: `${step}; ${f.via}` });
    else out.push({ target, via: step });
  }
  return out;
}

const isRev = (title: string, version: string, rev: '4' | '5'): boolean =>
  version === rev && /800-53/.test(title) && !/800-53A/i.test(title);

/**
 * The rev5 statements a CCI evidences: its rev5 references, or when it has none, its rev4 references
 * followed through withdrawn controls' links (a rev4 control still present maps to the whole control).
 */
export function mapCci(item: CciItem, catalogs: readonly CatalogView[]): ControlMapping[] {
  const out: ControlMapping[] = [];
  const rev5 = item.references.filter((r) => isRev(r.title, r.version, '5'));
  if (rev5.length > 0) {
    for (const ref of rev5) {
      const targets = parseCciIndex(ref.index);
      if (targets.length === 0) out.push({ cci: item.id, index: ref.index, revision: '5', controlId: '', statementId: '', resolved: false });
      for (const t of targets) out.push(mapping(item.id, ref.index, '5', t.statementId, catalogs));
    }
    return out;
  }
  for (const ref of item.references.filter((r) => isRev(r.title, r.version, '4'))) {
    const targets = parseCciIndex(ref.index);
    if (targets.length === 0) out.push({ cci: item.id, index: ref.index, revision: '4', controlId: '', statementId: '', resolved: false });
    for (const t of targets) {
      const followed = followWithdrawn(t.controlId, catalogs);
      if (followed.length > 0) for (const f of followed) out.push(mapping(item.id, ref.index, '4', f.target, catalogs, f.via));
      else out.push(mapping(item.id, ref.index, '4', t.controlId, catalogs));
    }
  }
  return out;
}

/** Distinct mappings (same CCI and statement once), in first-seen order. */
export function dedupeMappings(mappings: readonly ControlMapping[]): ControlMapping[] {
  const seen = new Set<string>();
  return mappings.filter((m) => {
    const key = `${m.cci}\u0000${m.statementId}\u0000${m.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The rev5 statements a direct SP 800-53 rev5 reference names (a rule's `<reference>` such as `IA-5(1)`, for a
 * control no CCI covers): the same index grammar as the CCI list's, so `IA-5(1)` → `ia-5.1` and `AC-5 b` →
 * `ac-5_smt.b`. The mappings carry no CCI (`cci` is empty) and the reference as their index.
 */
export function mapDirectReference(reference: string, catalogs: readonly CatalogView[]): ControlMapping[] {
  const targets = parseCciIndex(reference);
  if (targets.length === 0) return [{ cci: '', index: reference, revision: '5', controlId: '', statementId: '', resolved: false }];
  return targets.map((t) => mapping('', reference, '5', t.statementId, catalogs));
}

/** The direct SP 800-53 rev5 references of a rule (its `<reference>`s to the rev5 publication), as written. */
export function directRev5References(rule: { sp80053?: readonly { control: string; revision?: string }[] }): string[] {
  return [...new Set((rule.sp80053 ?? []).filter((r) => r.revision === '5').map((r) => r.control))];
}
