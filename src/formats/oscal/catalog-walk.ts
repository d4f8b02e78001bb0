/** Traversals of a parsed catalog: every group and control with its position, and import counts. */
import type { CatalogDocument, OscalControl, OscalGroup, OscalPart } from '../../domain/content.js';

export interface GroupVisit {
  group: OscalGroup;
  /** The group id, or a positional id (`group-3`) for groups without one. */
  id: string;
  parentGroupId?: string;
  order: number;
}

export interface ControlVisit {
  control: OscalControl;
  groupId?: string;
  parentControlId?: string;
  order: number;
}

/** Every group, depth first in document order. */
export function walkGroups(catalog: CatalogDocument): GroupVisit[] {
  const out: GroupVisit[] = [];
  const visit = (groups: readonly OscalGroup[], parent?: string): void => {
    for (const g of groups) {
      const id = g.id ?? `group-${out.length + 1}`;
      out.push({ group: g, id, ...(parent !== undefined ? { parentGroupId: parent } : {}), order: out.length });
      visit(g.groups ?? [], id);
    }
  };
  visit(catalog.groups);
  return out;
}

/** Every control and enhancement, depth first in document order, with its group and parent control. */
export function walkControls(catalog: CatalogDocument): ControlVisit[] {
  const out: ControlVisit[] = [];
  const visitControls = (controls: readonly OscalControl[], groupId: string | undefined, parent?: string): void => {
    for (const c of controls) {
      out.push({ control: c, ...(groupId !== undefined ? { groupId } : {}), ...(parent !== undefined ? { parentControlId: parent } : {}), order: out.length });
      visitControls(c.controls ?? [], groupId, c.id);
    }
  };
  const groupIds = new Map(walkGroups(catalog).map((v) => [v.group, v.id]));
  const visitGroups = (groups: readonly OscalGroup[]): void => {
    for (const g of groups) {
      visitControls(g.controls ?? [], groupIds.get(g));
      visitGroups(g.groups ?? []);
    }
  };
  visitControls(catalog.controls, undefined);
  visitGroups(catalog.groups);
  return out;
}

/** Every part id below these parts (statement items, guidance…), depth first. */
export function partIds(parts: readonly OscalPart[] | undefined, into: string[] = []): string[] {
  for (const p of parts ?? []) {
    if (p.id !== undefined) into.push(p.id);
    partIds(p.parts, into);
  }
  return into;
}

/** Counts reported by an import: groups, controls (top level), enhancements (nested) and params. */
export function catalogCounts(catalog: CatalogDocument): Record<string, number> {
  const controls = walkControls(catalog);
  let params = 0;
  for (const v of controls) params += v.control.params?.length ?? 0;
  for (const g of walkGroups(catalog)) params += g.group.params?.length ?? 0;
  const enhancements = controls.filter((v) => v.parentControlId !== undefined).length;
  return { groups: walkGroups(catalog).length, controls: controls.length - enhancements, enhancements, params };
}
