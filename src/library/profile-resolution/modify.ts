/**
 * Modify phase of profile resolution: `set-parameters` (label/values/select replace, props, links,
 * constraints and guidelines are added) and `alters` (removes by name/class/id/item-name/ns; adds at the
 * start or end of a control, or before/after/inside an element found by id). Works in place on the
 * merged body, which holds copies only.
 */
import type { OscalControl, OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import type { Problem } from '../../domain/errors.js';
import type { AlterAdd, AlterRemove, ProfileModify, ResolvedParam, SetParameter } from '../../domain/profile.js';
import { problemAt } from './import-selection.js';
import type { MergedBody } from './merge.js';

/** A part as it may hold links after an add (the catalog model's part has none). */
type LinkedPart = OscalPart & { links?: OscalLink[] };

function allControls(body: MergedBody): OscalControl[] {
  const out: OscalControl[] = [];
  const visit = (controls: readonly OscalControl[] | undefined): void => {
    for (const c of controls ?? []) {
      out.push(c);
      visit(c.controls);
    }
  };
  visit(body.controls);
  const groups = (gs: MergedBody['groups']): void => {
    for (const g of gs) {
      visit(g.controls);
      groups(g.groups ?? []);
    }
  };
  groups(body.groups);
  return out;
}

function allParams(body: MergedBody, controls: readonly OscalControl[]): OscalParam[] {
  const out: OscalParam[] = [...body.params];
  const groups = (gs: MergedBody['groups']): void => {
    for (const g of gs) {
      out.push(...(g.params ?? []));
      groups(g.groups ?? []);
    }
  };
  groups(body.groups);
  for (const c of controls) out.push(...(c.params ?? []));
  return out;
}

/** Applies one set-parameter to a parameter, following the spec's replace/add rules. */
export function applySetParameter(param: ResolvedParam, set: SetParameter): void {
  if (set.class !== undefined) param.class = set.class;
  if (set.label !== undefined) param.label = set.label;
  if (set.usage !== undefined) param.usage = set.usage;
  if (set.values !== undefined || set.select !== undefined) {
    delete param.values;
    delete param.select;
    if (set.values !== undefined) param.values = [...set.values];
    if (set.select !== undefined) param.select = structuredClone(set.select);
  }
  if (set.props) param.props = [...(param.props ?? []), ...structuredClone(set.props)];
  if (set.links) param.links = [...(param.links ?? []), ...structuredClone(set.links)];
  if (set.constraints) param.constraints = [...(param.constraints ?? []), ...structuredClone(set.constraints)];
  if (set.guidelines) param.guidelines = [...(param.guidelines ?? []), ...set.guidelines];
}

function matchesRemove(r: AlterRemove, item: { id?: string; name?: string; class?: string; ns?: string }, itemName: string): boolean {
  if (r.byItemName !== undefined && r.byItemName !== itemName) return false;
  if (r.byId !== undefined && item.id !== r.byId) return false;
  if (r.byName !== undefined && item.name !== r.byName) return false;
  if (r.byClass !== undefined && item.class !== r.byClass) return false;
  if (r.byNs !== undefined && item.ns !== r.byNs) return false;
  return true;
}

/** Removes what `r` names from the control's params, props, links and parts (parts searched at any depth); returns the count. */
export function applyRemove(control: OscalControl, r: AlterRemove): number {
  // A remove with no criterion would match everything: treat it as inoperative.
  if ([r.byId, r.byName, r.byClass, r.byNs, r.byItemName].every((v) => v === undefined)) return 0;
  let removed = 0;
  const filter = <T extends object>(items: T[] | undefined, itemName: string): T[] | undefined => {
    if (!items) return items;
    const kept = items.filter((x) => !matchesRemove(r, x as { id?: string }, itemName));
    removed += items.length - kept.length;
    return kept.length > 0 ? kept : undefined;
  };
  const inPart = (p: LinkedPart): void => {
    const props = filter(p.props, 'prop');
    if (props) p.props = props;
    else delete p.props;
    const parts = filter(p.parts, 'part');
    if (parts) p.parts = parts;
    else delete p.parts;
    for (const sub of p.parts ?? []) inPart(sub);
  };
  const set = <K extends 'params' | 'props' | 'links' | 'parts'>(key: K, v: OscalControl[K]): void => {
    if (v) control[key] = v;
    else delete control[key];
  };
  set('params', filter(control.params, 'param'));
  set('props', filter(control.props, 'prop'));
  set('links', filter<OscalLink>(control.links, 'link'));
  set('parts', filter(control.parts, 'part'));
  for (const p of control.parts ?? []) inPart(p);
  return removed;
}

/** Where an element with an id sits inside a control: its list and index. */
interface Found {
  kind: 'part' | 'param';
  list: (OscalPart | OscalParam)[];
  index: number;
  owner: { props?: OscalProp[]; links?: OscalLink[] };
}

function findById(control: OscalControl, id: string): Found | undefined {
  const params = control.params ?? [];
  const pi = params.findIndex((p) => p.id === id);
  if (pi >= 0) return { kind: 'param', list: params, index: pi, owner: control };
  const inParts = (parts: OscalPart[], owner: Found['owner']): Found | undefined => {
    for (let i = 0; i < parts.length; i += 1) {
      const p = parts[i]!;
      if (p.id === id) return { kind: 'part', list: parts, index: i, owner };
      const deeper = inParts(p.parts ?? [], p);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return inParts(control.parts ?? [], control);
}

function addTo<T>(list: T[] | undefined, items: readonly T[] | undefined, start: boolean): T[] | undefined {
  if (!items || items.length === 0) return list;
  const copies = structuredClone([...items]);
  return start ? [...copies, ...(list ?? [])] : [...(list ?? []), ...copies];
}

/** Applies one add; returns false when its by-id names nothing inside the control (inoperative). */
export function applyAdd(control: OscalControl, add: AlterAdd): boolean {
  const position = add.position ?? 'ending';
  if (add.byId === undefined || add.byId === control.id) {
    const start = position === 'starting' || position === 'before';
    if (add.title !== undefined) control.title = add.title;
    const params = addTo(control.params, add.params, start);
    if (params) control.params = params;
    const props = addTo(control.props, add.props, start);
    if (props) control.props = props;
    const links = addTo(control.links, add.links, start);
    if (links) control.links = links;
    const parts = addTo(control.parts, add.parts, start);
    if (parts) control.parts = parts;
    return true;
  }
  const found = findById(control, add.byId);
  if (found === undefined) return false;
  if (position === 'before' || position === 'after') {
    // Siblings of the target: same-kind items go next to it; props and links go to its container.
    const at = position === 'before' ? found.index : found.index + 1;
    const siblings = found.kind === 'part' ? add.parts : add.params;
    if (siblings) found.list.splice(at, 0, ...structuredClone(siblings));
    const props = addTo(found.owner.props, add.props, position === 'before');
    if (props) found.owner.props = props;
    const links = addTo(found.owner.links, add.links, position === 'before');
    if (links) found.owner.links = links;
    return true;
  }
  const start = position === 'starting';
  const target = found.list[found.index]! as LinkedPart & ResolvedParam;
  if (add.title !== undefined && found.kind === 'part') target.title = add.title;
  const props = addTo(target.props, add.props, start);
  if (props) target.props = props;
  const links = addTo(target.links, add.links, start);
  if (links) target.links = links;
  if (found.kind === 'part') {
    const parts = addTo(target.parts, add.parts, start);
    if (parts) target.parts = parts;
  }
  return true;
}

/** Applies set-parameters then alters to every matching copy in the body; inoperative directives become warnings. */
export function applyModify(body: MergedBody, modify: ProfileModify | undefined, file: string, warnings: Problem[]): void {
  if (!modify) return;
  const controls = allControls(body);
  if (modify.setParameters.length > 0) {
    const byId = new Map<string, OscalParam[]>();
    for (const p of allParams(body, controls)) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
    for (const set of modify.setParameters) {
      const targets = byId.get(set.paramId);
      if (!targets) warnings.push(problemAt(file, set.at, `set-parameters: no parameter "${set.paramId}" in the resolved catalog`));
      for (const p of targets ?? []) applySetParameter(p, set);
    }
  }
  for (const alter of modify.alters) {
    const targets = controls.filter((c) => c.id === alter.controlId);
    if (targets.length === 0) {
      warnings.push(problemAt(file, alter.at, `alter: control "${alter.controlId}" is not in the resolved catalog`));
      continue;
    }
    for (const control of targets) {
      for (const r of alter.removes) if (applyRemove(control, r) === 0) warnings.push(problemAt(file, r.at, `remove matched nothing in control "${control.id}"`));
      for (const add of alter.adds) if (!applyAdd(control, add)) warnings.push(problemAt(file, add.at, `add: no element with id "${add.byId}" in control "${control.id}"`));
    }
  }
}
