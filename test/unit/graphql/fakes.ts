/**
 * Small in-memory implementations of AppServices with real behaviour (filters, paging, token lookup, audit
 * log), so that GraphQL tests exercise resolvers, auth, audit and error formatting without a database.
 */
import { summarize, type AssessmentWithResults } from '../../../src/domain/assessment.js';
import { ServiceGateway } from '../../../src/auth/service-gateway.js';
import type { ApiToken, AuditEntry, AuditRecord, Caller, Principal, Role, User } from '../../../src/domain/auth.js';
import type { ImportSummary } from '../../../src/domain/content.js';
import type { ContentInput } from '../../../src/domain/content-input.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { DockerNode, NodeInput } from '../../../src/domain/node.js';
import { connectionOfList, type Connection, type PageRequest } from '../../../src/domain/paging.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type {
  AppServices,
  RuleResultFilter,
  AssessmentRequest,
  AssessmentService,
  AuditLog,
  AuditService,
  CreatedToken,
  UserService,
  ControlMapping,
  ExemptionService,
  ReviewService,
  ImportService,
  LibraryService,
  ListOptions,
  NodeService,
  Page,
  StoredBenchmark,
  StoredControl,
  StoredDocument,
  StoredGroup,
  StoredRule,
} from '../../../src/domain/services.js';

export const CATALOG_ID = 'doc-catalog';
export const BENCHMARK_ID = 'doc-stig-v2r2';
export const XCCDF_ID = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';
const NOW = '2026-01-02T03:04:05.000Z';

function page<T>(items: T[], options: ListOptions = {}): Page<T> {
  const offset = options.offset ?? 0;
  return { items: items.slice(offset, options.limit === undefined ? undefined : offset + options.limit), total: items.length };
}

const document = (over: Partial<StoredDocument> & Pick<StoredDocument, 'documentId' | 'kind' | 'id' | 'title'>): StoredDocument => ({
  version: '5.0.1',
  sourceFile: `/content/${over.documentId}`,
  sha256: 'a'.repeat(64),
  counts: {},
  importedAt: NOW,
  importedBy: 'admin',
  ...over,
});

const control = (id: string, title: string, over: Partial<StoredControl> = {}): StoredControl => ({
  documentId: CATALOG_ID,
  id,
  groupId: 'ac',
  title,
  params: [],
  parts: [],
  props: [{ name: 'label', value: id.toUpperCase() }],
  links: [],
  enhancementIds: [],
  ...over,
});

const rule = (stigId: string, n: number, severity: StoredRule['severity'], ccis: string[]): StoredRule => ({
  documentId: BENCHMARK_ID,
  groupId: `V-2358${n}`,
  ruleId: `SV-2358${n}r1_rule`,
  stigId,
  title: `Rule ${stigId}`,
  severity,
  weight: 10,
  discussion: `Why ${stigId}`,
  checkContent: `Check ${stigId}`,
  checkContentHash: `hash-${n}`,
  fixText: `Fix ${stigId}`,
  ccis,
  legacyIds: [`V-9${n}`],
});

