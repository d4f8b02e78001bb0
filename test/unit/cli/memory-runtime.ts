/** A hand-written in-memory CliRuntime: records calls, answers from fixtures, fails on demand. */
import type { AssetOverrideInput, NodeAsset } from '../../../src/domain/asset.js';
import { loadConfig } from '../../../src/config/config.js';
import type { AssessmentWithResults } from '../../../src/domain/assessment.js';
import { summarize } from '../../../src/domain/assessment.js';
import { ServiceGateway } from '../../../src/auth/service-gateway.js';
import type { ChainVerification } from '../../../src/domain/audit-chain.js';
import type { ApiToken, AuditEntry, AuditRecord, Caller, Principal, Role, User } from '../../../src/domain/auth.js';
import type { ImportSummary } from '../../../src/domain/content.js';
import type { DockerNode, NodeInput } from '../../../src/domain/node.js';
import type { RuleResult } from '../../../src/domain/results.js';
import type { AppServices, AssessmentRequest, ContentSyncResult, ExemptionService, LibraryService, ReviewService } from '../../../src/domain/services.js';
import type { CliIo, CliRuntime, OpenOptions, OpenedApp } from '../../../src/cli/runtime.js';
import { LOCAL_CLI_PRINCIPAL, tokenPrincipal } from '../../fixtures/principals.js';
import type { ContentInput } from '../../../src/domain/content-input.js';

export interface Call {
  method: string;
  args: unknown[];
}

export class MemoryIo implements CliIo {
  stdout: string[] = [];
  stderr: string[] = [];
  out(text: string): void {
    this.stdout.push(text);
  }
  err(text: string): void {
    this.stderr.push(text);
  }
  get outText(): string {
    return this.stdout.join('\n');
  }
  get errText(): string {
    return this.stderr.join('\n');
  }
}

