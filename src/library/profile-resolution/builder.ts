/**
 * Profile resolution (NIST OSCAL profile resolution specification): import → merge → modify, then the
 * result catalog's loose parameters, back matter and metadata. `resolveProfile` works on a parsed
 * profile with any loader; `resolveProfileFile` reads a profile file and its imports from disk.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { OscalControl, OscalGroup, OscalLink, OscalProp } from '../../domain/content.js';
import { ErrorCode, PlimsollError, type Problem } from '../../domain/errors.js';
import type { BackMatterResource, ProfileDocument, ResolvedCatalog, ResolvedParam } from '../../domain/profile.js';
import { type ImportContext, type LibraryLookup, type Selection, loadImport, selectControls } from './import-selection.js';
import { type MergedBody, combineClashes, structureSelections } from './merge.js';
import { applyModify } from './modify.js';
import { FileSourceLoader, type FileSourceLoaderOptions, type ProfileSourceLoader } from './source-loader.js';

export interface ResolveOptions {
  /** Asked first for every import (e.g. a stored catalog by uuid); undefined falls through to the loader. */
  lookup?: LibraryLookup;
  /** Clock for the resolution timestamp (default: now). */
  now?: () => Date;
  /** uuid of the result catalog (default: a random v4 uuid; the spec wants it distinct from its sources). */
  uuid?: () => string;
}

export const RESOLUTION_TOOL = 'Plimsoll profile resolver';
/** Namespace of Plimsoll's own props (the same as in its assessment results). */
export const IMPORT_SOURCE_NS = 'https://plimsoll.dev/ns/oscal';

const INSERT = /\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}/g;
const FRAGMENT_REF = /#([0-9A-Za-z][0-9A-Za-z_.:-]*)/g;

function paramText(p: ResolvedParam): string {
  return [p.label ?? '', ...(p.guidelines ?? []), ...(p.values ?? []), ...(p.select?.choice ?? [])].join('\n');
}

/** Ids of parameters inserted (`{{ insert: param, id }}`) anywhere in these values. */
function insertedParams(values: unknown): Set<string> {
  const out = new Set<string>();
  for (const m of JSON.stringify(values).matchAll(INSERT)) out.add(m[1]!);
  return out;
}

/**
 * Keeps loose parameters (catalog- or group-level) only when the result references them, directly or
 * through another kept parameter (spec: "Parameters that are not referenced … do not appear").
 */
function pruneLooseParams(body: MergedBody): void {
  const controlsOnly = (gs: readonly OscalGroup[]): unknown[] => gs.map((g) => [g.parts ?? [], g.controls ?? [], controlsOnly(g.groups ?? [])]);
  const referenced = insertedParams([body.controls, controlsOnly(body.groups)]);
  const loose: ResolvedParam[] = [...body.params];
  const collect = (gs: readonly OscalGroup[]): void => gs.forEach((g) => (loose.push(...(g.params ?? [])), collect(g.groups ?? [])));
  collect(body.groups);
  // Parameters referenced from kept loose parameters are kept too (to a fixed point).
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of loose) {
      if (!referenced.has(p.id)) continue;
      for (const m of paramText(p).matchAll(INSERT)) if (!referenced.has(m[1]!)) (referenced.add(m[1]!), (grew = true));
    }
  }
  body.params = body.params.filter((p) => referenced.has(p.id));
  const prune = (gs: OscalGroup[]): void => {
    for (const g of gs) {
      const params = (g.params ?? []).filter((p) => referenced.has(p.id));
      if (params.length > 0) g.params = params;
      else delete g.params;
      prune(g.groups ?? []);
    }
  };
  prune(body.groups);
}

const keepAlways = (r: BackMatterResource): boolean => (r.props ?? []).some((p) => p.name === 'keep' && p.value === 'always');

/**
 * The result's back matter: resources of the sources (in import order) then of the profile; of resources
 * with the same uuid the last wins (the last marked keep=always, if any); a resource is kept when `#uuid`
 * is referenced from the result or the profile metadata, or it is marked keep=always.
 */
function combineBackMatter(selections: readonly Selection[], profile: ProfileDocument, referencedFrom: unknown[]): BackMatterResource[] {
  const groups = new Map<string, BackMatterResource[]>();
  for (const r of [...selections.flatMap((s) => s.source.backMatter), ...profile.backMatter]) groups.set(r.uuid, [...(groups.get(r.uuid) ?? []), r]);
  const referenced = new Set<string>();
  for (const m of JSON.stringify(referencedFrom).matchAll(FRAGMENT_REF)) referenced.add(m[1]!);
  const out: BackMatterResource[] = [];
  for (const [uuid, members] of groups) {
    const keepers = members.filter(keepAlways);
    if (keepers.length === 0 && !referenced.has(uuid)) continue;
    const pool = keepers.length > 0 ? keepers : members;
    const { at: _at, ...chosen } = pool[pool.length - 1]!;
    out.push(structuredClone(chosen));
  }
  return out;
}