/** One catalog (AC family: ac-1, ac-2 with enhancement ac-2.1, a nested group), one benchmark, one CCI list. */
export class FakeLibrary implements LibraryService {
  readonly documents: StoredDocument[] = [
    document({ documentId: CATALOG_ID, kind: 'catalog', id: '11111111-2222-3333-4444-555555555555', title: 'SP 800-53 rev5', oscalVersion: '1.0.0', counts: { controls: 3, groups: 2 } }),
    document({ documentId: 'doc-cci', kind: 'cci-list', id: 'cci-list', title: 'CCI list', version: '2022-04-05' }),
  ];
  readonly benchmark: StoredBenchmark = {
    ...document({ documentId: BENCHMARK_ID, kind: 'benchmark', id: XCCDF_ID, title: 'Docker Enterprise STIG', version: '2', counts: { rules: 3 } }),
    kind: 'benchmark',
    release: '2',
    releaseDate: '2024-07-24',
    profiles: [{ id: 'MAC-1_Classified', title: 'MAC 1 Classified', selectedRuleIds: ['SV-23581r1_rule', 'SV-23582r1_rule'] }],
  };
  readonly groups: StoredGroup[] = [
    { documentId: CATALOG_ID, id: 'ac', title: 'Access Control', class: 'family', params: [], parts: [] },
    { documentId: CATALOG_ID, id: 'ac-sub', parentGroupId: 'ac', title: 'Nested group', params: [], parts: [] },
  ];
  readonly controls: StoredControl[] = [
    control('ac-1', 'Policy and Procedures', {
      params: [
        { id: 'ac-01_odp.01', label: 'personnel or roles', guidelines: ['personnel or roles to which the policy is disseminated'], values: [] },
        { id: 'ac-01_odp.02', select: { howMany: 'one-or-more', choice: ['organization-level', 'system-level'] } },
      ],
      parts: [{ id: 'ac-1_smt', name: 'statement', parts: [{ id: 'ac-1_smt.a', name: 'item', prose: 'Develop a policy', parts: [{ id: 'ac-1_smt.a.1', name: 'item', prose: 'that addresses purpose' }] }] }],
    }),
    control('ac-2', 'Account Management', { enhancementIds: ['ac-2.1'], links: [{ href: '#ac-3', rel: 'related' }] }),
    control('ac-2.1', 'Automated System Account Management', { parentControlId: 'ac-2', class: 'SP800-53-enhancement' }),
  ];
  readonly rules: StoredRule[] = [rule('DKER-EE-001070', 1, 'medium', ['CCI-000381']), rule('DKER-EE-002000', 2, 'high', ['CCI-000366']), rule('DKER-EE-999999', 3, 'medium', [])];
  readonly mappings: Record<string, ControlMapping[]> = {
    'CCI-000381': [{ cci: 'CCI-000381', index: 'CM-7 a', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.a', catalogDocumentId: CATALOG_ID, resolved: true }],
    'CCI-000366': [{ cci: 'CCI-000366', index: 'CM-6 b', revision: '5', controlId: 'cm-6', statementId: 'cm-6_smt.b', catalogDocumentId: CATALOG_ID, resolved: true }],
  };

  async listDocuments(kind?: StoredDocument['kind']): Promise<StoredDocument[]> {
    return [...this.documents, this.benchmark].filter((d) => kind === undefined || d.kind === kind);
  }
  async pageDocuments(kind: StoredDocument['kind'] | undefined, request: PageRequest): Promise<Connection<StoredDocument>> {
    return connectionOfList(await this.listDocuments(kind), request);
  }
  async pageGroups(catalogDocumentId: string, parentGroupId: string | undefined, request: PageRequest): Promise<Connection<StoredGroup>> {
    return connectionOfList(await this.listGroups(catalogDocumentId, parentGroupId), request);
  }
  async pageControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, request: PageRequest): Promise<Connection<StoredControl>> {
    return connectionOfList((await this.listControls(catalogDocumentId, filter)).items, request);
  }
  async pageRules(benchmarkDocumentId: string, filter: { severity?: string }, request: PageRequest): Promise<Connection<StoredRule>> {
    return connectionOfList((await this.listRules(benchmarkDocumentId, filter)).items, request);
  }
  async getDocument(documentId: string): Promise<StoredDocument | undefined> {
    return (await this.listDocuments()).find((d) => d.documentId === documentId);
  }
  async findBenchmark(ref: string): Promise<StoredBenchmark | undefined> {
    return ref === this.benchmark.documentId || ref === this.benchmark.id ? this.benchmark : undefined;
  }
  async listGroups(catalogDocumentId: string, parentGroupId?: string): Promise<StoredGroup[]> {
    return this.groups.filter((g) => g.documentId === catalogDocumentId && g.parentGroupId === parentGroupId);
  }
  async listControls(catalogDocumentId: string, filter: { groupId?: string; parentControlId?: string }, options?: ListOptions): Promise<Page<StoredControl>> {
    const matches = this.controls.filter(
      (c) =>
        c.documentId === catalogDocumentId &&
        (filter.parentControlId !== undefined ? c.parentControlId === filter.parentControlId : c.parentControlId === undefined && c.groupId === filter.groupId),
    );
    return page(matches, options);
  }
  async getControl(catalogDocumentId: string, controlId: string): Promise<StoredControl | undefined> {
    return this.controls.find((c) => c.documentId === catalogDocumentId && c.id === controlId);
  }
  async listRules(benchmarkDocumentId: string, filter: { severity?: string } = {}, options?: ListOptions): Promise<Page<StoredRule>> {
    return page(this.rules.filter((r) => r.documentId === benchmarkDocumentId && (filter.severity === undefined || r.severity === filter.severity)), options);
  }
  async getRule(benchmarkDocumentId: string, ref: string): Promise<StoredRule | undefined> {
    return this.rules.find((r) => r.documentId === benchmarkDocumentId && [r.ruleId, r.groupId, r.stigId].includes(ref));
  }
  async getCci(): Promise<undefined> {
    return undefined;
  }
  async mapCcisToControls(ccis: string[]): Promise<ControlMapping[]> {
    return ccis.flatMap((c) => this.mappings[c] ?? []);
  }
  async mapReferencesToControls(): Promise<ControlMapping[]> {
    return [];
  }
}

/** Imports succeed for any upload id except ones containing "bad" (CONTENT_INVALID with a located problem) or "boom" (a plain Error). */
export class FakeImports implements ImportService {
  readonly calls: { paths: string[]; actor: Principal }[] = [];
  async importDocuments(inputs: readonly ContentInput[], actor: Principal): Promise<ImportSummary[]> {
    const paths = inputs.map((i) => ('uploadId' in i ? i.uploadId : i.name));
    this.calls.push({ paths, actor });
    const bad = paths.find((p) => p.includes('bad'));
    if (bad !== undefined) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${bad}: not well-formed XML`, [{ file: bad, line: 3, column: 7, message: 'unclosed tag' }, { file: bad, pointer: '/catalog/uuid', message: 'missing uuid' }]);
    if (paths.some((p) => p.includes('boom'))) throw new Error('disk on fire at /secret/path');
    return paths.map((file, i) => ({ documentId: `doc-${i}`, kind: 'catalog', id: `id-${i}`, title: `Imported ${i}`, version: '1', file, sha256: 'b'.repeat(64), counts: { controls: 2 }, alreadyPresent: false }));
  }
}

export class FakeNodes implements NodeService {
  readonly nodes = new Map<string, DockerNode>();
  async register(input: NodeInput): Promise<DockerNode> {
    if ([...this.nodes.values()].some((n) => n.name === input.name)) throw new PlimsollError(ErrorCode.CONFLICT, `node ${input.name} exists`);
    const node: DockerNode = { id: `node-${this.nodes.size + 1}`, name: input.name, endpoint: input.endpoint, labels: input.labels ?? {}, createdAt: NOW, ...(input.tls ? { tls: { kind: 'sealed' as const, caPem: 'ca', certPem: 'cert', keySealed: 'v1:sealed' } } : {}), ...(input.environment ? { environment: input.environment } : {}) };
    this.nodes.set(node.id, node);
    return node;
  }
  async list(): Promise<DockerNode[]> {
    return [...this.nodes.values()];
  }
  async page(request: PageRequest): Promise<Connection<DockerNode>> {
    return connectionOfList([...this.nodes.values()].sort((a, b) => a.name.localeCompare(b.name)), request);
  }
  async find(ref: string): Promise<DockerNode | undefined> {
    return [...this.nodes.values()].find((n) => [n.id, n.name, n.endpoint].includes(ref));
  }
  async remove(ref: string): Promise<void> {
    const node = await this.find(ref);
    if (!node) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node ${ref}`);
    this.nodes.delete(node.id);
  }
  async ping(): Promise<{ serverVersion: string; apiVersion: string }> {
    return { serverVersion: '27.0.0', apiVersion: '1.46' };
  }
}

