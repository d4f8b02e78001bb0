/**
 * Merge phase of profile resolution: shape the selected controls into the result's structure (flat,
 * as-is with implicit parent "shells", or custom groups) and apply the combination rule to clashing
 * controls (keep, use-first, merge).
 */
import type { OscalControl, OscalGroup, OscalParam } from '../../domain/content.js';
import type { Problem } from '../../domain/errors.js';
import type { CombineMethod, CustomGroup, InsertControls, ProfileMerge, ResolvedParam } from '../../domain/profile.js';
import { type Selection, controlTree, problemAt, selectFrom } from './import-selection.js';

/** The body of the result catalog before modification: groups, top-level controls, loose parameters. */
export interface MergedBody {
  groups: OscalGroup[];
  controls: OscalControl[];
  /** Loose parameters (outside controls); later kept only when the result references them. */
  params: ResolvedParam[];
}

/** A deep copy of a control without its child controls. */
function own(c: OscalControl): OscalControl {
  const { controls: _children, ...rest } = c;
  return structuredClone(rest);
}

function asIsControls(controls: readonly OscalControl[], selected: Set<OscalControl>): OscalControl[] {
  const out: OscalControl[] = [];
  for (const c of controls) {
    const kids = asIsControls(c.controls ?? [], selected);
    if (selected.has(c)) {
      const copy = own(c);
      if (kids.length > 0) copy.controls = kids;
      out.push(copy);
    } else if (kids.length > 0) {
      // Implicit inclusion under as-is: an unselected control holding selected ones keeps its id and title only.
      out.push({ id: c.id, ...(c.class !== undefined ? { class: c.class } : {}), title: c.title, controls: kids });
    }
  }
  return out;
}

function asIsGroup(g: OscalGroup, selected: Set<OscalControl>): OscalGroup | undefined {
  const groups = (g.groups ?? []).map((x) => asIsGroup(x, selected)).filter((x): x is OscalGroup => x !== undefined);
  const controls = asIsControls(g.controls ?? [], selected);
  if (groups.length === 0 && controls.length === 0) return undefined;
  const { groups: _g, controls: _c, ...rest } = g;
  const out: OscalGroup = structuredClone(rest);
  if (controls.length > 0) out.controls = controls;
  if (groups.length > 0) out.groups = groups;
  return out;
}

/** Merges groups of a later selection into the result: same-id groups combine, others are appended. */
function mergeGroupLists(into: OscalGroup[], add: readonly OscalGroup[]): void {
  for (const g of add) {
    const same = g.id === undefined ? undefined : into.find((x) => x.id === g.id);
    if (same === undefined) {
      into.push(g);
      continue;
    }
    const known = new Set((same.params ?? []).map((p) => p.id));
    const params = [...(same.params ?? []), ...(g.params ?? []).filter((p) => !known.has(p.id))];
    if (params.length > 0) same.params = params;
    if (g.controls) same.controls = [...(same.controls ?? []), ...g.controls];
    if (g.groups) {
      same.groups ??= [];
      mergeGroupLists(same.groups, g.groups);
    }
  }
}

/** Every control of a selection's source in document order, unnested (flat structure). */
function flatControls(controls: readonly OscalControl[], selected: Set<OscalControl>, out: OscalControl[]): void {
  for (const c of controls) {
    if (selected.has(c)) out.push(own(c));
    flatControls(c.controls ?? [], selected, out);
  }
}

function eachGroup(groups: readonly OscalGroup[], visit: (g: OscalGroup) => void): void {
  for (const g of groups) {
    visit(g);
    eachGroup(g.groups ?? [], visit);
  }
}

/** Selected controls, nested under selected parents only (custom structure's pool). */
function selectedTrees(controls: readonly OscalControl[], selected: Set<OscalControl>): OscalControl[] {
  const out: OscalControl[] = [];
  for (const c of controls) {
    const kids = selectedTrees(c.controls ?? [], selected);
    if (!selected.has(c)) {
      out.push(...kids);
      continue;
    }
    const copy = own(c);
    if (kids.length > 0) copy.controls = kids;
    out.push(copy);
  }
  return out;
}

class CustomBuilder {
  private readonly pool: OscalControl[];
  private readonly tree: ReturnType<typeof controlTree>;
  readonly inserted = new Set<OscalControl>();

  constructor(selections: readonly Selection[], private readonly file: string, private readonly warnings: Problem[]) {
    this.pool = [];
    for (const s of selections) {
      this.pool.push(...selectedTrees(s.source.catalog.controls, s.selected));
      eachGroup(s.source.catalog.groups, (g) => this.pool.push(...selectedTrees(g.controls ?? [], s.selected)));
    }
    this.tree = controlTree({ kind: 'catalog', uuid: '', title: '', version: '', oscalVersion: '', groups: [], controls: this.pool });
  }

  insert(ic: InsertControls): OscalControl[] {
    const chosen = selectFrom(this.tree, ic, this.file, this.warnings);
    const emit = (controls: readonly OscalControl[]): OscalControl[] => {
      const out: OscalControl[] = [];
      for (const c of controls) {
        const kids = emit(c.controls ?? []);
        if (!chosen.has(c)) {
          out.push(...kids);
          continue;
        }
        this.inserted.add(c);
        const copy = own(c);
        if (kids.length > 0) copy.controls = kids;
        out.push(copy);
      }
      return out;
    };
    const out = emit(this.pool);
    if (ic.order === 'ascending') out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (ic.order === 'descending') out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return out;
  }