/** A paging method the CLI never calls (paging is GraphQL's); a call fails loudly. */
function notUsed(name: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${name} is not used by the CLI`));
}

function result(stigId: string, status: RuleResult['status'], severity: RuleResult['severity']): RuleResult {
  return {
    nodeId: 'n1', stigId, ruleId: `SV-${stigId}_rule`, groupId: `V-${stigId}`, checkContentHash: 'h', title: stigId, severity, status,
    message: status, observations: [], controlIds: [], ccis: [], fixText: '',
  };
}

export const RESULTS = [
  result('DKER-EE-001', 'pass', 'medium'),
  result('DKER-EE-002', 'fail', 'high'),
  result('DKER-EE-003', 'fail', 'medium'),
  result('DKER-EE-004', 'not-checked', 'low'),
];

export function assessmentFixture(status: AssessmentWithResults['status'] = 'completed'): AssessmentWithResults {
  return {
    id: 'a-1', status, benchmarkDocumentId: 'doc-1', benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
    benchmarkTitle: 'Docker Enterprise 2.x Linux/UNIX STIG', benchmarkVersion: '2', benchmarkRelease: '2', nodeIds: ['n1'],
    nodes: [{ nodeId: 'n1', name: 'node-one', endpoint: 'unix:///var/run/docker.sock', status: { state: 'collected', collectedAt: '2025-01-01T00:00:01Z', factsSha256: 'a'.repeat(64) } }],
    startedAt: '2025-01-01T00:00:00Z', startedBy: 'local-cli', results: RESULTS, summary: summarize(RESULTS),
    ...(status === 'failed' ? { error: 'collector crashed' } : {}),
  };
}

/** Every service with in-memory behaviour; `fail` makes a named method reject with the given error. */
export class MemoryRuntime implements CliRuntime {
  calls: Call[] = [];
  opened: OpenOptions[] = [];
  /** Audit records the gateway wrote. */
  audited: AuditEntry[] = [];
  /** Users `--as` may name (besides the default local operator), by name. */
  people = new Map<string, Principal>([['alice', tokenPrincipal('alice', 'assessor')], ['dora', tokenPrincipal('dora', 'auditor')]]);
  closed = 0;
  fail = new Map<string, unknown>();
  /** The report service, when a test gives one (a real one over a stored assessment). */
  reports: AppServices['reports'] | undefined;
  imports: ImportSummary[] = [];
  syncResults: ContentSyncResult[] = [];
  nodes: DockerNode[] = [];
  tokens: ApiToken[] = [];
  assessment = assessmentFixture();
  verification: ChainVerification = { ok: true, count: 3, head: { id: 3, hash: 'c'.repeat(64) }, problems: [] };
  asset: NodeAsset = {
    nodeId: 'node-1',
    collected: { hostName: { value: 'web-01', source: 'engine', detail: 'GET /info Name', recordedAt: '2025-01-01T00:00:01Z' } },
    collectedAt: '2025-01-01T00:00:01Z',
    overrides: { role: { value: 'Member Server', source: 'assessor', detail: 'per SSP', recordedAt: '2025-01-02T00:00:00Z', recordedBy: 'carol' } },
    effective: {
      hostName: { value: 'web-01', source: 'engine', detail: 'GET /info Name', recordedAt: '2025-01-01T00:00:01Z' },
      role: { value: 'Member Server', source: 'assessor', detail: 'per SSP', recordedAt: '2025-01-02T00:00:00Z', recordedBy: 'carol' },
    },
  };

  private call(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.fail.has(method)) throw this.fail.get(method);
  }

  async open(opts: OpenOptions): Promise<OpenedApp> {
    this.opened.push(opts);
    this.call('open', opts);
    const self = this;
    const library = new Proxy({} as LibraryService, {
      get: (_t, prop) => () => Promise.reject(new Error(`library.${String(prop)} is not used by the CLI`)),
    });
    const services: AppServices = {
      library,
      imports: {
        async importDocuments(inputs: readonly ContentInput[], actor: Principal) {
          self.call('importDocuments', inputs.map((i) => ('uploadId' in i ? `upload:${i.uploadId}` : `${i.name} (${i.bytes.length} bytes)`)), actor);
          return self.imports;
        },
      },
      nodes: {
        async register(input: NodeInput, actor: Principal) {
          self.call('register', input, actor);
          const node: DockerNode = { id: `node-${self.nodes.length + 1}`, name: input.name, endpoint: input.endpoint, labels: input.labels ?? {}, createdAt: 'now', ...(input.tls ? { tls: { kind: 'sealed' as const, caPem: 'ca', certPem: 'cert', keySealed: 'v1:sealed' } } : {}) };
          self.nodes.push(node);
          return node;
        },
        page: notUsed('nodes.page'),
        async list() {
          self.call('listNodes');
          return self.nodes;
        },
        async find(ref: string) {
          return self.nodes.find((n) => n.name === ref || n.id === ref);
        },
        async remove(ref: string, actor: Principal) {
          self.call('removeNode', ref, actor);
        },
        async ping(ref: string) {
          self.call('ping', ref);
          return { serverVersion: '27.0', apiVersion: '1.46' };
        },
      },
      assessments: {
        async run(request: AssessmentRequest, actor: Principal) {
          self.call('run', request, actor);
          return self.assessment;
        },
        page: notUsed('assessments.page'),
        results: notUsed('assessments.results'),
        async list() {
          return { items: [self.assessment], total: 1 };
        },
        async get() {
          return self.assessment;
        },
        async resultsDocument() {
          return self.assessment.status === 'completed' ? { 'assessment-results': { uuid: 'doc-of-a-1' } } : undefined;
        },
        async resultsDocumentText() {
          // The stored text, in two parts: the CLI writes them as they come.
          if (self.assessment.status !== 'completed') return undefined;
          const text = `${JSON.stringify({ 'assessment-results': { uuid: 'doc-of-a-1' } }, null, 2)}\n`;
          return (async function* parts() {
            yield text.slice(0, 10);
            yield text.slice(10);
          })();
        },
        async planDocument() {
          return self.assessment.status === 'completed' ? { 'assessment-plan': { uuid: 'plan-of-a-1' } } : undefined;
        },
        async markInterrupted() {
          return 0;
        },
        targetResults: () => Promise.reject(new Error('targetResults is not used by the CLI')),
        assessedNodes: () => Promise.reject(new Error('assessedNodes is not used by the CLI')),
        targetHistory: () => Promise.reject(new Error('targetHistory is not used by the CLI')),
        targetResult: () => Promise.reject(new Error('targetResult is not used by the CLI')),
        assessedNode: () => Promise.reject(new Error('assessedNode is not used by the CLI')),
      },
      nodeAssets: {
        async get(ref: string) {
          self.call('getAsset', ref);
          return self.asset;
        },
        async set(ref: string, input: AssetOverrideInput, actor: Principal) {
          self.call('setAsset', ref, input, actor);
          return self.asset;
        },
        recordCollected: () => Promise.reject(new Error('recordCollected is not used by the CLI')),
      },
      users: {
        async me(actor: Principal) {
          return { id: actor.userId, name: actor.name, role: actor.role, kind: actor.kind, origin: 'cli', createdAt: '2025-01-01T00:00:00Z' } satisfies User;
        },
        async list() {
          self.call('listUsers');
          return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false }, totalCount: 0 };
        },
        async get() {
          return undefined;
        },
        async createUser(input: { name: string; role: Role }, actor: Principal) {
          self.call('createUser', input, actor);
          return { id: 'u-new', name: input.name, role: input.role, kind: 'person', origin: 'admin', createdAt: '2025-01-01T00:00:00Z', createdBy: actor.userId } satisfies User;
        },
        async setEnvironments(ref: string, environments: string[], actor: Principal) {
          self.call('setEnvironments', ref, environments, actor);
          return { id: 'u-1', name: ref, role: 'assessor', kind: 'person', origin: 'admin', createdAt: '2025-01-01T00:00:00Z', ...(environments.length > 0 ? { environments } : {}) } satisfies User;
        },
        async createOwnToken(input: { label?: string; role?: Role }, actor: Principal) {
          self.call('createOwnToken', input, actor);
          const token: ApiToken = { id: 't-2', name: input.label ?? actor.name, userId: actor.userId, userName: actor.name, role: input.role ?? actor.role, createdAt: '2025-01-01T00:00:00Z' };
          return { token, secret: 'plm_mintedsecret' };
        },
        async createToken(name: string, role: Role, actor: Principal) {
          self.call('createToken', name, role, actor);
          const user: User = { id: 'u-1', name, role, kind: 'person', origin: 'admin', createdAt: '2025-01-01T00:00:00Z', createdBy: actor.userId };
          const token: ApiToken = { id: 't-1', name, userId: user.id, userName: name, role, createdAt: '2025-01-01T00:00:00Z' };
          return { token, secret: 'plm_secretsecret', user, userCreated: true };
        },
        getUser: notUsed('users.getUser'),
        getToken: notUsed('users.getToken'),
        async listTokens(filter: { user?: string }, page: unknown, actor: Principal) {
          self.call('listTokens', filter, page, actor);
          return { edges: self.tokens.map((t) => ({ cursor: t.id, node: t })), pageInfo: { hasNextPage: false, hasPreviousPage: false }, totalCount: self.tokens.length };
        },
        async revokeToken(id: string, actor: Principal) {
          self.call('revokeToken', id, actor);
        },
        async bootstrapAdmin() {
          return {};
        },
      },
      audit: {
        async list(page) {
          self.call('auditList', page);
          const items: AuditRecord[] = [{ id: 5, at: '2025-01-02', actor: 'alice', role: 'admin', action: 'createApiToken', outcome: 'success', target: 't-1', prevHash: '0'.repeat(64), hash: 'a'.repeat(64) }];
          return { edges: items.map((node) => ({ cursor: String(node.id), node })), pageInfo: { hasNextPage: true, hasPreviousPage: false, endCursor: 'next' }, totalCount: 7 };
        },
        async verify(options) {
          self.call('auditVerify', options);
          return self.verification;
        },
      },
      contentSync: {
        async sync(names?: string[]) {
          self.call('sync', names);
          return self.syncResults;
        },
        async pathOf(name: string) {
          return `/cache/${name}`;
        },
        async pathsOf(names: string[]) {
          return new Map(names.map((n) => [n, `/cache/${n}`]));
        },
        listSources() {
          return self.syncResults.map((r) => ({ name: r.name, file: r.file, import: true }));
        },
      },
      // Exemption commands are tested over the real service (test/unit/exemptions/exemption-cli.test.ts).
      exemptions: new Proxy({} as ExemptionService, {
        get: (_t, prop) => () => Promise.reject(new Error(`exemptions.${String(prop)} is not used by these tests`)),
      }),
      // Remediation commands are tested over the real service (test/unit/remediation, test/integration/remediation.test.ts).
      remediation: unused<AppServices['remediation']>('remediation'),
      // Review commands are tested over the real service (test/unit/reviews).
      reviews: new Proxy({} as ReviewService, {
        get: (_t, prop) => () => Promise.reject(new Error(`reviews.${String(prop)} is not used by these tests`)),
      }),
      // resolve and diff-benchmark run over the real services (test/unit/library/baseline-service.test.ts, diff tests).
      baselines: unused<AppServices['baselines']>('baselines'),
      convert: unused<AppServices['convert']>('convert'),
      benchmarkDiff: unused<AppServices['benchmarkDiff']>('benchmarkDiff'),
      coverage: unused<AppServices['coverage']>('coverage'),
      search: unused<AppServices['search']>('search'),
      schedules: unused<AppServices['schedules']>('schedules'),
      webhooks: unused<AppServices['webhooks']>('webhooks'),
      notifications: unused<AppServices['notifications']>('notifications'),
      // Uploads and downloads are HTTP's (test/integration/graphql-http.test.ts); the CLI reads and writes the user's files itself.
      uploads: unused<AppServices['uploads']>('uploads'),
      downloads: unused<AppServices['downloads']>('downloads'),
      // diff, drift, reference and history run over the real services (test/integration/drift.test.ts).
      drift: unused<AppServices['drift']>('drift'),
      history: unused<AppServices['history']>('history'),
      reports: self.reports ?? unused<AppServices['reports']>('reports'),
      // Checklist import runs over the real services (test/unit/reviews, test/integration/reviews.test.ts).
      checklists: unused<AppServices['checklists']>('checklists'),
      supplyChain: unused<AppServices['supplyChain']>('supplyChain'),
    };
    const config = loadConfig({}, {}, '/tmp');
    const gateway = new ServiceGateway({
      services,
      audit: { record: async (entry) => (self.audited.push(entry), { ...entry, id: self.audited.length, at: 'now', prevHash: '', hash: '' }) },
      authenticator: {
        bearer: async () => ({ anonymous: true, reason: 'no bearer token' }),
        local: async (name): Promise<Caller> => (name === undefined ? LOCAL_CLI_PRINCIPAL : (self.people.get(name) ?? { anonymous: true, reason: `no user named ${name}` })),
        system: async () => ({ ...LOCAL_CLI_PRINCIPAL, kind: 'system', via: 'system' }),
        scheduleOwner: async () => ({ anonymous: true, reason: 'schedules are not used by these CLI tests' }),
      },
    });
    const caller = await gateway.localCaller(opts.as);
    return { config, gateway, caller, services: gateway.servicesFor(caller), close: async () => void (self.closed += 1) };
  }

  async serve(opts: { port?: number; host?: string; db?: string }): Promise<void> {
    this.call('serve', opts);
  }
}

/** A service these tests never call: every call fails. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, { get: (_t, prop) => () => Promise.reject(new Error(`${name}.${String(prop)} is not used by these tests`)) });
}