/** Runs produce two results (one fail with evidence, one pass) per node and keep an OSCAL-like document. */
export class FakeAssessments implements AssessmentService {
  readonly runs: AssessmentWithResults[] = [];
  constructor(private readonly library: FakeLibrary, private readonly nodes: FakeNodes) {}

  async run(request: AssessmentRequest, actor: Principal): Promise<AssessmentWithResults> {
    if (typeof request.benchmark !== 'string') throw new PlimsollError(ErrorCode.BAD_INPUT, 'the fake assesses stored benchmarks only');
    const benchmark = await this.library.findBenchmark(request.benchmark);
    if (!benchmark) throw new PlimsollError(ErrorCode.NOT_FOUND, `no benchmark ${request.benchmark}`);
    const nodeIds: string[] = [];
    for (const ref of request.nodes) {
      const node = await this.nodes.find(ref);
      if (!node) throw new PlimsollError(ErrorCode.NOT_FOUND, `no node ${ref}`);
      nodeIds.push(node.id);
    }
    const [failing, passing] = this.library.rules;
    const results: RuleResult[] = nodeIds.flatMap((nodeId) => [
      {
        nodeId, stigId: failing!.stigId, ruleId: failing!.ruleId, groupId: failing!.groupId, checkContentHash: failing!.checkContentHash, title: failing!.title, severity: failing!.severity,
        status: 'fail', message: '1 of 2 containers run privileged', controlIds: ['cm-7_smt.a'], ccis: failing!.ccis, fixText: failing!.fixText,
        observations: [{ target: { kind: 'container', id: 'c1', name: 'web' }, field: 'HostConfig.Privileged', value: true, expected: 'false', verdict: 'fail', message: 'privileged', collectedAt: NOW }],
      },
      {
        nodeId, stigId: passing!.stigId, ruleId: passing!.ruleId, groupId: passing!.groupId, checkContentHash: passing!.checkContentHash, title: passing!.title, severity: passing!.severity,
        status: 'pass', message: 'ok', controlIds: ['cm-6_smt.b'], ccis: passing!.ccis, fixText: passing!.fixText,
        observations: [{ target: { kind: 'container', id: 'c1', name: 'web' }, field: 'HostConfig.SecurityOpt', value: ['no-new-privileges'], expected: 'contains no-new-privileges', verdict: 'pass', message: 'set', collectedAt: NOW }],
      },
    ]);
    const run: AssessmentWithResults = {
      id: `run-${this.runs.length + 1}`, status: 'completed', benchmarkDocumentId: benchmark.documentId, benchmarkId: benchmark.id, benchmarkTitle: benchmark.title,
      benchmarkVersion: benchmark.version, ...(benchmark.release ? { benchmarkRelease: benchmark.release } : {}), ...(request.profileId ? { profileId: request.profileId } : {}),
      nodeIds, nodes: [], startedAt: NOW, finishedAt: NOW, startedBy: actor.name, summary: summarize(results), results,
    };
    this.runs.push(run);
    return run;
  }
  async list(options?: ListOptions): Promise<Page<AssessmentWithResults>> {
    return page([...this.runs].reverse(), options);
  }
  async get(id: string): Promise<AssessmentWithResults | undefined> {
    return this.runs.find((r) => r.id === id);
  }
  async page(request: PageRequest): Promise<Connection<AssessmentWithResults>> {
    return connectionOfList([...this.runs].reverse(), request);
  }
  async results(id: string, f: RuleResultFilter, request: PageRequest): Promise<Connection<RuleResult>> {
    const matching = (this.runs.find((r) => r.id === id)?.results ?? []).filter(
      (r) => (f.status === undefined || r.status === f.status) && (f.severity === undefined || r.severity === f.severity) && (f.nodeId === undefined || r.nodeId === f.nodeId) && (f.stigId === undefined || r.stigId === f.stigId),
    );
    return connectionOfList(matching, request);
  }
  async resultsDocument(id: string): Promise<unknown | undefined> {
    const run = await this.get(id);
    return run && { 'assessment-results': { uuid: run.id, results: [{ findings: run.results.filter((r) => r.status === 'fail').length }] } };
  }
  resultsDocumentText(): Promise<AsyncIterable<string> | undefined> {
    return Promise.reject(new Error('assessments.resultsDocumentText is not faked'));
  }
  async markInterrupted(): Promise<number> {
    return 0;
  }
  // Per-target results and plans are tested over the real service (test/integration/targets-graphql.test.ts).
  planDocument(): Promise<unknown | undefined> {
    return Promise.reject(new Error('assessments.planDocument is not faked'));
  }
  targetResults(): never {
    throw new Error('assessments.targetResults is not faked');
  }
  assessedNodes(): never {
    throw new Error('assessments.assessedNodes is not faked');
  }
  targetResult(): never {
    throw new Error('assessments.targetResult is not faked');
  }
  assessedNode(): never {
    throw new Error('assessments.assessedNode is not faked');
  }
  targetHistory(): never {
    throw new Error('assessments.targetHistory is not faked');
  }
}

