/**
 * The engine inventory collector: the `engine` part of NodeFacts. Each Engine API object is read once per
 * run: the image listing and then each image's inspection and history (whose lines the environment redactor
 * screens for secrets before they are stored), the networks, the volumes, the plugins, the
 * process list (`top`) of every running container, and the exec sessions each container's inspection lists
 * in `ExecIDs`. Containers come from the core inventory (`base`), so none is listed or inspected again.
 *
 * An object removed between the listing and its read (404), or a container that stopped before its `top`
 * (409), is skipped; any other answer with an HTTP status fails this part only; an engine that can't be
 * reached fails the run, as the core inventory would.
 */
import { ErrorCode, isPlimsollError } from '../domain/errors.js';
import type { ApiObject, Collected, ContainerFacts, EngineInventory, NodeFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { DockerClient } from '../repositories/docker-client.js';
import type { PartCollector } from './part-collector.js';
import { mapBounded } from './bounded.js';

export interface EngineInventoryOptions {
  /** How many per-object reads (image inspections, tops, exec inspections) run at once; default 8. */
  concurrency?: number;
}

export const DEFAULT_INVENTORY_CONCURRENCY = 8;

/** Why an engine call failed, as the part's error. */
class PartFailure extends Error {}

/** Collects images, networks, volumes, plugins, container processes and exec sessions of one engine. */
export class EngineInventoryCollector implements PartCollector<'engine'> {
  readonly part = 'engine' as const;
  private readonly concurrency: number;

  constructor(options: EngineInventoryOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_INVENTORY_CONCURRENCY));
  }

  async collect(_node: DockerNode, client: DockerClient, base: NodeFacts): Promise<Collected<EngineInventory>> {
    try {
      const [imageList, networks, volumes, plugins] = await Promise.all([
        list(client, '/images/json'),
        list(client, '/networks'),
        volumesOf(client),
        list(client, '/plugins'),
      ]);
      const imageIds = [...new Set(imageList.map((i) => i.Id).filter((id): id is string => typeof id === 'string' && id !== ''))];
      const images = (await mapBounded(imageIds, this.concurrency, (id) => readObject(client, `/images/${id}/json`, 'skip-gone'))).filter(isObject);
      const histories = await this.histories(client, images);
      const running = base.containers.filter(isRunning);
      const tops = await mapBounded(running, this.concurrency, (c) => readObject(client, `/containers/${c.id}/top`, 'skip-gone-or-stopped'));
      const processes: Record<string, ApiObject> = {};
      running.forEach((c, i) => {
        const top = tops[i];
        if (top !== undefined) processes[c.id] = top;
      });
      const execs = await this.execSessions(client, base.containers);
      return {
        status: 'collected',
        data: { images: sortBy(images, 'Id'), histories, networks: sortBy(networks, 'Id'), volumes: sortBy(volumes, 'Name'), plugins: sortBy(plugins, 'Id'), processes, execs },
      };
    } catch (e) {
      if (e instanceof PartFailure) return { status: 'failed', error: e.message };
      throw e;
    }
  }

  /** Each inspected image's history (newest layer first, as the engine lists it), by image id; an image gone since is left out. */
  private async histories(client: DockerClient, images: readonly ApiObject[]): Promise<Record<string, ApiObject[]>> {
    const ids = images.map((i) => i.Id).filter((id): id is string => typeof id === 'string');
    const answers = await mapBounded(ids, this.concurrency, async (id) => {
      const answer = await read(client, `/images/${id}/history`, 'skip-gone');
      return answer === undefined ? undefined : arrayOfObjects(`/images/${id}/history`, answer);
    });
    const histories: Record<string, ApiObject[]> = {};
    ids.forEach((id, i) => {
      const lines = answers[i];
      if (lines !== undefined) histories[id] = lines;
    });
    return histories;
  }

  /** Every container's exec sessions (empty for none), each inspected once; a session gone since is skipped. */
  private async execSessions(client: DockerClient, containers: readonly ContainerFacts[]): Promise<Record<string, ApiObject[]>> {
    const wanted: { containerId: string; execId: string }[] = [];
    for (const c of containers) {
      const ids = c.inspect.ExecIDs;
      if (ids === null || ids === undefined) continue;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new PartFailure(`The inspection of container ${c.name} has ExecIDs ${JSON.stringify(ids)}: expected null or a list of ids`);
      }
      for (const execId of ids as string[]) wanted.push({ containerId: c.id, execId });
    }
    const inspected = await mapBounded(wanted, this.concurrency, (w) => readObject(client, `/exec/${w.execId}/json`, 'skip-gone'));
    const execs: Record<string, ApiObject[]> = Object.fromEntries(containers.map((c) => [c.id, [] as ApiObject[]]));
    wanted.forEach((w, i) => {
      const exec = inspected[i];
      if (exec !== undefined) execs[w.containerId]?.push(exec);
    });
    for (const list of Object.values(execs)) list.sort((a, b) => compare(String(a.ID ?? ''), String(b.ID ?? '')));
    return execs;
  }
}

