/**
 * The one table of how each service method obeys environment scopes (see scope-guard.ts). Its type is derived
 * from AppServices like the policy table's, so a method without an entry does not compile: a new method is
 * decided here, not forgotten. `unscoped` marks answers that can't be narrowed yet; callers limited to
 * environments are refused those (FORBIDDEN, saying so) rather than shown other environments' data.
 */
import { parseDownloadPath } from '../domain/download.js';
import type { Exemption } from '../domain/exemption.js';
import type { ReviewScope, ReviewScopeInput } from '../domain/review.js';
import type { Schedule } from '../domain/schedule.js';
import type { AppServices } from '../domain/services.js';
import type { MethodsOf, ParamsOf, ResultOf, WithoutActor } from '../auth/service-policy.js';
import { describeScope } from '../domain/environment-scope.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { notFound, type ScopeContext, type ScopeRule } from './scope-guard.js';

export type ScopeTable = {
  [S in keyof AppServices]: {
    [M in keyof MethodsOf<AppServices[S]>]-?: ScopeRule<WithoutActor<ParamsOf<MethodsOf<AppServices[S]>[M]>>, Awaited<ResultOf<MethodsOf<AppServices[S]>[M]>>>;
  };
};

const FREE = 'free' as const;
const UNSCOPED = 'unscoped' as const;

/** A rule for methods whose first argument is an assessment id. */
const BY_ASSESSMENT = { before: (ctx: ScopeContext, id: string) => ctx.requireAssessment(id) };
/** A rule for methods whose first argument is a node (id, name or endpoint). */
const BY_NODE = { before: (ctx: ScopeContext, ref: string) => ctx.requireNode(ref) };

/** Hides a single result (undefined) when `hidden` says so: a hidden thing reads as an unknown one. */
function hideWhen<T>(hidden: (ctx: ScopeContext, value: T) => Promise<boolean>) {
  return async <V extends T>(ctx: ScopeContext, value: V | undefined): Promise<V | undefined> => (value !== undefined && (await hidden(ctx, value)) ? undefined : value);
}

async function exemptionHidden(ctx: ScopeContext, e: Pick<Exemption, 'target'>): Promise<boolean> {
  return e.target.node !== undefined && (await ctx.nodeHidden(e.target.node));
}

async function reviewHidden(ctx: ScopeContext, r: { scope: ReviewScope }): Promise<boolean> {
  return r.scope.kind === 'node' && (await ctx.nodeHidden(r.scope.nodeId));
}

/** A review's scope as given: a node the caller sees; labels or every node reach other environments too. */
async function reviewScopeInput(ctx: ScopeContext, scope: ReviewScopeInput | undefined): Promise<void> {
  if (scope === undefined) return;
  if (scope.kind === 'node') await ctx.requireNode(scope.node);
  else throw wider(ctx, `a review for ${scope.kind === 'labels' ? 'labelled nodes' : 'every node'}`);
}

/** FORBIDDEN for acting on something that reaches every environment (a review or exemption of all nodes). */
function wider(ctx: ScopeContext, what: string): PlimsollError {
  return new PlimsollError(ErrorCode.FORBIDDEN, `${ctx.caller.name} is limited to ${describeScope(ctx.scope)}: ${what} reaches nodes of other environments too; name a node you see`);
}

/** A schedule is about one node, or a selector's environment (a selector without one: every node the owner sees). */
async function scheduleHidden(ctx: ScopeContext, s: Pick<Schedule, 'target'>): Promise<boolean> {
  if (s.target.kind === 'node') return ctx.nodeHidden(s.target.nodeId);
  return s.target.environment !== undefined && ctx.environmentHidden(s.target.environment);
}

/** An exemption the caller may act on: hidden ones are unknown; one of every node is another environment's too. */
async function requireExemption(ctx: ScopeContext, id: string): Promise<void> {
  const e = await ctx.services.exemptions.get(id);
  if (e === undefined) return;
  if (await exemptionHidden(ctx, e)) throw notFound(`No exemption ${id}`);
  if (e.target.node === undefined) throw wider(ctx, `exemption ${id} (of every node)`);
}

