/**
 * The one authorisation table: for every method of every service, who may call it, whether the call is
 * audited (and how its target is summarised), and where the method takes its acting principal. Its type is
 * derived from AppServices, so a service method without a policy, a policy whose `actor` slot is not the
 * method's Principal parameter, or an audited method that is not asynchronous does not compile.
 *
 * Transports reach services only through the gateway (service-gateway.ts), which applies this table; the
 * services keep the rules that depend on data (separation of duties, "the owner or an admin").
 */
import type { Principal, Role } from '../domain/auth.js';
import { contentLabel } from '../domain/content-input.js';
import type { AppServices } from '../domain/services.js';
import { credentialsChange } from '../domain/supply-chain-registry.js';

type Fn = (...args: any[]) => any;

/** The methods of a service. */
export type MethodsOf<S> = { [K in keyof S as S[K] extends Fn ? K : never]: S[K] };

/** The position of the first Principal parameter, or undefined when the method takes none. */
export type ActorIndex<P extends readonly unknown[], Seen extends unknown[] = []> = P extends readonly [infer H, ...infer T]
  ? [H] extends [Principal]
    ? Seen['length']
    : ActorIndex<T, [...Seen, H]>
  : undefined;

/** The parameters without the first Principal: the gateway supplies the caller there. */
export type WithoutActor<P extends readonly unknown[]> = P extends readonly [infer H, ...infer T] ? ([H] extends [Principal] ? T : [H, ...WithoutActor<T>]) : P;

/** Who may call: any authenticated caller, callers with one of these roles, or only Plimsoll itself. */
export type Allow = 'anyone' | readonly Role[] | 'system';

/** How an audited call is recorded: the action name and a short, secret-free summary of what it acted on. */
export interface AuditSpec<A extends unknown[]> {
  action: string;
  target?: (...args: A) => unknown;
}

type ActorSlot<A extends readonly unknown[]> = ActorIndex<A> extends number ? { actor: ActorIndex<A> } : { actor?: undefined };

export type ParamsOf<F> = F extends (...args: infer A) => unknown ? A : never;
export type ResultOf<F> = F extends (...args: any[]) => infer R ? R : never;

/** A method's policy; synchronous methods (`sync: true`) can't be audited (writing the record is asynchronous). */
export type MethodPolicy<F> = { allow: Allow } & ActorSlot<ParamsOf<F>> &
  (ResultOf<F> extends Promise<unknown> ? { audit?: AuditSpec<ParamsOf<F>>; sync?: undefined } : { audit?: undefined; sync: true });

/** The policy table of a set of services: one entry per method, none missing. */
export type PolicyTableOf<Services> = { [S in keyof Services]: { [M in keyof MethodsOf<Services[S]>]-?: MethodPolicy<MethodsOf<Services[S]>[M]> } };

export type PolicyTable = PolicyTableOf<AppServices>;

/** The services as a transport sees them: bound to one caller, the Principal parameters gone. */
export type CallerServices = {
  [S in keyof AppServices]: { [M in keyof MethodsOf<AppServices[S]>]: (...args: WithoutActor<ParamsOf<MethodsOf<AppServices[S]>[M]>>) => ResultOf<MethodsOf<AppServices[S]>[M]> };
};

/** The scheme, host and port of a URL, or `invalid`. */
function originOf(url: unknown): string {
  try {
    return new URL(String(url)).origin;
  } catch {
    return 'invalid';
  }
}

const WRITERS: readonly Role[] = ['admin', 'assessor'];
const ADMINS: readonly Role[] = ['admin'];
const ANYONE = { allow: 'anyone' } as const;