  group(g: CustomGroup): OscalGroup {
    const out: OscalGroup = { title: g.title };
    if (g.id !== undefined) out.id = g.id;
    if (g.class !== undefined) out.class = g.class;
    if (g.params) out.params = structuredClone(g.params);
    if (g.props) out.props = structuredClone(g.props);
    if (g.parts) out.parts = structuredClone(g.parts);
    const controls = g.insertControls.flatMap((ic) => this.insert(ic));
    if (controls.length > 0) out.controls = controls;
    const groups = g.groups.map((x) => this.group(x));
    if (groups.length > 0) out.groups = groups;
    return out;
  }

  /** Selected controls the custom structure never placed (they are left out, as the spec says). */
  reportUnplaced(at: ProfileMerge['at']): void {
    const unplaced = this.tree.all.filter((c) => !this.inserted.has(c)).map((c) => c.id);
    if (unplaced.length > 0) this.warnings.push(problemAt(this.file, at, `selected controls not placed by merge/custom are left out: ${unplaced.join(', ')}`));
  }
}

/** Builds the result body from the selections according to the merge directive (flat when absent). */
export function structureSelections(selections: readonly Selection[], merge: ProfileMerge | undefined, file: string, warnings: Problem[]): MergedBody {
  const body: MergedBody = { groups: [], controls: [], params: [] };
  for (const s of selections) body.params.push(...structuredClone(s.source.catalog.params ?? []));
  const structure = merge?.structure ?? { kind: 'flat' };
  switch (structure.kind) {
    case 'as-is':
      for (const s of selections) {
        body.controls.push(...asIsControls(s.source.catalog.controls, s.selected));
        mergeGroupLists(body.groups, s.source.catalog.groups.map((g) => asIsGroup(g, s.selected)).filter((g): g is OscalGroup => g !== undefined));
      }
      return body;
    case 'flat':
      for (const s of selections) {
        flatControls(s.source.catalog.controls, s.selected, body.controls);
        eachGroup(s.source.catalog.groups, (g) => {
          flatControls(g.controls ?? [], s.selected, body.controls);
          body.params.push(...structuredClone(g.params ?? []));
        });
      }
      return body;
    case 'custom': {
      const builder = new CustomBuilder(selections, file, warnings);
      for (const s of selections) eachGroup(s.source.catalog.groups, (g) => body.params.push(...structuredClone(g.params ?? [])));
      body.controls.push(...structure.insertControls.flatMap((ic) => builder.insert(ic)));
      body.groups.push(...structure.groups.map((g) => builder.group(g)));
      builder.reportUnplaced(merge!.at);
      return body;
    }
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function unionBy<T>(a: T[] | undefined, b: T[] | undefined, key: (x: T) => string): T[] | undefined {
  if (!b || b.length === 0) return a;
  const out = [...(a ?? [])];
  const seen = new Set(out.map(key));
  for (const x of b) {
    const k = key(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

/** "merge" combination: one control holding the contents of both, duplicate branches dropped. */
function mergeInto(a: OscalControl, b: OscalControl): void {
  const params = unionBy<OscalParam>(a.params, b.params, (p) => p.id);
  if (params) a.params = params;
  const props = unionBy(a.props, b.props, (x) => JSON.stringify(x));
  if (props) a.props = props;
  const links = unionBy(a.links, b.links, (x) => JSON.stringify(x));
  if (links) a.links = links;
  const parts = unionBy(a.parts, b.parts, (x) => (x.id !== undefined ? `#${x.id}` : JSON.stringify(x)));
  if (parts) a.parts = parts;
  for (const child of b.controls ?? []) {
    const twin = a.controls?.find((x) => x.id === child.id);
    if (twin) mergeInto(twin, child);
    else (a.controls ??= []).push(child);
  }
}

/** Applies the combination rule to clashing controls and loose parameters (same id), in document order. */
export function combineClashes(body: MergedBody, method: CombineMethod | undefined): void {
  if (method === undefined || method === 'keep') return;
  const first = new Map<string, OscalControl>();
  const visit = (controls: OscalControl[] | undefined): OscalControl[] | undefined => {
    if (!controls) return controls;
    const out: OscalControl[] = [];
    for (const c of controls) {
      const earlier = first.get(c.id);
      if (earlier === undefined) {
        first.set(c.id, c);
        c.controls = visit(c.controls);
        if (c.controls?.length === 0) delete c.controls;
        out.push(c);
      } else if (method === 'merge' && !same(earlier, c)) {
        mergeInto(earlier, c);
      }
    }
    return out;
  };
  body.controls = visit(body.controls) ?? [];
  eachGroup(body.groups, (g) => {
    const controls = visit(g.controls);
    if (controls && controls.length > 0) g.controls = controls;
    else delete g.controls;
  });
  const params = new Map<string, ResolvedParam>();
  body.params = body.params.filter((p) => {
    const earlier = params.get(p.id);
    if (earlier === undefined) {
      params.set(p.id, p);
      return true;
    }
    if (method === 'merge') {
      const props = unionBy(earlier.props, p.props, (x) => JSON.stringify(x));
      if (props) earlier.props = props;
    }
    return false;
  });
}