/** Users and tokens in memory; tokens are looked up by secret and belong to users. */
export class FakeUsers implements UserService {
  readonly users: User[] = [];
  readonly tokens: (ApiToken & { secret: string })[] = [];
  /** A person of this name and role, with a token whose secret is returned. */
  add(name: string, role: Role, createdBy?: string): Principal {
    const user: User = { id: `u-${name}`, name, role, kind: 'person', origin: 'admin', createdAt: NOW, ...(createdBy !== undefined ? { createdBy } : {}) };
    this.users.push(user);
    return { userId: user.id, name, role, kind: 'person', via: 'token', tokenId: `tok-${name}` };
  }
  authenticate(secret: string): Caller {
    const t = this.tokens.find((x) => x.secret === secret);
    if (t === undefined || t.revokedAt !== undefined) return { anonymous: true, reason: 'unknown API token' };
    const u = this.users.find((x) => x.id === t.userId)!;
    return { userId: u.id, name: u.name, role: t.role, kind: 'person', via: 'token', tokenId: t.id };
  }
  async me(actor: Principal): Promise<User> {
    return this.users.find((u) => u.id === actor.userId) ?? { id: actor.userId, name: actor.name, role: actor.role, kind: actor.kind, origin: 'admin', createdAt: NOW };
  }
  async list(request: PageRequest): Promise<Connection<User>> {
    return connectionOfList(this.users, request);
  }
  async get(ref: string): Promise<User | undefined> {
    return this.users.find((u) => u.id === ref || u.name.toLowerCase() === ref.toLowerCase());
  }
  async getUser(id: string, actor: Principal): Promise<User | undefined> {
    if (actor.role !== 'admin' && id !== actor.userId) throw new PlimsollError(ErrorCode.FORBIDDEN, `not ${actor.name}'s user`);
    return this.users.find((u) => u.id === id);
  }
  async setEnvironments(ref: string, environments: string[], _actor: Principal): Promise<User> {
    const user = this.users.find((u) => u.id === ref || u.name === ref);
    if (user === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No user ${ref}`);
    if (environments.length > 0) user.environments = [...environments];
    else delete user.environments;
    return user;
  }

  async createUser(input: { name: string; role: Role }, actor: Principal): Promise<User> {
    if (await this.get(input.name)) throw new PlimsollError(ErrorCode.CONFLICT, `user ${input.name} exists`);
    this.add(input.name, input.role, actor.userId);
    return (await this.get(input.name))!;
  }
  private mint(user: User, name: string, role: Role): CreatedToken {
    const secret = `plm_secret_${this.tokens.length + 1}_${name}`;
    const token = { id: `tok-${this.tokens.length + 1}`, name, userId: user.id, userName: user.name, role, createdAt: NOW };
    this.tokens.push({ ...token, secret });
    return { token, secret };
  }
  async createOwnToken(input: { label?: string; role?: Role }, actor: Principal): Promise<CreatedToken> {
    return this.mint(await this.me(actor), input.label ?? actor.name, input.role ?? actor.role);
  }
  async createToken(name: string, role: Role, actor: Principal): Promise<CreatedToken & { user: User; userCreated: boolean }> {
    const existing = await this.get(name);
    if (existing !== undefined && existing.id !== actor.userId) throw new PlimsollError(ErrorCode.CONFLICT, `user ${name} exists`);
    if (existing === undefined && actor.role !== 'admin') throw new PlimsollError(ErrorCode.FORBIDDEN, `Only admins create users; ${actor.name} has role ${actor.role}`);
    const user = existing ?? (await this.createUser({ name, role }, actor));
    return { ...this.mint(user, name, role), user, userCreated: existing === undefined };
  }
  async listTokens(filter: { user?: string }, request: PageRequest, actor: Principal): Promise<Connection<ApiToken>> {
    const named = filter.user === undefined ? undefined : (await this.get(filter.user))?.id;
    if (actor.role !== 'admin' && filter.user !== undefined && named !== actor.userId) throw new PlimsollError(ErrorCode.FORBIDDEN, `Only admins list other users' tokens`);
    const owner = actor.role === 'admin' ? named : actor.userId;
    const visible = this.tokens.filter((t) => owner === undefined || t.userId === owner).map(({ secret: _s, ...t }) => t);
    return connectionOfList(visible, request);
  }
  async getToken(id: string, actor: Principal): Promise<ApiToken | undefined> {
    const t = this.tokens.find((x) => x.id === id);
    if (actor.role !== 'admin' && t?.userId !== actor.userId) throw new PlimsollError(ErrorCode.FORBIDDEN, `not ${actor.name}'s token`);
    if (t === undefined) return undefined;
    const { secret: _s, ...token } = t;
    return token;
  }
  async revokeToken(id: string): Promise<void> {
    const t = this.tokens.find((x) => x.id === id);
    if (!t) throw new PlimsollError(ErrorCode.NOT_FOUND, `no token ${id}`);
    t.revokedAt = NOW;
  }
  async bootstrapAdmin(): Promise<{ createdSecret?: string }> {
    return {};
  }
}

/** The audit log, newest first (not chained: the chain is tested over SQLite). */
export class FakeAudit implements AuditService, AuditLog {
  readonly records: AuditRecord[] = [];
  async record(entry: AuditEntry): Promise<AuditRecord> {
    const r = { id: this.records.length + 1, at: NOW, ...entry, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) };
    this.records.unshift(r);
    return r;
  }
  async list(request: PageRequest): Promise<Connection<AuditRecord>> {
    return connectionOfList(this.records, request);
  }
  async verify(): Promise<{ ok: boolean; count: number; problems: [] }> {
    return { ok: true, count: this.records.length, problems: [] };
  }
}