export const POLICIES: PolicyTable = {
  library: {
    listDocuments: ANYONE, getDocument: ANYONE, findBenchmark: ANYONE, listGroups: ANYONE, listControls: ANYONE, getControl: ANYONE,
    listRules: ANYONE, getRule: ANYONE, getCci: ANYONE, mapCcisToControls: ANYONE, mapReferencesToControls: ANYONE,
    pageDocuments: ANYONE, pageGroups: ANYONE, pageControls: ANYONE, pageRules: ANYONE,
  },
  imports: {
    importDocuments: { allow: WRITERS, actor: 1, audit: { action: 'importDocuments', target: (inputs) => ({ documents: inputs.map(contentLabel) }) } },
  },
  nodes: {
    register: { allow: WRITERS, actor: 1, audit: { action: 'registerDockerNode', target: (input) => ({ name: input.name, endpoint: input.endpoint }) } },
    list: ANYONE,
    page: ANYONE,
    find: ANYONE,
    remove: { allow: WRITERS, actor: 1, audit: { action: 'removeDockerNode', target: (ref) => ({ ref }) } },
    // Pinging connects to the engine: those who may assess it.
    ping: { allow: WRITERS },
  },
  nodeAssets: {
    get: ANYONE,
    // Asset facts are checklist data an assessor corrects (issue #9): writers, audited with the fields set.
    set: { allow: WRITERS, actor: 2, audit: { action: 'setDockerNodeAsset', target: (ref, input) => ({ ref, ...input }) } },
    // Only collections (inside an assessment run) record what the engine and host told.
    recordCollected: { allow: 'system' },
  },
  assessments: {
    run: { allow: WRITERS, actor: 1, audit: { action: 'runAssessment', target: (r) => ({ nodes: r.nodes, benchmark: contentLabel(r.benchmark), profileId: r.profileId, ...(r.additionalBenchmarks !== undefined ? { additionalBenchmarks: r.additionalBenchmarks.map((b) => ({ benchmark: contentLabel(b.benchmark), profileId: b.profileId })) } : {}) }) } },
    list: ANYONE,
    page: ANYONE,
    results: ANYONE,
    get: ANYONE,
    resultsDocument: ANYONE,
    resultsDocumentText: ANYONE,
    planDocument: ANYONE,
    assessedNodes: ANYONE,
    targetResults: ANYONE,
    targetResult: ANYONE,
    assessedNode: ANYONE,
    targetHistory: ANYONE,
    markInterrupted: { allow: 'system', audit: { action: 'markInterrupted' } },
  },
  // Reports are reads of stored results: any authenticated person (an auditor too). Rendering is audited (who
  // took which evidence, a bundle signed with the server's key); the signature attests what Plimsoll stored,
  // not the reader, so any reader may have it.
  reports: {
    formats: ANYONE,
    list: ANYONE,
    render: { allow: 'anyone', audit: { action: 'renderReport', target: (assessmentId, format, options) => ({ assessmentId, format, node: options?.node }) } },
    assessmentOfResults: ANYONE,
    signingKey: ANYONE,
  },
  users: {
    me: { allow: 'anyone', actor: 0 },
    list: { allow: ADMINS },
    get: { allow: ADMINS },
    // The owner-or-admin rule needs the data: it lives in the service.
    getUser: { allow: 'anyone', actor: 1 },
    createUser: { allow: ADMINS, actor: 1, audit: { action: 'createUser', target: (i) => ({ name: i.name, role: i.role, oidcSubject: i.oidcSubject, environments: i.environments }) } },
    createOwnToken: { allow: 'anyone', actor: 1, audit: { action: 'createMyApiToken', target: (i) => ({ label: i.label, role: i.role, environments: i.environments }) } },
    createToken: { allow: 'anyone', actor: 2, audit: { action: 'createApiToken', target: (name, role, _actor, o) => ({ name, role, environments: o?.environments }) } },
    // Environment scopes decide what a person sees and changes: admins only, audited (issue #11 item 3).
    setEnvironments: { allow: ADMINS, actor: 2, audit: { action: 'setUserEnvironments', target: (ref, environments) => ({ ref, environments }) } },
    listTokens: { allow: 'anyone', actor: 2 },
    getToken: { allow: 'anyone', actor: 1 },
    revokeToken: { allow: 'anyone', actor: 1, audit: { action: 'revokeApiToken', target: (id) => ({ id }) } },
    bootstrapAdmin: { allow: 'system', audit: { action: 'bootstrapAdmin' } },
  },
  audit: {
    list: { allow: ADMINS },
    verify: { allow: ADMINS },
  },
  contentSync: {
    sync: { allow: WRITERS, audit: { action: 'syncContent', target: (names) => ({ names }) } },
    pathOf: { allow: WRITERS },
    pathsOf: { allow: WRITERS },
    listSources: { allow: 'anyone', sync: true },
  },
  exemptions: {
    request: {
      allow: WRITERS, actor: 1,
      audit: { action: 'requestExemption', target: (i) => ({ name: i.name, rule: i.rule, container: i.container, labels: i.labels, node: i.node, expiresAt: i.expiresAt }) },
    },
    approve: { allow: ADMINS, actor: 1, audit: { action: 'approveExemption', target: (id) => ({ id }) } },
    reject: { allow: ADMINS, actor: 2, audit: { action: 'rejectExemption', target: (id, reason) => ({ id, reason }) } },
    revoke: { allow: WRITERS, actor: 1, audit: { action: 'revokeExemption', target: (id, _actor, reason) => ({ id, reason }) } },
    list: ANYONE,
    page: ANYONE,
    get: ANYONE,
    listApproved: ANYONE,
  },
  // Remediation changes production engines: assessors propose (they find the failures), admins decide and
  // apply; the approver is another person (the service's separation-of-duties rule) and alone reads unlock keys.
  remediation: {
    propose: {
      allow: WRITERS, actor: 1,
      audit: { action: 'proposeRemediationPlan', target: (i) => ({ assessmentId: i.assessmentId, rules: i.rules, memory: i.memory, pidsLimit: i.pidsLimit, cpuShares: i.cpuShares, restartMaxRetries: i.restartMaxRetries }) },
    },
    approve: { allow: ADMINS, actor: 1, audit: { action: 'approveRemediationPlan', target: (id) => ({ id }) } },
    reject: { allow: ADMINS, actor: 2, audit: { action: 'rejectRemediationPlan', target: (id, reason) => ({ id, reason }) } },
    apply: { allow: ADMINS, actor: 2, audit: { action: 'applyRemediationPlan', target: (id, o) => ({ id, dryRun: o.dryRun ?? true }) } },
    revealUnlockKeys: { allow: ADMINS, actor: 1, audit: { action: 'revealSwarmUnlockKeys', target: (id) => ({ id }) } },
    get: ANYONE,
    list: ANYONE,
    page: ANYONE,
    items: ANYONE,
    listItems: ANYONE,
    calls: ANYONE,
    listCalls: ANYONE,
    markInterrupted: { allow: 'system', audit: { action: 'markRemediationInterrupted' } },
  },
  // Manual reviews (issue #9): writers draft, edit and submit (the author or an admin: checked in the service);
  // admins accept or reject, as they approve exemptions; separation of duties lives in the service.
  reviews: {
    create: { allow: WRITERS, actor: 1, audit: { action: 'createManualReview', target: (i) => ({ benchmark: i.benchmark, stigId: i.stigId, scope: i.scope, result: i.result, expiry: i.expiry }) } },
    update: { allow: WRITERS, actor: 2, audit: { action: 'updateManualReview', target: (id, c) => ({ id, fields: Object.keys(c) }) } },
    submit: { allow: WRITERS, actor: 1, audit: { action: 'submitManualReview', target: (id) => ({ id }) } },
    withdraw: { allow: WRITERS, actor: 1, audit: { action: 'withdrawManualReview', target: (id) => ({ id }) } },
    accept: { allow: ADMINS, actor: 1, audit: { action: 'acceptManualReview', target: (id) => ({ id }) } },
    reject: { allow: ADMINS, actor: 2, audit: { action: 'rejectManualReview', target: (id, reason) => ({ id, reason }) } },
    // Checklist import (CKL/CKLB) creates submitted reviews in the importing user's name: a writer's act.
    importReviews: { allow: WRITERS, actor: 1, audit: { action: 'importManualReviews', target: (rs) => ({ count: rs.length, rules: [...new Set(rs.map((r) => r.stigId))].slice(0, 50) }) } },
    list: ANYONE,
    page: ANYONE,
    get: ANYONE,
    evidenceFile: ANYONE,
    listAccepted: ANYONE,
    carryOver: ANYONE,
  },
  // A checklist import creates submitted reviews in the importing user's name, like importReviews.
  checklists: {
    importChecklist: { allow: WRITERS, actor: 1, audit: { action: 'importChecklist', target: (req) => ({ file: contentLabel(req.file), node: req.node }) } },
  },
  baselines: {
    list: ANYONE,
    page: ANYONE,
    get: ANYONE,
    resolveAndStore: { allow: WRITERS, actor: 1, audit: { action: 'resolveProfile', target: (profile, _actor, o) => ({ profile: contentLabel(profile), imports: o?.imports?.map(contentLabel) }) } },
    // Resolution without storing (the CLI's `resolve`): the result is the caller's; recorded like the document it makes.
    resolveToText: { allow: WRITERS, actor: 1, audit: { action: 'resolveProfileToText', target: (profile, _actor, o) => ({ profile: contentLabel(profile), imports: o?.imports?.map(contentLabel) }) } },
    catalogJson: ANYONE,
    selecting: ANYONE,
  },
  // Content in, text out (the CLI writes the user's --out): recorded like the evidence document it makes.
  convert: {
    convert: { allow: WRITERS, audit: { action: 'convertDocument', target: (input, o) => ({ input: input.name, to: o.to, oscalVersion: o.oscalVersion }) } },
  },
  benchmarkDiff: { diff: { allow: 'anyone', actor: 2 } },
  coverage: { rulesForControl: ANYONE, baselineCoverage: ANYONE },
  search: { searchControls: ANYONE, searchRules: ANYONE },
  // Schedules run assessments: those who may run them create them (and own them); the service lets only the
  // owner or an admin remove one. Each scheduled run is itself `assessments.run` as the owner (audited there).
  schedules: {
    create: { allow: WRITERS, actor: 1, audit: { action: 'createSchedule', target: (i) => ({ name: i.name, cron: i.cron, timezone: i.timezone, node: i.node, labels: i.labels, environment: i.environment, benchmark: i.benchmark, profileId: i.profileId }) } },
    list: ANYONE,
    page: ANYONE,
    get: ANYONE,
    remove: { allow: WRITERS, actor: 1, audit: { action: 'removeSchedule', target: (ref) => ({ ref }) } },
    runNow: { allow: WRITERS, actor: 1, audit: { action: 'runScheduleNow', target: (ref) => ({ ref }) } },
    jobs: ANYONE,
    job: ANYONE,
  },
  // Webhooks send data off the installation to a URL of the registrant's choosing: admins only, reads too.
  webhooks: {
    // The audit names the URL's origin only: receivers such as chat hooks carry their secret in the path.
    register: { allow: ADMINS, actor: 1, audit: { action: 'registerWebhook', target: (i) => ({ name: i.name, origin: originOf(i.url), filter: i.filter }) } },
    list: { allow: ADMINS },
    page: { allow: ADMINS },
    get: { allow: ADMINS },
    remove: { allow: ADMINS, actor: 1, audit: { action: 'removeWebhook', target: (ref) => ({ ref }) } },
    deliveries: { allow: ADMINS },
    delivery: { allow: ADMINS },
  },
  // Every signed-in user may listen; the service passes each event only when the caller may read what it is about.
  notifications: {
    subscribe: { allow: 'anyone', actor: 1 },
  },
  // Staging content is part of importing and assessing; the body is read only once the caller passed this table.
  uploads: {
    create: { allow: WRITERS, actor: 1, audit: { action: 'createUpload', target: (input) => ({ name: input.name }) } },
    resolve: { allow: WRITERS, actor: 1 },
    discard: { allow: WRITERS, actor: 1 },
  },
  // Any authenticated user reads stored results, as GraphQL lets them query them.
  downloads: { open: { allow: 'anyone', actor: 1 } },
  drift: {
    compare: ANYONE,
    reports: ANYONE,
    report: ANYONE,
    changes: ANYONE,
    runDrift: ANYONE,
    // A reference run decides what every later run is compared with: writers, audited.
    pinReference: { allow: WRITERS, actor: 1, audit: { action: 'pinReferenceRun', target: (i) => ({ node: i.node, assessmentId: i.assessmentId, note: i.note }) } },
    unpinReference: { allow: WRITERS, audit: { action: 'unpinReferenceRun', target: (i) => ({ node: i.node, benchmark: i.benchmark }) } },
    references: ANYONE,
    reference: ANYONE,
  },
  history: { summary: ANYONE, points: ANYONE, series: ANYONE },
  // Registries, trust servers and signers decide what the supply-chain rules accept (an environment's
  // registries, whose signatures count): a policy an assessor must not set for the runs they assess, so admins
  // write, audited with what changed; credentials appear only as set/cleared. Reads return no credential.
  supplyChain: {
    registerRegistry: {
      allow: ADMINS, actor: 1,
      audit: { action: 'registerRegistry', target: (i) => ({ name: i.name, url: originOf(i.url), host: i.host, environment: i.environment, trustServer: i.trustServer, repositories: i.repositories, ca: i.ca && contentLabel(i.ca), credentials: credentialsChange(i.credentials) }) },
    },
    updateRegistry: {
      allow: ADMINS, actor: 2,
      audit: { action: 'updateRegistry', target: (ref, c) => ({ ref, fields: Object.keys(c).sort(), credentials: credentialsChange(c.credentials) }) },
    },
    removeRegistry: { allow: ADMINS, actor: 1, audit: { action: 'removeRegistry', target: (ref) => ({ ref }) } },
    listRegistries: ANYONE,
    pageRegistries: ANYONE,
    getRegistry: ANYONE,
    registerTrustServer: {
      allow: ADMINS, actor: 1,
      audit: { action: 'registerTrustServer', target: (i) => ({ name: i.name, url: originOf(i.url), pinnedRootKeys: i.pinnedRootKeys, ca: i.ca && contentLabel(i.ca), credentials: credentialsChange(i.credentials) }) },
    },
    updateTrustServer: {
      allow: ADMINS, actor: 2,
      audit: { action: 'updateTrustServer', target: (ref, c) => ({ ref, fields: Object.keys(c).sort(), credentials: credentialsChange(c.credentials) }) },
    },
    removeTrustServer: { allow: ADMINS, actor: 1, audit: { action: 'removeTrustServer', target: (ref) => ({ ref }) } },
    listTrustServers: ANYONE,
    pageTrustServers: ANYONE,
    getTrustServer: ANYONE,
    setSigners: { allow: ADMINS, actor: 2, audit: { action: 'setAllowedSigners', target: (environment, signers) => ({ environment, signers }) } },
    listSigners: ANYONE,
    getSigners: ANYONE,
  },
};
