/**
 * Selection phase of profile resolution: find the document each import names (relative href, `#uuid`
 * back-matter resource, or the caller's library lookup), resolve imported profiles (refusing cycles),
 * and select controls by id, glob pattern, with-child-controls and exclusion.
 */
import type { CatalogDocument, OscalControl, OscalGroup } from '../../domain/content.js';
import { ErrorCode, PlimsollError, type Problem } from '../../domain/errors.js';
import type { BackMatterResource, ControlSelector, ProfileDocument, ProfileImport, ResolvedCatalog, ResolvedParam, SourceLocation } from '../../domain/profile.js';
import type { LoadedSource, ProfileSourceLoader } from './source-loader.js';

/** A library hook, asked first for every import: return a source (e.g. a stored catalog by uuid) or undefined to fall through. */
export type LibraryLookup = (request: { href: string; resource?: BackMatterResource; importingFile: string }) => Promise<LoadedSource | undefined>;

/** A catalog an import resolved to, with what the catalog model leaves out. */
export interface SourceCatalog {
  file: string;
  /** Where the catalog came from (the file the href names, or the library, batch or mirror that stood in). */
  origin?: string;
  catalog: CatalogDocument & { params?: ResolvedParam[] };
  backMatter: BackMatterResource[];
}

/** The controls one import selected from its source. */
export interface Selection {
  source: SourceCatalog;
  selected: Set<OscalControl>;
}

export interface ImportContext {
  loader: ProfileSourceLoader;
  lookup?: LibraryLookup;
  /** Files of the profiles being resolved, outermost first (cycle detection). */
  stack: readonly string[];
  warnings: Problem[];
  resolveNested(profile: ProfileDocument, stack: readonly string[]): Promise<ResolvedCatalog>;
}

/** A problem at a directive of a profile file: `file#pointer` plus the XML line when known. */
export function problemAt(file: string, at: SourceLocation, message: string): Problem {
  return { file, pointer: at.pointer, ...(at.line !== undefined ? { line: at.line, column: at.column } : {}), message };
}

export function errorAt(code: ErrorCode, file: string, at: SourceLocation, message: string, cause?: unknown): PlimsollError {
  const where = at.line !== undefined ? `${file}:${at.line}:${at.column ?? 0} (#${at.pointer})` : `${file}#${at.pointer}`;
  return new PlimsollError(code, `${where}: ${message}`, [problemAt(file, at, message)], cause === undefined ? undefined : { cause });
}

/** A glob (`*` any run, `?` one character) over a whole control id, as OSCAL `matching/@pattern` means it. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

const MEDIA_PREFERENCE: { test: (href: string, mediaType: string) => boolean }[] = [
  { test: (h, m) => /json/i.test(m) || /\.json$/i.test(h) },
  { test: (h, m) => /xml/i.test(m) || /\.xml$/i.test(h) },
  { test: (h, m) => /ya?ml/i.test(m) || /\.ya?ml$/i.test(h) },
];

/** The rlinks of a resource in order of preference: JSON, then XML, then YAML, then others. */
export function rankRlinks(resource: BackMatterResource): string[] {
  const rank = (href: string, mediaType: string): number => {
    const i = MEDIA_PREFERENCE.findIndex((p) => p.test(href, mediaType));
    return i < 0 ? MEDIA_PREFERENCE.length : i;
  };
  return (resource.rlinks ?? [])
    .map((l, i) => ({ href: l.href, i, r: rank(l.href, l.mediaType ?? '') }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.href);
}

async function locateSource(profile: ProfileDocument, imp: ProfileImport, ctx: ImportContext): Promise<LoadedSource> {
  const file = profile.file;
  if (imp.href === '') throw errorAt(ErrorCode.CONTENT_INVALID, file, imp.at, 'the import has no href');
  if (imp.href.startsWith('#')) {
    const uuid = imp.href.slice(1);
    const resource = profile.backMatter.find((r) => r.uuid === uuid);
    if (resource === undefined) throw errorAt(ErrorCode.CONTENT_MISSING, file, imp.at, `import href "${imp.href}" names no back-matter resource of the profile`);
    const fromLibrary = await ctx.lookup?.({ href: imp.href, resource, importingFile: file });
    if (fromLibrary !== undefined) return fromLibrary;
    const candidates = rankRlinks(resource);
    for (const href of candidates) if (await ctx.loader.exists(href, file)) return load(href, file, imp, ctx);
    const tried = candidates.length > 0 ? `none of its rlinks exists locally (tried ${candidates.map((h) => `"${h}"`).join(', ')})` : 'the resource has no rlinks';
    throw errorAt(ErrorCode.CONTENT_MISSING, file, imp.at, `import href "${imp.href}": ${tried}`);
  }
  const fromLibrary = await ctx.lookup?.({ href: imp.href, importingFile: file });
  return fromLibrary ?? load(imp.href, file, imp, ctx);
}

async function load(href: string, file: string, imp: ProfileImport, ctx: ImportContext): Promise<LoadedSource> {
  try {
    return await ctx.loader.load(href, file);
  } catch (e) {
    if (e instanceof PlimsollError && e.code === ErrorCode.CONTENT_MISSING) {
      throw errorAt(ErrorCode.CONTENT_MISSING, file, imp.at, `import href "${href}" cannot be loaded: ${e.message}`, e);
    }
    throw e;
  }
}

/** Loads the source an import names; an imported profile is resolved first (a cycle is CONTENT_INVALID). */
export async function loadImport(profile: ProfileDocument, imp: ProfileImport, ctx: ImportContext): Promise<SourceCatalog> {
  const source = await locateSource(profile, imp, ctx);
  if (source.kind === 'catalog') return { file: source.file, catalog: source.catalog, backMatter: source.backMatter, ...(source.origin !== undefined ? { origin: source.origin } : {}) };
  if (ctx.stack.includes(source.file)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(source.file)), source.file].join(' → ');
    throw errorAt(ErrorCode.CONTENT_INVALID, profile.file, imp.at, `circular import: ${chain}`);
  }
  const resolved = await ctx.resolveNested(source.profile, [...ctx.stack, source.file]);
  return { file: source.file, catalog: resolved, backMatter: resolved.backMatter, ...(source.origin !== undefined ? { origin: source.origin } : {}) };
}