async function resolveWithStack(profile: ProfileDocument, loader: ProfileSourceLoader, options: ResolveOptions, stack: readonly string[]): Promise<ResolvedCatalog> {
  const warnings: Problem[] = [];
  const ctx: ImportContext = {
    loader,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    stack,
    warnings,
    resolveNested: (nested, nestedStack) => resolveWithStack(nested, loader, options, nestedStack),
  };
  const selections: Selection[] = [];
  for (const imp of profile.imports) {
    const source = await loadImport(profile, imp, ctx);
    selections.push(selectControls(source, imp, profile.file, warnings));
  }
  const body = structureSelections(selections, profile.merge, profile.file, warnings);
  combineClashes(body, profile.merge?.combine);
  applyModify(body, profile.modify, profile.file, warnings);
  pruneLooseParams(body);

  const now = (options.now ?? (() => new Date()))().toISOString();
  const metadataProps: OscalProp[] = [
    { name: 'resolution-timestamp', value: now },
    { name: 'resolution-tool', value: RESOLUTION_TOOL },
    // Which document satisfied each import (a stand-in from the library or the mirror is named as such).
    ...selections.map((s, i): OscalProp => ({ name: 'import-source', ns: IMPORT_SOURCE_NS, value: s.source.origin ?? `file ${s.source.file}`, class: `import-${i}` })),
    ...structuredClone(profile.metadata.props ?? []),
  ];
  const metadataLinks: OscalLink[] = [{ href: path.basename(profile.file), rel: 'source-profile' }, ...structuredClone(profile.metadata.links ?? [])];
  const resolved: ResolvedCatalog = {
    kind: 'catalog',
    uuid: (options.uuid ?? randomUUID)(),
    title: profile.metadata.title,
    version: profile.metadata.version,
    oscalVersion: profile.metadata.oscalVersion,
    lastModified: now,
    // The profile's roles, parties and responsible parties carry over, as in NIST's resolved catalogs.
    metadata: structuredClone(profile.metadata.raw ?? {}),
    groups: body.groups,
    controls: body.controls,
    ...(body.params.length > 0 ? { params: body.params } : {}),
    metadataProps,
    metadataLinks,
    backMatter: combineBackMatter(selections, profile, [body.params, body.controls, body.groups, profile.metadata]),
    sourceProfile: { uuid: profile.uuid, file: profile.file },
    warnings: [...warnings, ...nestedWarnings(selections)],
  };
  return resolved;
}

/** Warnings of imported profiles travel up with their resolved catalogs. */
function nestedWarnings(selections: readonly Selection[]): Problem[] {
  return selections.flatMap((s) => ((s.source.catalog as Partial<ResolvedCatalog>).warnings ?? []));
}

/** Resolves a parsed profile into a catalog, loading imports through `loader`. */
export function resolveProfile(profile: ProfileDocument, loader: ProfileSourceLoader, options: ResolveOptions = {}): Promise<ResolvedCatalog> {
  return resolveWithStack(profile, loader, options, [path.resolve(profile.file)]);
}

export interface ResolveProfileFileOptions extends FileSourceLoaderOptions, ResolveOptions {}

/** Reads a profile file (JSON, XML or YAML) and resolves it against local files; for the CLI and benchmarks. */
export async function resolveProfileFile(file: string, options: ResolveProfileFileOptions): Promise<ResolvedCatalog> {
  const loader = new FileSourceLoader(options);
  const source = await loader.load(path.resolve(file), path.resolve(file));
  if (source.kind !== 'profile') {
    const message = 'not an OSCAL profile (it is a catalog): nothing to resolve';
    throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${file}: ${message}`, [{ file, message }]);
  }
  return resolveProfile(source.profile, loader, options);
}

/** Every control and enhancement of a (resolved) catalog in document order, e.g. for counts. */
export function resolvedControlIds(catalog: { controls: readonly OscalControl[]; groups: readonly OscalGroup[] }): string[] {
  const out: string[] = [];
  const visit = (cs: readonly OscalControl[]): void => cs.forEach((c) => (out.push(c.id), visit(c.controls ?? [])));
  const groups = (gs: readonly OscalGroup[]): void => gs.forEach((g) => (visit(g.controls ?? []), groups(g.groups ?? [])));
  visit(catalog.controls);
  groups(catalog.groups);
  return out;
}
