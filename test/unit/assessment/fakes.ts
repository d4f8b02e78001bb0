/**
 * Hand-written in-memory implementations of the services an assessment run depends on. They behave
 * (lookups by id, name or endpoint; imports that add a benchmark; collectors that fail per endpoint)
 * rather than replay canned answers, so the service's use of them is exercised for real.
 */
import type { CheckCatalog } from '../../../src/assessment/evaluate.js';
import type { Principal } from '../../../src/domain/auth.js';
import type { BenchmarkRule, CciItem, DocumentKind, ImportSummary } from '../../../src/domain/content.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { DockerNode, NodeInput } from '../../../src/domain/node.js';
import type { CheckOutcome } from '../../../src/domain/results.js';
import type {
  ControlMapping,
  FactsCollector,
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
import type { Db } from '../../../src/repositories/database/database.js';
import type { ContentInput } from '../../../src/domain/content-input.js';

export const ACTOR: Principal = { userId: 'u-alice', name: 'alice', role: 'assessor', kind: 'person', via: 'token', tokenId: 't-1' };
export const BENCHMARK_ID = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';

function rule(stigId: string, ccis: string[], severity: BenchmarkRule['severity']): BenchmarkRule {
  const n = stigId.replace(/\D/g, '');
  return {
    groupId: `V-${n}`,
    ruleId: `SV-${n}r1_rule`,
    stigId,
    title: `Title of ${stigId}`,
    severity,
    discussion: 'why',
    checkContent: `check ${stigId}`,
    checkContentHash: n.padStart(64, '0'),
    fixText: `Fix ${stigId}`,
    ccis,
    legacyIds: [],
  };
}

export const RULES: BenchmarkRule[] = [
  rule('DKER-EE-001960', ['CCI-000381'], 'medium'), // privileged: real check
  rule('DKER-EE-002000', ['CCI-000366'], 'high'), // check that throws
  rule('DKER-EE-001800', ['CCI-000366', 'CCI-000381'], 'low'), // manual
  rule('DKER-EE-999999', ['CCI-999999'], 'medium'), // no mapped control, always passes
];

export function benchmark(documentId: string, release = '2'): StoredBenchmark {
  return {
    documentId,
    kind: 'benchmark',
    id: BENCHMARK_ID,
    title: 'Docker Enterprise 2.x Linux/UNIX STIG',
    version: '2',
    release,
    releaseDate: '2024-07-24',
    sourceFile: '/content/docker-stig.xml',
    sha256: documentId.padEnd(64, '0').slice(0, 64),
    counts: { rules: RULES.length },
    importedAt: '2024-07-01T00:00:00.000Z',
    importedBy: 'seed',
    profiles: [
      { id: 'MAC-1_Classified', title: 'Mission critical', selectedRuleIds: [RULES[0]!.ruleId, RULES[2]!.ruleId] },
      { id: 'MAC-3_Sensitive', title: 'Sensitive', selectedRuleIds: RULES.map((r) => r.ruleId) },
    ],
  };
}

/** Inserts the `document` row an assessment row references. */
export async function seedDocument(db: Db, b: StoredBenchmark): Promise<void> {
  await db
    .insertInto('document')
    .values({
      id: b.documentId,
      kind: 'benchmark',
      doc_id: b.id,
      title: b.title,
      version: b.version,
      release: b.release ?? null,
      release_date: b.releaseDate ?? null,
      oscal_version: null,
      source_file: b.sourceFile,
      sha256: b.sha256,
      counts_json: JSON.stringify(b.counts),
      meta_json: JSON.stringify({ profiles: b.profiles }),
      imported_at: b.importedAt,
      imported_by: b.importedBy,
    })
    .execute();
}

const MAPPINGS: ControlMapping[] = [
  { cci: 'CCI-000381', index: 'CM-7 a', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.a', resolved: true },
  { cci: 'CCI-000366', index: 'CM-6 b', revision: '5', controlId: 'cm-6', statementId: 'cm-6_smt.b', resolved: true },
];

function unused(what: string): never {
  throw new Error(`${what} is not used by assessment runs`);
}

/** A method these tests never expect to be called. */
function notUsed(name: string): () => Promise<never> {
  return () => Promise.reject(new Error(`${name} is not used by these tests`));
}

export class MemoryLibrary implements LibraryService {
  readonly benchmarks = new Map<string, { meta: StoredBenchmark; rules: BenchmarkRule[] }>();
  readonly mappedCcis: string[][] = [];

  add(meta: StoredBenchmark, rules: BenchmarkRule[] = RULES): void {
    this.benchmarks.set(meta.documentId, { meta, rules });
  }
  // Paging is the GraphQL transport's; the assessment never pages. A call fails loudly (strict double).
  readonly pageDocuments = notUsed('library.pageDocuments');
  readonly pageGroups = notUsed('library.pageGroups');
  readonly pageControls = notUsed('library.pageControls');
  readonly pageRules = notUsed('library.pageRules');

  async listDocuments(kind?: DocumentKind): Promise<StoredDocument[]> {
    return kind === undefined || kind === 'benchmark' ? [...this.benchmarks.values()].map((b) => b.meta) : [];
  }
  async getDocument(documentId: string): Promise<StoredDocument | undefined> {
    return this.benchmarks.get(documentId)?.meta;
  }
  async findBenchmark(ref: string): Promise<StoredBenchmark | undefined> {
    const byDoc = this.benchmarks.get(ref);
    if (byDoc) return byDoc.meta;
    const releases = [...this.benchmarks.values()].filter((b) => b.meta.id === ref).sort((a, b) => Number(b.meta.release) - Number(a.meta.release));
    return releases[0]?.meta;
  }
  listGroups(): Promise<StoredGroup[]> {
    return unused('listGroups');
  }
  listControls(): Promise<Page<StoredControl>> {
    return unused('listControls');
  }
  getControl(): Promise<StoredControl | undefined> {
    return unused('getControl');
  }
  async listRules(documentId: string, _filter?: { severity?: string }, page?: ListOptions): Promise<Page<StoredRule>> {
    const rules = (this.benchmarks.get(documentId)?.rules ?? []).map((r) => ({ ...r, documentId }));
    const offset = page?.offset ?? 0;
    return { items: rules.slice(offset, page?.limit !== undefined ? offset + page.limit : undefined), total: rules.length };
  }
  getRule(): Promise<StoredRule | undefined> {
    return unused('getRule');
  }
  getCci(): Promise<CciItem | undefined> {
    return unused('getCci');
  }
  async mapCcisToControls(ccis: string[]): Promise<ControlMapping[]> {
    this.mappedCcis.push([...ccis]);
    return ccis.flatMap((c) => {
      const found = MAPPINGS.filter((m) => m.cci === c);
      return found.length > 0 ? found : [{ cci: c, index: '', revision: '5' as const, controlId: '', statementId: '', resolved: false }];
    });
  }
  readonly mappedReferences: string[][] = [];
  /** A direct reference maps to the control it names, resolved (`IA-5(1)` → `ia-5.1`). */
  async mapReferencesToControls(references: string[]): Promise<ControlMapping[]> {
    this.mappedReferences.push([...references]);
    return references.map((r) => {
      const m = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(r)!;
      const id = `${m[1]!.toLowerCase()}-${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}`;
      return { cci: '', index: r, revision: '5' as const, controlId: id, statementId: id, resolved: true };
    });
  }
}

/** Imports a known benchmark file into the library; any other file is invalid content. */
export class MemoryImports implements ImportService {
  readonly imported: string[] = [];
  constructor(
    private readonly library: MemoryLibrary,
    private readonly files: Map<string, StoredBenchmark>,
  ) {}

  async importDocuments(inputs: readonly ContentInput[]): Promise<ImportSummary[]> {
    return inputs.map((input) => {
      const p = 'uploadId' in input ? `upload:${input.uploadId}` : input.name;
      const meta = this.files.get(p);
      if (meta === undefined) throw new PlimsollError(ErrorCode.CONTENT_UNKNOWN_KIND, `${p} is not a known content format`);
      const alreadyPresent = this.library.benchmarks.has(meta.documentId);
      if (!alreadyPresent) this.library.add(meta);
      this.imported.push(p);
      return { documentId: meta.documentId, kind: 'benchmark', id: meta.id, title: meta.title, version: meta.version, file: p, sha256: meta.sha256, counts: meta.counts, alreadyPresent };
    });
  }
}

export class MemoryNodes implements NodeService {
  readonly nodes: DockerNode[] = [];
  private seq = 0;

  async register(input: NodeInput): Promise<DockerNode> {
    if (input.name.includes('://')) throw new PlimsollError(ErrorCode.BAD_INPUT, 'name must not look like an endpoint');
    if (this.nodes.some((n) => n.name === input.name || n.endpoint === input.endpoint)) throw new PlimsollError(ErrorCode.CONFLICT, `${input.name} taken`);
    const node: DockerNode = { id: `node-${++this.seq}`, name: input.name, endpoint: input.endpoint, labels: input.labels ?? {}, createdAt: '2024-07-01T00:00:00.000Z' };
    this.nodes.push(node);
    return node;
  }
  readonly page = notUsed('nodes.page');

  async list(): Promise<DockerNode[]> {
    return [...this.nodes];
  }
  async find(ref: string): Promise<DockerNode | undefined> {
    return this.nodes.find((n) => n.id === ref) ?? this.nodes.find((n) => n.name === ref) ?? this.nodes.find((n) => n.endpoint === ref);
  }
  remove(): Promise<void> {
    return unused('remove');
  }
  ping(): Promise<{ serverVersion: string; apiVersion: string }> {
    return unused('ping');
  }
}

/** Facts per endpoint: containers named `priv-*` run privileged; an endpoint listed as down is unreachable. */
export class MemoryCollector implements FactsCollector {
  readonly down = new Set<string>();
  readonly containers = new Map<string, string[]>();
  collected = 0;
  /** The parts each collection was asked for (undefined: all). */
  readonly askedParts: (ReadonlySet<string> | undefined)[] = [];

  async collect(node: DockerNode, options: { parts?: ReadonlySet<string> } = {}): Promise<NodeFacts> {
    this.collected += 1;
    this.askedParts.push(options.parts);
    if (this.down.has(node.endpoint)) throw new PlimsollError(ErrorCode.NODE_UNREACHABLE, `Cannot connect to the Docker engine at ${node.endpoint}: connect ECONNREFUSED`);
    const names = this.containers.get(node.endpoint) ?? [];
    return {
      nodeId: node.id,
      nodeName: node.name,
      endpoint: node.endpoint,
      collectedAt: '2024-07-24T12:00:01.000Z',
      // Key order differs from the canonical one on purpose.
      version: { Version: '26.1.5', ApiVersion: '1.45' },
      info: { Name: node.name, ID: 'ABCD' },
      containers: names.map((name) => ({ id: `${name}-id`, name, image: 'busybox', inspect: { Name: `/${name}`, HostConfig: { Privileged: name.startsWith('priv-') } } })),
    };
  }
}

function privileged(facts: NodeFacts): CheckOutcome {
  if (facts.containers.length === 0) return { status: 'not-applicable', message: 'No containers', observations: [] };
  const observations = facts.containers.map((c) => {
    const value = (c.inspect.HostConfig as { Privileged: boolean }).Privileged;
    return { target: { kind: 'container' as const, id: c.id, name: c.name }, field: 'HostConfig.Privileged', value, expected: 'false', verdict: value ? ('fail' as const) : ('pass' as const), message: `${c.name}: Privileged is ${value}`, collectedAt: facts.collectedAt };
  });
  const failing = observations.filter((o) => o.verdict === 'fail');
  return { status: failing.length > 0 ? 'fail' : 'pass', message: `${failing.length} of ${observations.length} containers run privileged`, observations };
}

export const CHECKS: CheckCatalog = {
  checkFor(stigId) {
    if (stigId === 'DKER-EE-001960') return { evaluate: privileged };
    if (stigId === 'DKER-EE-002000') return { evaluate: () => { throw new Error('info.SecurityOptions is missing'); } };
    if (stigId === 'DKER-EE-999999') return { evaluate: (f) => ({ status: 'pass', message: `engine ${String(f.version.Version)} is supported`, observations: [] }) };
    return undefined;
  },
};