export interface FakeServices extends AppServices {
  library: FakeLibrary;
  imports: FakeImports;
  nodes: FakeNodes;
  assessments: FakeAssessments;
  users: FakeUsers;
  audit: FakeAudit;
}

export const ADMIN: Principal = { userId: 'u-carol-admin', name: 'carol-admin', role: 'admin', kind: 'person', via: 'token', tokenId: 'tok-carol-admin' };
export const ASSESSOR: Principal = { userId: 'u-alice-assessor', name: 'alice-assessor', role: 'assessor', kind: 'person', via: 'token', tokenId: 'tok-alice-assessor' };
export const AUDITOR: Principal = { userId: 'u-bob-auditor', name: 'bob-auditor', role: 'auditor', kind: 'person', via: 'token', tokenId: 'tok-bob-auditor' };

/** The real service gateway over fake services: the policy table, actor slots and audit are the real ones. */
export function fakeGateway(services: FakeServices): ServiceGateway {
  return new ServiceGateway({
    services,
    audit: services.audit,
    authenticator: {
      bearer: async (secret) => (secret === undefined ? { anonymous: true, reason: 'no bearer token' } : services.users.authenticate(secret)),
      local: async () => ADMIN,
      system: async () => ({ ...ADMIN, kind: 'system', via: 'system' }),
      scheduleOwner: async () => ({ anonymous: true, reason: 'schedules are not faked' }),
    },
  });
}