/** A review the caller may act on: hidden ones are unknown; one of labels or every node reaches other environments. */
async function requireReview(ctx: ScopeContext, id: string): Promise<void> {
  const r = await ctx.services.reviews.get(id);
  if (r === undefined) return;
  if (await reviewHidden(ctx, r)) throw notFound(`No manual review ${id}`);
  if (r.scope.kind !== 'node') throw wider(ctx, `review ${id} (of ${r.scope.kind === 'labels' ? 'labelled nodes' : 'every node'})`);
}

async function requirePlan(ctx: ScopeContext, id: string): Promise<void> {
  const plan = await ctx.services.remediation.get(id);
  if (plan !== undefined && (await ctx.assessmentHidden(plan.assessmentId))) throw notFound(`No remediation plan ${id}`);
}

async function requireSchedule(ctx: ScopeContext, ref: string): Promise<void> {
  const s = await ctx.services.schedules.get(ref, { includeRemoved: true });
  if (s !== undefined && (await scheduleHidden(ctx, s))) throw notFound(`No schedule ${ref}`);
}

/** A registered registry the caller may act on: one of an environment it doesn't see is unknown. */
async function requireRegistry(ctx: ScopeContext, ref: string): Promise<void> {
  const r = await ctx.services.supplyChain.getRegistry(ref);
  if (r !== undefined && ctx.environmentHidden(r.environment)) throw notFound(`No registry ${ref}`);
}

async function requireDriftReport(ctx: ScopeContext, id: string): Promise<void> {
  const r = await ctx.services.drift.report(id);
  if (r !== undefined && (await ctx.nodeHidden(r.nodeId))) throw notFound(`No drift report ${id}`);
}

/** Methods refused unless they name a node the caller sees (their unfiltered answers span environments). */
function onlyForNode<Q extends { node?: string | undefined }>(method: string) {
  return {
    before: async (ctx: ScopeContext, query: Q) => {
      if (query?.node === undefined) throw notFound(`${method} needs a node for callers limited to environments (${ctx.scope.join(', ') || 'none'})`);
      await ctx.requireNode(query.node);
    },
  };
}