function isRunning(c: ContainerFacts): boolean {
  const state = c.inspect.State;
  return isObject(state) && state.Running === true;
}

/** The HTTP status the engine answered with, when the error carries one. */
function statusOf(e: unknown): number | undefined {
  if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) return 404;
  const cause = (e as { cause?: unknown } | null)?.cause;
  const status = typeof cause === 'object' && cause !== null ? (cause as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' ? status : undefined;
}

type Missing = 'fail' | 'skip-gone' | 'skip-gone-or-stopped';

/** One GET; undefined when the object is gone (404) or the container stopped (409) and `missing` allows it. */
async function read(client: DockerClient, path: string, missing: Missing): Promise<unknown> {
  try {
    return await client.request('GET', path);
  } catch (e) {
    const status = statusOf(e);
    if (status === undefined && isPlimsollError(e) && (e.code === ErrorCode.NODE_UNREACHABLE || e.code === ErrorCode.NODE_TLS_FAILED)) throw e;
    if (status === 404 && missing !== 'fail') return undefined;
    if (status === 409 && missing === 'skip-gone-or-stopped') return undefined;
    throw new PartFailure(`GET ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function readObject(client: DockerClient, path: string, missing: Missing): Promise<ApiObject | undefined> {
  const value = await read(client, path, missing);
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new PartFailure(`GET ${path} answered ${describe(value)}: expected a JSON object`);
  return value;
}

async function list(client: DockerClient, path: string): Promise<ApiObject[]> {
  return arrayOfObjects(path, await read(client, path, 'fail'));
}

/** `GET /volumes` → `Volumes` (null when there are none). */
async function volumesOf(client: DockerClient): Promise<ApiObject[]> {
  const answer = await read(client, '/volumes', 'fail');
  if (!isObject(answer)) throw new PartFailure(`GET /volumes answered ${describe(answer)}: expected a JSON object`);
  return answer.Volumes === null ? [] : arrayOfObjects('/volumes (Volumes)', answer.Volumes);
}

function arrayOfObjects(path: string, value: unknown): ApiObject[] {
  if (!Array.isArray(value)) throw new PartFailure(`GET ${path} answered ${describe(value)}: expected a JSON array`);
  return value.map((item, i) => {
    if (!isObject(item)) throw new PartFailure(`GET ${path} answered ${describe(item)} at index ${i}: expected a JSON object`);
    return item;
  });
}

/** Sorted by a key, so that the snapshot hash does not depend on the engine's order. */
function sortBy(items: ApiObject[], key: string): ApiObject[] {
  return [...items].sort((a, b) => compare(String(a[key] ?? ''), String(b[key] ?? '')));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(v: unknown): v is ApiObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'string' ? 'a string' : typeof v === 'object' ? 'an object' : typeof v;
}