interface Tree {
  parent: Map<OscalControl, OscalControl>;
  all: OscalControl[];
}

function controlTree(catalog: CatalogDocument): Tree {
  const tree: Tree = { parent: new Map(), all: [] };
  const visit = (controls: readonly OscalControl[], parent?: OscalControl): void => {
    for (const c of controls) {
      tree.all.push(c);
      if (parent) tree.parent.set(c, parent);
      visit(c.controls ?? [], c);
    }
  };
  const visitGroups = (groups: readonly OscalGroup[]): void => {
    for (const g of groups) {
      visit(g.controls ?? []);
      visitGroups(g.groups ?? []);
    }
  };
  visit(catalog.controls);
  visitGroups(catalog.groups);
  return tree;
}

class CompiledSelector {
  private readonly ids: Set<string>;
  private readonly patterns: RegExp[];

  constructor(readonly selector: ControlSelector) {
    this.ids = new Set(selector.withIds);
    this.patterns = selector.matching.map(globToRegExp);
  }

  direct(c: OscalControl): boolean {
    return this.ids.has(c.id) || this.patterns.some((p) => p.test(c.id));
  }

  /** Direct match, or a direct child of a direct match when with-child-controls is "yes". */
  selects(c: OscalControl, parent: OscalControl | undefined): boolean {
    return this.direct(c) || (this.selector.withChildControls === 'yes' && parent !== undefined && this.direct(parent));
  }
}

/** What to select: an import or a custom merge's insert-controls. */
export interface SelectionRule {
  includeAll: boolean;
  includeControls: ControlSelector[];
  excludeControls: ControlSelector[];
}

/**
 * The controls of `controls` (and their descendants) a rule selects. With no include directive, all are
 * included; exclusion prevails over inclusion. Ids and patterns that select nothing are reported in `warnings`.
 */
export function selectFrom(tree: Tree, rule: SelectionRule, file: string, warnings: Problem[]): Set<OscalControl> {
  const include = rule.includeControls.map((s) => new CompiledSelector(s));
  const exclude = rule.excludeControls.map((s) => new CompiledSelector(s));
  const all = rule.includeAll || include.length === 0;
  const selected = new Set<OscalControl>();
  for (const c of tree.all) {
    const parent = tree.parent.get(c);
    if (!all && !include.some((s) => s.selects(c, parent))) continue;
    if (exclude.some((s) => s.selects(c, parent))) continue;
    selected.add(c);
  }
  const known = new Set(tree.all.map((c) => c.id));
  for (const s of [...rule.includeControls, ...rule.excludeControls]) {
    const missing = s.withIds.filter((id) => !known.has(id));
    if (missing.length > 0) warnings.push(problemAt(file, s.at, `with-ids name no control of the source: ${missing.join(', ')}`));
    for (const pattern of s.matching) {
      const re = globToRegExp(pattern);
      if (!tree.all.some((c) => re.test(c.id))) warnings.push(problemAt(file, s.at, `pattern "${pattern}" matches no control of the source`));
    }
  }
  return selected;
}

/** Selects the controls of one import from its source catalog. */
export function selectControls(source: SourceCatalog, imp: ProfileImport, profileFile: string, warnings: Problem[]): Selection {
  return { source, selected: selectFrom(controlTree(source.catalog), imp, profileFile, warnings) };
}

export { controlTree };
