/**
 * Environment scopes (issue #11 item 3): a user, and an API token, may be limited to some environments (dev,
 * test, prod). The scope of a call is the user's intersected with the token's; `undefined` is "every
 * environment" and an empty list (a token narrowed past its user's current scope) is "none". A node without an
 * environment belongs to `default`, as its supply-chain settings do.
 */

/** The environment of nodes registered without one. */
export const DEFAULT_ENVIRONMENT = 'default';

/** The most environments one scope may list. */
export const MAX_SCOPE_ENVIRONMENTS = 50;

/** Undefined: every environment; a list: only those. */
export type EnvironmentScope = readonly string[] | undefined;

/** The environment a node belongs to for scoping. */
export function environmentOf(node: { environment?: string | undefined }): string {
  return node.environment ?? DEFAULT_ENVIRONMENT;
}

/** Whether a scope lets its holder see a node (or anything else) of `environment`. */
export function scopeAllows(scope: EnvironmentScope, environment: string | undefined): boolean {
  return scope === undefined || scope.includes(environment ?? DEFAULT_ENVIRONMENT);
}

/** The intersection of two scopes (undefined on either side narrows nothing). */
export function intersectScopes(a: EnvironmentScope, b: EnvironmentScope): EnvironmentScope {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.filter((e) => b.includes(e));
}

/** Whether `inner` lies within `outer` (every environment it names is one `outer` allows). */
export function scopeWithin(inner: EnvironmentScope, outer: EnvironmentScope): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return false;
  return inner.every((e) => outer.includes(e));
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * A scope as given by an admin: trimmed, de-duplicated and sorted names (letters, digits, `. _ -`); an empty
 * list or undefined is "every environment". An error text names the first bad entry.
 */
export function normalizeScope(names: readonly string[] | undefined | null): { scope: EnvironmentScope } | { invalid: string } {
  if (names === undefined || names === null || names.length === 0) return { scope: undefined };
  if (names.length > MAX_SCOPE_ENVIRONMENTS) return { invalid: `a scope lists at most ${MAX_SCOPE_ENVIRONMENTS} environments, got ${names.length}` };
  const out = new Set<string>();
  for (const [i, raw] of names.entries()) {
    const name = String(raw).trim();
    if (!NAME.test(name)) return { invalid: `environment ${i + 1} (${JSON.stringify(raw)}) is not an environment name: 1 to 63 letters, digits, . _ or -, starting with a letter or digit` };
    out.add(name);
  }
  return { scope: [...out].sort() };
}

/** How people read a scope. */
export function describeScope(scope: EnvironmentScope): string {
  if (scope === undefined) return 'every environment';
  if (scope.length === 0) return 'no environment';
  return scope.join(', ');
}