export const SCOPES: ScopeTable = {
  // Registries belong to an environment; trust servers serve every environment, so only callers who see every
  // environment change them (reading them is harmless: no credential is ever returned).
  supplyChain: {
    registerRegistry: { before: (ctx, input) => ctx.requireEnvironment(input.environment, `register registry ${input.name}`) },
    updateRegistry: {
      before: async (ctx, ref, changes) => {
        await requireRegistry(ctx, ref);
        if (changes.environment !== undefined) ctx.requireEnvironment(changes.environment, `move registry ${ref}`);
      },
    },
    removeRegistry: { before: requireRegistry },
    listRegistries: { after: (ctx, items) => ctx.keep(items, async (r) => !ctx.environmentHidden(r.environment)) },
    pageRegistries: UNSCOPED,
    getRegistry: { after: hideWhen(async (ctx, r: { environment: string }) => ctx.environmentHidden(r.environment)) },
    registerTrustServer: UNSCOPED,
    updateTrustServer: UNSCOPED,
    removeTrustServer: UNSCOPED,
    listTrustServers: FREE,
    pageTrustServers: FREE,
    getTrustServer: FREE,
    setSigners: { before: (ctx, environment) => ctx.requireEnvironment(environment, 'set the allowed signers') },
    listSigners: { after: (ctx, items) => ctx.keep(items, async (e) => !ctx.environmentHidden(e.environment)) },
    getSigners: { before: (ctx, environment) => ctx.requireEnvironment(environment, 'read the allowed signers') },
  },
  library: {
    listDocuments: FREE, getDocument: FREE, findBenchmark: FREE, listGroups: FREE, listControls: FREE, getControl: FREE,
    listRules: FREE, getRule: FREE, getCci: FREE, mapCcisToControls: FREE, mapReferencesToControls: FREE, pageDocuments: FREE, pageGroups: FREE, pageControls: FREE, pageRules: FREE,
  },
  imports: { importDocuments: FREE },
  nodes: {
    register: { before: (ctx, input) => ctx.requireEnvironment(input.environment, `register node ${input.name}`) },
    list: { after: (ctx, nodes) => ctx.keep(nodes, async (n) => !ctx.environmentHidden(n.environment)) },
    page: { narrow: 1 },
    find: { after: hideWhen(async (ctx, n: { environment?: string }) => ctx.environmentHidden(n.environment)) },
    remove: BY_NODE,
    ping: BY_NODE,
  },
  nodeAssets: { get: BY_NODE, set: BY_NODE, recordCollected: FREE },
  assessments: {
    // A run naming any node the caller can't see is refused whole, as if that node were unknown.
    run: {
      before: async (ctx, request) => {
        for (const ref of request.nodes) {
          await ctx.requireNode(ref);
          // An endpoint not registered yet is registered on the fly, in the default environment.
          if ((await ctx.services.nodes.find(ref)) === undefined && ctx.environmentHidden(undefined)) throw notFound(`No node matches "${ref}" (by id, name or endpoint)`);
        }
      },
    },
    list: { narrow: 1 },
    page: { narrow: 1 },
    results: BY_ASSESSMENT,
    get: { after: hideWhen(async (ctx, a: { id: string }) => ctx.assessmentHidden(a.id)) },
    resultsDocument: { after: async (ctx, doc, id) => ((await ctx.assessmentHidden(id)) ? undefined : doc) },
    resultsDocumentText: { after: async (ctx, doc, id) => ((await ctx.assessmentHidden(id)) ? undefined : doc) },
    planDocument: { after: async (ctx, doc, id) => ((await ctx.assessmentHidden(id)) ? undefined : doc) },
    assessedNodes: BY_ASSESSMENT,
    targetResults: BY_ASSESSMENT,
    targetResult: { after: hideWhen(async (ctx, r: { nodeId: string }) => ctx.nodeHidden(r.nodeId)) },
    assessedNode: { after: async (ctx, n, id) => ((await ctx.assessmentHidden(id)) ? undefined : n) },
    targetHistory: { before: (ctx, target) => ctx.requireNode(target.node) },
    markInterrupted: FREE,
  },
  reports: {
    formats: FREE,
    list: BY_ASSESSMENT,
    render: BY_ASSESSMENT,
    assessmentOfResults: {
      after: async (ctx, id) => {
        if (await ctx.assessmentHidden(id)) throw notFound('the results document is not one Plimsoll stored');
        return id;
      },
    },
    signingKey: FREE,
  },
  // Setting scopes is checked in the user service (only callers who see every environment set them).
  users: {
    me: FREE, list: FREE, get: FREE, getUser: FREE, createUser: FREE, createOwnToken: FREE, createToken: FREE, listTokens: FREE,
    getToken: FREE, revokeToken: FREE, setEnvironments: FREE, bootstrapAdmin: FREE,
  },
  // Audit records name every environment's nodes and runs.
  audit: { list: UNSCOPED, verify: FREE },
  contentSync: { sync: FREE, pathOf: FREE, pathsOf: FREE, listSources: FREE },
  exemptions: {
    request: {
      before: async (ctx, input) => {
        if (input.node === undefined) throw wider(ctx, 'an exemption of every node');
        await ctx.requireNode(input.node);
      },
    },
    approve: { before: requireExemption },
    reject: { before: requireExemption },
    revoke: { before: requireExemption },
    list: { after: (ctx, items) => ctx.keep(items, async (e) => !(await exemptionHidden(ctx, e))) },
    page: UNSCOPED,
    get: { after: hideWhen(exemptionHidden) },
    listApproved: { after: (ctx, items) => ctx.keep(items, async (e) => !(await exemptionHidden(ctx, e))) },
  },
  remediation: {
    propose: { before: (ctx, input) => ctx.requireAssessment(input.assessmentId) },
    approve: { before: requirePlan },
    reject: { before: requirePlan },
    apply: { before: requirePlan },
    revealUnlockKeys: { before: requirePlan },
    get: { after: hideWhen(async (ctx, p: { assessmentId: string }) => ctx.assessmentHidden(p.assessmentId)) },
    list: { after: (ctx, plans) => ctx.keep(plans, async (p) => !(await ctx.assessmentHidden(p.assessmentId))) },
    page: UNSCOPED,
    items: { before: requirePlan },
    listItems: { before: requirePlan },
    calls: { before: requirePlan },
    listCalls: { before: requirePlan },
    markInterrupted: FREE,
  },
  reviews: {
    create: { before: (ctx, input) => reviewScopeInput(ctx, input.scope) },
    update: { before: async (ctx, id, changes) => { await requireReview(ctx, id); await reviewScopeInput(ctx, changes.scope); } },
    submit: { before: requireReview },
    withdraw: { before: requireReview },
    accept: { before: requireReview },
    reject: { before: requireReview },
    importReviews: { before: async (ctx, reviews) => { for (const r of reviews) await reviewScopeInput(ctx, r.scope); } },
    list: { after: (ctx, items) => ctx.keep(items, async (r) => !(await reviewHidden(ctx, r))) },
    page: UNSCOPED,
    get: { after: hideWhen(reviewHidden) },
    evidenceFile: {
      before: async (ctx, id) => {
        const r = await ctx.services.reviews.get(id);
        if (r !== undefined && (await reviewHidden(ctx, r))) throw notFound(`No manual review ${id}`);
      },
    },
    listAccepted: { after: (ctx, items) => ctx.keep(items, async (r) => !(await reviewHidden(ctx, r))) },
    carryOver: UNSCOPED,
  },
  checklists: {
    importChecklist: {
      before: async (ctx, req) => {
        if (req.node === undefined) throw notFound('name the node the checklist is for (--node): callers limited to environments import for a node they see');
        await ctx.requireNode(req.node);
      },
    },
  },
  baselines: { list: FREE, page: FREE, get: FREE, resolveAndStore: FREE, resolveToText: FREE, catalogJson: FREE, selecting: FREE },
  convert: { convert: FREE },
  benchmarkDiff: { diff: FREE },
  coverage: { rulesForControl: FREE, baselineCoverage: FREE },
  search: { searchControls: FREE, searchRules: FREE },
  schedules: {
    create: {
      before: async (ctx, input) => {
        await ctx.requireNode(input.node);
        if (input.environment !== undefined) ctx.requireEnvironment(input.environment, `schedule runs of ${input.name}`);
      },
    },
    list: { after: (ctx, items) => ctx.keep(items, async (s) => !(await scheduleHidden(ctx, s))) },
    page: UNSCOPED,
    get: { after: hideWhen(scheduleHidden) },
    remove: { before: requireSchedule },
    runNow: { before: requireSchedule },
    jobs: UNSCOPED,
    job: { after: hideWhen(async (ctx, j: { nodeId?: string }) => j.nodeId !== undefined && (await ctx.nodeHidden(j.nodeId))) },
  },
  // Webhooks carry every environment's events off the installation.
  webhooks: { register: UNSCOPED, list: UNSCOPED, page: UNSCOPED, get: UNSCOPED, remove: UNSCOPED, deliveries: UNSCOPED, delivery: UNSCOPED },
  // Each event is passed only when the caller's (scoped) node lookups see every node it is about.
  notifications: { subscribe: FREE },
  uploads: { create: FREE, resolve: FREE, discard: FREE },
  downloads: {
    open: {
      before: async (ctx, path) => {
        const target = parseDownloadPath(path);
        if (target?.kind === 'assessment-results' || target?.kind === 'assessment-plan') {
          if (await ctx.assessmentHidden(target.id)) throw notFound('no such download');
        } else if (target?.kind === 'review-evidence') {
          const r = await ctx.services.reviews.get(target.id);
          if (r !== undefined && (await reviewHidden(ctx, r))) throw notFound('no such download');
        }
      },
    },
  },
  drift: {
    compare: {
      before: async (ctx, oldRef, newRef) => {
        for (const ref of [oldRef, newRef]) {
          if (ref.kind === 'assessment-id') await ctx.requireAssessment(ref.id);
          else throw notFound('callers limited to environments compare stored assessments by id');
        }
      },
    },
    reports: BY_ASSESSMENT,
    report: { after: hideWhen(async (ctx, r: { nodeId: string }) => ctx.nodeHidden(r.nodeId)) },
    changes: { before: requireDriftReport },
    runDrift: BY_ASSESSMENT,
    pinReference: { before: async (ctx, input) => { await ctx.requireNode(input.node); await ctx.requireAssessment(input.assessmentId); } },
    unpinReference: { before: (ctx, input) => ctx.requireNode(input.node) },
    references: onlyForNode('references'),
    reference: { after: async (ctx, r, nodeId) => ((await ctx.nodeHidden(nodeId)) ? undefined : r) },
  },
  history: { summary: onlyForNode('summary'), points: onlyForNode('points'), series: onlyForNode('series') },
};
