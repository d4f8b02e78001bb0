/**
 * The evidence guard: does a check ever pass when data it reads is missing or unreadable? It evaluates the
 * check once on passing facts through a tracking proxy that records every field the check reads, then, one
 * read at a time, takes that data away the way it can go missing in real life and evaluates again:
 *
 * - a field of an Engine API answer (a container's inspection, /info, /version, the engine and swarm parts)
 *   is deleted, as an older or different engine would leave it out;
 * - an inventory part the check reads is `failed`;
 * - the dockerd command line becomes unreadable (null);
 * - a host file whose facts the check reads (beyond its path) fails to stat (EIO), and, when its content was
 *   read, its content fails to read; the FIPS flag becomes unreadable;
 * - a field of the supply-chain parts (`registries`, `trust`) is deleted, a repository's trust data is no longer
 *   there (not fetched), and each TUF metadata file is deleted and, since it is kept as the trust server served
 *   it (text), each field of its JSON is deleted in turn: Notary serves compact JSON, so the rest of the file
 *   stays byte for byte as served.
 *
 * - the facts' secret policy (which classifiers screened the values, the maximum secret age), or one of its fields,
 *   is deleted, as facts collected without screening would lack it.
 *
 * Plimsoll's own bookkeeping (node id and name, container id, name and image, the collection time) and
 * daemon.json keys (absent means dockerd's documented default; an unreadable daemon.json is the failed daemon
 * part) are not taken away. Entries of maps whose keys are data (port maps, label and option maps, registry
 * indexes) are not fields: removing one is another valid answer, not missing data, so the map is taken away
 * whole instead. Fields the Engine API omits when they hold their default (Go `omitempty`) are listed with the
 * reason: deleting one is the same answer as its default.
 */
import type { Check } from '../../src/checks/check.js';
import { LABEL_READ } from '../../src/checks/evidence.js';
import type { NodeFacts } from '../../src/domain/facts.js';
import type { RuleStatus } from '../../src/domain/results.js';

export type FactPath = readonly (string | number)[];

/** Map-valued API fields: their keys are data (a port, a label, a registry), not field names. */
export const MAP_FIELDS: ReadonlySet<string> = new Set(['Ports', 'PortBindings', 'IndexConfigs', 'Labels', 'Options', 'Networks', 'DriverOpts']);

/**
 * Engine API fields omitted when they hold their default, and that default; deleting one is not missing data.
 * `version.Experimental`: `Experimental bool json:",omitempty"` in the engine's version answer (omitted when false).
 */
export const OMITTED_WHEN_DEFAULT: readonly { path: FactPath; reason: string }[] = [{ path: ['version', 'Experimental'], reason: 'omitted by the engine when false' }];

export interface Mutation {
  /** What was taken away, e.g. `delete containers.0.inspect.HostConfig.Privileged`. */
  what: string;
  apply(facts: NodeFacts): void;
}

/** Runs `check` on facts wrapped in a proxy recording each own property read, as paths from the facts root. */
export function recordReads(check: Check, facts: NodeFacts): { status: RuleStatus; reads: FactPath[] } {
  const seen = new Map<string, FactPath>();
  const wrap = (value: unknown, path: FactPath): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    return new Proxy(value as object, {
      get(target, prop, receiver) {
        // A read for naming only (src/checks/evidence.ts labelField) sees the unrecorded object.
        if (prop === LABEL_READ) return target;
        const v: unknown = Reflect.get(target, prop, receiver);
        if (typeof prop === 'symbol' || !Object.prototype.hasOwnProperty.call(target, prop)) return v;
        if (Array.isArray(target) && prop === 'length') return v;
        const p = [...path, Array.isArray(target) ? Number(prop) : prop];
        seen.set(JSON.stringify(p), p);
        return wrap(v, p);
      },
    });
  };
  const status = check.evaluate(wrap(structuredClone(facts), []) as NodeFacts).status;
  return { status, reads: [...seen.values()] };
}

function parentOf(root: unknown, path: FactPath): Record<string | number, unknown> | undefined {
  let cur: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return typeof cur === 'object' && cur !== null ? (cur as Record<string | number, unknown>) : undefined;
}

const deleteAt = (path: FactPath): Mutation => ({
  what: `delete ${path.join('.')}`,
  apply: (facts) => {
    const parent = parentOf(facts, path);
    if (parent !== undefined) delete parent[path[path.length - 1] as string];
  },
});

const same = (a: FactPath, b: FactPath): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

/** An API field's deletion (paths at least `from` long), unless it is an array element, a map entry or a field omitted at its default. */
function apiField(path: FactPath, from: number): Mutation[] {
  if (path.length < from) return [];
  const last = path[path.length - 1];
  if (typeof last === 'number') return [];
  const parentKey = path[path.length - 2];
  if (typeof parentKey === 'string' && MAP_FIELDS.has(parentKey)) return [];
  if (OMITTED_WHEN_DEFAULT.some((o) => same(o.path, path))) return [];
  return [deleteAt(path)];
}

/** Every field path of a JSON value (array elements themselves are not fields; their fields are). */
function jsonFieldPaths(value: unknown, path: FactPath = []): FactPath[] {
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonFieldPaths(v, [...path, i]));
  return Object.entries(value).flatMap(([k, v]) => [[...path, k], ...jsonFieldPaths(v, [...path, k])]);
}

