/**
 * Resolution of what an assessment request names: the benchmark (a stored document, an XCCDF id, or a
 * file imported on the way), the profile, and the nodes (registered ones, or endpoints registered on
 * the fly).
 */
import type { Principal } from '../domain/auth.js';
import type { ContentInput } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { DockerNode } from '../domain/node.js';
import type { BenchmarkProfile } from '../domain/content.js';
import type { ImportService, LibraryService, NodeService, StoredBenchmark } from '../domain/services.js';
import type { BuiltinBenchmarks } from '../library/builtin-benchmarks.js';

const MAX_NODE_NAME = 100;

function isEndpoint(ref: string): boolean {
  return ref.startsWith('unix://') || ref.startsWith('tcp://');
}

/** A readable node name for an endpoint: `local-var-run-docker.sock`, `10.0.0.5:2376`. Never contains `://`. */
export function nodeNameFromEndpoint(endpoint: string): string {
  const e = endpoint.trim();
  let name: string;
  if (e.startsWith('unix://')) {
    const socket = e.slice('unix://'.length).replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
    name = `local-${socket.replace(/\//g, '-')}`;
  } else if (e.startsWith('tcp://')) {
    name = e.slice('tcp://'.length).replace(/\/+$/, '');
  } else {
    name = e;
  }
  name = name.replace(/:\/\//g, '-').replace(/[\u0000-\u001f\u007f]/g, '');
  return (name === '' || name === 'local-' ? 'node' : name).slice(0, MAX_NODE_NAME);
}

/** What benchmark resolution needs: the library, the importer, and optionally the built-in benchmarks. */
export interface BenchmarkResolutionDeps {
  library: LibraryService;
  imports: ImportService;
  /** Built-in benchmarks (catalogs/): imported on first use when not stored yet; absent: only stored ones resolve. */
  builtins?: Pick<BuiltinBenchmarks, 'resolve'>;
}

/**
 * The benchmark a request names: a stored one by document id, XCCDF id or XCCDF 1.2 short name; a built-in one
 * (imported first when the database doesn't hold it yet); or content imported first.
 */
export async function resolveBenchmark(ref: string | ContentInput, deps: BenchmarkResolutionDeps, actor: Principal): Promise<StoredBenchmark> {
  let lookup: string;
  if (typeof ref === 'string') {
    lookup = ref.trim();
    if (lookup === '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'a benchmark is required (a document id, an XCCDF benchmark id, or benchmark content)');
  } else {
    const summaries = await deps.imports.importDocuments([ref], actor);
    const imported = summaries.find((s) => s.kind === 'benchmark');
    if (imported === undefined) {
      throw new PlimsollError(ErrorCode.BAD_INPUT, `${summaries[0]?.file ?? 'the benchmark'} is ${summaries.map((s) => `a ${s.kind}`).join(', ') || 'not a content document'}, not a benchmark`);
    }
    lookup = imported.documentId;
  }
  const benchmark = deps.builtins !== undefined ? await deps.builtins.resolve(lookup, actor) : await deps.library.findBenchmark(lookup);
  if (benchmark === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `benchmark ${lookup} is not loaded; import it first (plimsoll import FILE, or importDocuments)`);
  return benchmark;
}

/** The profile a request names, or undefined for all rules; BAD_INPUT listing the available ones otherwise. */
export function resolveProfile(benchmark: StoredBenchmark, profileId: string | undefined): BenchmarkProfile | undefined {
  if (profileId === undefined) return undefined;
  const profile = benchmark.profiles.find((p) => p.id === profileId);
  if (profile === undefined) {
    const available = benchmark.profiles.map((p) => p.id);
    throw new PlimsollError(
      ErrorCode.BAD_INPUT,
      `profile ${profileId} is not in benchmark ${benchmark.id}; available profiles: ${available.length > 0 ? available.join(', ') : 'none'}`,
    );
  }
  return profile;
}

/** A free name derived from the endpoint (`name`, `name-2`, …). */
async function freeName(nodes: NodeService, endpoint: string): Promise<string> {
  const base = nodeNameFromEndpoint(endpoint);
  for (let i = 1; i < 1000; i++) {
    const suffix = i === 1 ? '' : `-${i}`;
    const candidate = `${base.slice(0, MAX_NODE_NAME - suffix.length)}${suffix}`;
    if ((await nodes.find(candidate)) === undefined) return candidate;
  }
  throw new PlimsollError(ErrorCode.CONFLICT, `no free node name for ${endpoint}; register it with plimsoll node add NAME ${endpoint}`);
}

/** The nodes a request names, distinct, in request order; endpoints not registered yet are registered. */
export async function resolveNodes(refs: readonly string[], nodes: NodeService, actor: Principal): Promise<DockerNode[]> {
  const wanted = refs.map((r) => r.trim()).filter((r) => r !== '');
  if (wanted.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, 'at least one node is required (a node name, id or endpoint)');
  const out = new Map<string, DockerNode>();
  for (const ref of wanted) {
    let node = await nodes.find(ref);
    if (node === undefined) {
      if (!isEndpoint(ref)) {
        throw new PlimsollError(ErrorCode.NOT_FOUND, `no node matches "${ref}"; register it with plimsoll node add NAME ENDPOINT, or pass an endpoint (unix:///path or tcp://host:port)`);
      }
      node = await nodes.register({ name: await freeName(nodes, ref), endpoint: ref }, actor);
    }
    if (!out.has(node.id)) out.set(node.id, node);
  }
  return [...out.values()];
}
