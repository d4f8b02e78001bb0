/**
 * Environment scopes applied to every service call (issue #11 item 3). The service gateway asks this guard,
 * for callers limited to environments, before and after each method, following one table
 * (scope-table.ts): what a call names (a node, an assessment, a plan…) is checked first, and a hidden thing is
 * NOT_FOUND exactly as an unknown one (never FORBIDDEN, which would tell that it exists); lists are narrowed in
 * the database where a method takes a filter, so totals count only what the caller may see; single results
 * about hidden nodes come back as nothing. Callers who see every environment pass untouched.
 *
 * Lookups go to the services themselves, unbound: the guard decides visibility from what is stored.
 */
import type { Principal } from '../domain/auth.js';
import { describeScope, scopeAllows } from '../domain/environment-scope.js';
import { ErrorCode, PlimsollError, isPlimsollError } from '../domain/errors.js';
import { MAX_PAGE_SIZE } from '../domain/paging.js';
import type { AppServices } from '../domain/services.js';

/** What the guard reads to decide visibility. */
export interface ScopeGuardDeps {
  services: AppServices;
  /** The node ids an assessment covers; undefined for an unknown assessment. */
  assessmentNodeIds(assessmentId: string): Promise<readonly string[] | undefined>;
}

/** The node ids of an assessment, read page by page from the assessment service (undefined: unknown run). */
export async function assessmentNodeIdsFrom(assessments: Pick<AppServices['assessments'], 'assessedNodes'>, id: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    let page;
    try {
      page = await assessments.assessedNodes(id, { first: MAX_PAGE_SIZE, ...(after !== undefined ? { after } : {}) });
    } catch (e) {
      if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) return undefined;
      throw e;
    }
    ids.push(...page.edges.map((edge) => edge.node.nodeId));
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor == null) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** The visibility questions a scope rule asks, for one call of one caller. */
export class ScopeContext {
  private readonly nodeCache = new Map<string, boolean>();
  private readonly assessmentCache = new Map<string, boolean>();

  constructor(
    readonly scope: readonly string[],
    readonly caller: Principal,
    readonly deps: ScopeGuardDeps,
  ) {}

  get services(): AppServices {
    return this.deps.services;
  }

  /** Whether a node (id, name or endpoint; removed ones by id) is hidden; unknown nodes are not hidden (the service says NOT_FOUND). */
  async nodeHidden(ref: string): Promise<boolean> {
    const cached = this.nodeCache.get(ref);
    if (cached !== undefined) return cached;
    const node = await this.deps.services.nodes.find(ref, { includeRemoved: true });
    const hidden = node !== undefined && !scopeAllows(this.scope, node.environment);
    this.nodeCache.set(ref, hidden);
    return hidden;
  }

  /** Whether an environment name is outside the scope (undefined: the default environment). */
  environmentHidden(environment: string | undefined): boolean {
    return !scopeAllows(this.scope, environment);
  }

  /** Whether an assessment is hidden: it covers a node the caller may not see. */
  async assessmentHidden(id: string): Promise<boolean> {
    const cached = this.assessmentCache.get(id);
    if (cached !== undefined) return cached;
    const nodeIds = (await this.deps.assessmentNodeIds(id)) ?? [];
    let hidden = false;
    for (const nodeId of nodeIds) if (await this.nodeHidden(nodeId)) hidden = true;
    this.assessmentCache.set(id, hidden);
    return hidden;
  }

  /** NOT_FOUND for a hidden node, worded as the node service words an unknown one. */
  async requireNode(ref: string | undefined): Promise<void> {
    if (ref !== undefined && (await this.nodeHidden(ref))) throw notFound(`No node matches "${ref}" (by id, name or endpoint)`);
  }

  /** NOT_FOUND for a hidden assessment, worded as for an unknown one. */
  async requireAssessment(id: string | undefined): Promise<void> {
    if (id !== undefined && (await this.assessmentHidden(id))) throw notFound(`no assessment ${id}`);
  }

  /** FORBIDDEN for acting in an environment outside the scope the caller named themself. */
  requireEnvironment(environment: string | undefined, what: string): void {
    if (this.environmentHidden(environment)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `${this.caller.name} is limited to ${describeScope(this.scope)} and can't ${what} in environment ${environment ?? 'default'}`);
    }
  }

  /** The items whose test says visible, in order. */
  async keep<T>(items: readonly T[], visible: (item: T) => Promise<boolean>): Promise<T[]> {
    const out: T[] = [];
    for (const item of items) if (await visible(item)) out.push(item);
    return out;
  }
}

/** A NOT_FOUND error. */
export function notFound(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.NOT_FOUND, message);
}

/**
 * How one method obeys scopes: `free` (it is not about nodes or what was found on them), `unscoped` (its
 * answer can't be narrowed yet: refused to callers limited to environments, FORBIDDEN saying so), or steps:
 * `narrow` (the position of a filter argument whose `environments` the guard sets), `before` (checks the
 * arguments) and `after` (hides or filters the result).
 */
export type ScopeRule<A extends readonly unknown[], R> =
  | 'free'
  | 'unscoped'
  | {
      narrow?: number;
      before?: (ctx: ScopeContext, ...args: A) => Promise<void> | void;
      after?: (ctx: ScopeContext, result: R, ...args: A) => Promise<R>;
    };

type AnyRule = ScopeRule<unknown[], unknown>;

/** The environment scope of a caller (undefined: every environment, nothing to apply). */
export function callerScope(caller: Principal): readonly string[] | undefined {
  return caller.environments;
}

/** Applies one method's rule around a call for a scoped caller. */
export async function applyScopeRule(
  rule: AnyRule,
  method: string,
  caller: Principal,
  deps: ScopeGuardDeps,
  args: unknown[],
  call: (args: unknown[]) => Promise<unknown>,
): Promise<unknown> {
  const scope = callerScope(caller);
  if (scope === undefined || rule === 'free') return call(args);
  if (rule === 'unscoped') {
    throw new PlimsollError(ErrorCode.FORBIDDEN, `${method} is not available to callers limited to environments (${caller.name}: ${describeScope(scope)}); ask someone who sees every environment`);
  }
  const ctx = new ScopeContext(scope, caller, deps);
  let effective = args;
  if (rule.narrow !== undefined) {
    effective = [...args];
    while (effective.length <= rule.narrow) effective.push(undefined);
    const given = (effective[rule.narrow] ?? {}) as Record<string, unknown>;
    effective[rule.narrow] = { ...given, environments: scope };
  }
  if (rule.before !== undefined) await rule.before(ctx, ...args);
  const result = await call(effective);
  return rule.after !== undefined ? rule.after(ctx, result, ...args) : result;
}