/** A service whose every call fails: for services these tests do not exercise. */
function notFaked<T extends object>(name: string): T {
  return new Proxy({} as T, { get: (_t, prop) => () => Promise.reject(new Error(`${name}.${String(prop)} is not faked`)) });
}

/** A fresh set of in-memory services. */
export function fakeServices(): FakeServices {
  const library = new FakeLibrary();
  const nodes = new FakeNodes();
  const users = new FakeUsers();
  for (const p of [ADMIN, ASSESSOR, AUDITOR]) users.add(p.name, p.role);
  return {
    library,
    imports: new FakeImports(),
    nodes,
    // Asset facts are tested over the real service (test/unit/nodes/node-asset-service.test.ts, test/integration/targets-graphql.test.ts).
    nodeAssets: notFaked<AppServices['nodeAssets']>('nodeAssets'),
    assessments: new FakeAssessments(library, nodes),
    users,
    audit: new FakeAudit(),
    contentSync: {
      sync: async () => [],
      pathOf: async (name: string) => {
        throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${name} is not cached`);
      },
      pathsOf: async (names: string[]) => {
        throw new PlimsollError(ErrorCode.CONTENT_MISSING, `${names.join(', ')} not cached`);
      },
      listSources: () => [],
    },
    // Exemptions are tested over the real service (test/unit/exemptions, test/integration/exemptions.test.ts).
    exemptions: new Proxy({} as ExemptionService, {
      get: (_t, prop) => () => Promise.reject(new Error(`exemptions.${String(prop)} is not faked`)),
    }),
    // Remediation is tested over the real service (test/unit/remediation, test/integration/remediation.test.ts).
    remediation: notFaked<AppServices['remediation']>('remediation'),
    // Reviews are tested over the real service (test/unit/reviews, test/integration/reviews.test.ts).
    reviews: new Proxy({} as ReviewService, {
      get: (_t, prop) => () => Promise.reject(new Error(`reviews.${String(prop)} is not faked`)),
    }),
    // Baselines, diffs, coverage and search are tested over the real services (test/unit/library, test/integration/library-api.test.ts).
    baselines: notFaked<AppServices['baselines']>('baselines'),
    convert: notFaked<AppServices['convert']>('convert'),
    benchmarkDiff: notFaked<AppServices['benchmarkDiff']>('benchmarkDiff'),
    coverage: notFaked<AppServices['coverage']>('coverage'),
    search: notFaked<AppServices['search']>('search'),
    // Schedules, webhooks and events run over real services: test/unit/monitoring, test/integration/monitoring.test.ts.
    schedules: notFaked<AppServices['schedules']>('schedules'),
    webhooks: notFaked<AppServices['webhooks']>('webhooks'),
    notifications: notFaked<AppServices['notifications']>('notifications'),
    uploads: notFaked<AppServices['uploads']>('uploads'),
    downloads: notFaked<AppServices['downloads']>('downloads'),
    // Drift and history are tested over the real services (test/unit/monitoring, test/integration/drift.test.ts).
    drift: notFaked<AppServices['drift']>('drift'),
    history: notFaked<AppServices['history']>('history'),
    // Reports are tested over the real service (test/unit/reporting, test/unit/graphql/reports.test.ts).
    reports: notFaked<AppServices['reports']>('reports'),
    checklists: notFaked<AppServices['checklists']>('checklists'),
    // Registries, trust servers and signers run over the real service: test/unit/supply-chain, test/unit/graphql/supply-chain-api.test.ts.
    supplyChain: notFaked<AppServices['supplyChain']>('supplyChain'),
  };
}