function parseJson(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A TUF metadata file read at `path` (its text as served) goes missing, or loses one field of its JSON (every
 * field, since what the verifier reads inside the text is out of the proxy's sight).
 */
function tufFileMutations(path: FactPath, facts: NodeFacts): Mutation[] {
  const name = path[path.length - 1] as string;
  const fieldDeletions = jsonFieldPaths(parseJson(parentOf(facts, path)?.[name])).map((field): Mutation => ({
    what: `delete ${field.join('.')} in ${path.join('.')}`,
    apply: (f) => {
      const parent = parentOf(f, path);
      const json = parseJson(parent?.[name]);
      const holder = parentOf(json, field);
      if (parent === undefined || holder === undefined) return;
      delete holder[field[field.length - 1] as string];
      parent[name] = JSON.stringify(json);
    },
  }));
  return [deleteAt(path), ...fieldDeletions];
}

/** The ways supply-chain data (`registries`, `trust`) read at `path` goes missing. */
function supplyChainMutations(path: FactPath, facts: NodeFacts): Mutation[] {
  const [top, , field, gun, files, role, delegated] = path;
  const isFiles = top === 'trust' && field === 'repositories' && files === 'files' && typeof role === 'string';
  if (isFiles && role !== 'delegations' && path.length === 6) return tufFileMutations(path, facts);
  if (isFiles && role === 'delegations' && typeof delegated === 'string' && path.length === 7) return tufFileMutations(path, facts);
  if (top === 'trust' && field === 'repositories' && typeof gun === 'string' && path.length === 4) {
    return [...apiField(path, 3), { what: `the trust data of ${gun} failed to fetch`, apply: (f) => void (f.trust?.status === 'collected' && (f.trust.data.repositories[gun] = { trustServer: 'evidence-guard', status: 'failed', error: 'taken away by the evidence guard' })) }];
  }
  return apiField(path, 3);
}

const HOST_FILE_FIELDS = new Set(['exists', 'error', 'type', 'uid', 'gid', 'owner', 'group', 'mode', 'content', 'contentError']);

/** The ways data read at `path` of `facts` goes missing (none for Plimsoll's own bookkeeping). */
export function mutationsFor(path: FactPath, facts: NodeFacts): Mutation[] {
  const [top, second] = path;
  switch (top) {
    case 'info':
    case 'version':
      return apiField(path, 2);
    case 'containers':
      return second !== undefined && path[2] === 'inspect' ? apiField(path, 4) : [];
    case 'engine':
    case 'swarm':
    case 'daemon':
    case 'host':
    case 'registries':
    case 'trust':
    case 'environmentPolicy': {
      if (path.length === 1) {
        return [{ what: `${top} part failed`, apply: (f) => void ((f as unknown as Record<string, unknown>)[top] = { status: 'failed', error: 'taken away by the evidence guard' }) }];
      }
      if (second !== 'data') return [];
      if (top === 'registries' || top === 'trust') return supplyChainMutations(path, facts);
      // The configured policy: a setting that goes missing (a list of registries or collections, the label key).
      if (top === 'environmentPolicy') return apiField(path, 3);
      const field = path[2];
      if (top === 'engine') return apiField(path, 4);
      if (top === 'swarm') return field === 'localNodeState' || field === 'isManager' ? [] : apiField(path, 4);
      if (top === 'daemon') {
        return field === 'commandLine' && path.length === 3
          ? [{ what: 'the dockerd command line unreadable', apply: (f) => void (f.daemon?.status === 'collected' && (f.daemon.data.commandLine = null)) }]
          : [];
      }
      if (field === 'fips' && path.length === 4) {
        return [{ what: 'the FIPS flag unreadable', apply: (f) => void (f.host?.status === 'collected' && (f.host.data.fips = { enabled: null, evidence: 'unreadable (evidence guard)' })) }];
      }
      if (field === 'files' && typeof path[3] === 'number' && path.length === 5 && HOST_FILE_FIELDS.has(String(path[4]))) {
        const i = path[3];
        const file = (f: NodeFacts) => (f.host?.status === 'collected' ? f.host.data.files[i] : undefined);
        const out: Mutation[] = [
          {
            what: `host file #${i} fails to stat`,
            apply: (f) => {
              const x = file(f);
              if (x !== undefined && f.host?.status === 'collected') f.host.data.files[i] = { path: x.path, exists: false, error: 'EIO: i/o error (evidence guard)' };
            },
          },
        ];
        if (path[4] === 'content') {
          out.push({
            what: `host file #${i}'s content fails to read`,
            apply: (f) => {
              const x = file(f);
              if (x === undefined) return;
              delete x.content;
              x.contentError = 'EIO: i/o error (evidence guard)';
            },
          });
        }
        return out;
      }
      return [];
    }
    case 'secretPolicy':
      // The record that the values were screened for secrets, and under which rotation limit.
      return path.length <= 2 ? [deleteAt(path)] : [];
    default:
      return [];
  }
}

export interface Gap {
  /** The mutation after which the check still passed. */
  what: string;
}

/** The mutations of the data `check` reads on passing `facts` after which it still passes (none, for a sound check). */
export function evidenceGaps(check: Check, facts: NodeFacts): { status: RuleStatus; tried: number; gaps: Gap[] } {
  const { status, reads } = recordReads(check, facts);
  const seen = new Set<string>();
  const mutations = reads.flatMap((p) => mutationsFor(p, facts)).filter((m) => !seen.has(m.what) && seen.add(m.what) !== undefined);
  const gaps: Gap[] = [];
  for (const m of mutations) {
    const mutated = structuredClone(facts);
    m.apply(mutated);
    let after: RuleStatus;
    try {
      after = check.evaluate(mutated).status;
    } catch {
      // The assessment turns a throwing check into `error` (src/assessment/evaluate.ts): not a pass.
      after = 'error';
    }
    if (after === 'pass') gaps.push({ what: m.what });
  }
  return { status, tried: mutations.length, gaps };
}
