/**
 * Stable target keys, from one node's facts: which container, image, swarm object or file an observation is
 * about, named so that the same target matches across runs even when its id changes (a recreated container,
 * a rebuilt image). Pure: everything comes from the facts snapshot (labels, tags, swarm objects). See
 * domain/target-results.ts for the key formats.
 */
import type { ApiObject, NodeFacts } from '../domain/facts.js';
import type { TargetRef } from '../domain/results.js';
import { type AssessedTarget, NODE_TARGET_KEY } from '../domain/target-results.js';
import { UnreachableCaseError } from '../domain/errors.js';

/** Resolves an observation's target to an assessed target with its stable key. */
export interface TargetIndex {
  resolve(ref: TargetRef): AssessedTarget;
}

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';
const COMPOSE_NUMBER = 'com.docker.compose.container-number';
const SWARM_SERVICE = 'com.docker.swarm.service.name';
const SWARM_TASK_NAME = 'com.docker.swarm.task.name';
const SWARM_TASK_ID = 'com.docker.swarm.task.id';

/** The node-level target: the node as a whole. */
export function nodeLevelTarget(node: { id: string; name: string }): AssessedTarget {
  return { kind: 'node', key: NODE_TARGET_KEY, id: node.id, name: node.name };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function labelsOf(inspect: ApiObject): Record<string, unknown> {
  const config = inspect.Config;
  const labels = config !== null && typeof config === 'object' ? (config as ApiObject).Labels : undefined;
  return labels !== null && typeof labels === 'object' ? (labels as Record<string, unknown>) : {};
}

/**
 * A container's stable key: compose project/service/number, swarm service/slot (the slot is the middle of
 * the task name `<service>.<slot>.<task id>`; global services put the node id there), else its name.
 */
export function containerKey(name: string, inspect: ApiObject): string {
  const labels = labelsOf(inspect);
  const project = str(labels[COMPOSE_PROJECT]);
  const service = str(labels[COMPOSE_SERVICE]);
  const number = str(labels[COMPOSE_NUMBER]);
  if (project !== undefined && service !== undefined && number !== undefined) return `compose/${project}/${service}/${number}`;
  const swarmService = str(labels[SWARM_SERVICE]);
  const taskName = str(labels[SWARM_TASK_NAME]);
  const taskId = str(labels[SWARM_TASK_ID]);
  if (swarmService !== undefined && taskName !== undefined && taskId !== undefined) {
    const prefix = `${swarmService}.`;
    const suffix = `.${taskId}`;
    if (taskName.startsWith(prefix) && taskName.endsWith(suffix) && taskName.length > prefix.length + suffix.length) {
      return `swarm/${swarmService}/${taskName.slice(prefix.length, taskName.length - suffix.length)}`;
    }
  }
  return `name/${name}`;
}

/** An image's stable key: its first tag, else its first digest, else its id. */
export function imageKey(image: ApiObject): string {
  const tags = Array.isArray(image.RepoTags) ? image.RepoTags.filter((t): t is string => typeof t === 'string' && t !== '<none>:<none>') : [];
  if (tags[0] !== undefined) return `tag/${tags[0]}`;
  const digests = Array.isArray(image.RepoDigests) ? image.RepoDigests.filter((d): d is string => typeof d === 'string' && !d.startsWith('<none>@')) : [];
  if (digests[0] !== undefined) return `digest/${digests[0]}`;
  return `id/${str(image.Id) ?? 'unknown'}`;
}

function byId(objects: readonly ApiObject[], idField: 'ID' | 'Id'): Map<string, ApiObject> {
  const map = new Map<string, ApiObject>();
  for (const o of objects) {
    const id = str(o[idField]);
    if (id !== undefined) map.set(id, o);
  }
  return map;
}

function specName(o: ApiObject | undefined): string | undefined {
  const spec = o?.Spec;
  return spec !== null && typeof spec === 'object' ? str((spec as ApiObject).Name) : undefined;
}

/** The index of one node's facts. */
export function targetIndexOf(facts: NodeFacts): TargetIndex {
  const containers = new Map(facts.containers.map((c) => [c.id, c]));
  const engine = facts.engine?.status === 'collected' ? facts.engine.data : undefined;
  const images = byId(engine?.images ?? [], 'Id');
  const swarm = facts.swarm?.status === 'collected' ? facts.swarm.data : undefined;
  const swarmNodes = byId(swarm?.nodes ?? [], 'ID');
  const services = byId(swarm?.services ?? [], 'ID');
  const secrets = byId(swarm?.secrets ?? [], 'ID');
  const networks = byId([...(swarm?.networks ?? []), ...(engine?.networks ?? [])], 'Id');
  const clusterId = str(swarm?.swarm?.ID);
  const node = nodeLevelTarget({ id: facts.nodeId, name: facts.nodeName });

  const resolveRef = (ref: TargetRef): AssessedTarget => {
    switch (ref.kind) {
      case 'daemon':
        return { kind: 'daemon', key: 'daemon', id: ref.id, name: ref.name };
      case 'container': {
        const c = containers.get(ref.id);
        const name = c?.name ?? ref.name;
        return { kind: 'container', key: containerKey(name, c?.inspect ?? {}), id: ref.id, name, ...(c !== undefined && c.image !== '' ? { image: c.image } : {}) };
      }
      case 'image': {
        const image = images.get(ref.id);
        return { kind: 'image', key: image !== undefined ? imageKey(image) : ref.id !== '' ? `id/${ref.id}` : `name/${ref.name}`, id: ref.id, name: ref.name };
      }
      case 'file':
        return { kind: 'file', key: ref.id !== '' ? ref.id : ref.name, id: ref.id, name: ref.name };
      case 'node': {
        // The host itself (host rules name the node) or a member of the node's swarm.
        if (ref.id === facts.nodeId) return node;
        const hostname = str((swarmNodes.get(ref.id)?.Description as ApiObject | undefined)?.Hostname) ?? ref.name;
        return { kind: 'swarm-node', key: `hostname/${hostname}`, id: ref.id, name: ref.name };
      }
      case 'swarm': {
        // The cluster, or a swarm-scoped overlay network (swarm rules name both with kind `swarm`).
        const network = networks.get(ref.id);
        if (network !== undefined && ref.id !== clusterId) return { kind: 'network', key: `name/${str(network.Name) ?? ref.id}`, id: ref.id, name: ref.name };
        return { kind: 'swarm', key: 'swarm', id: ref.id, name: ref.name };
      }
      case 'service':
        return { kind: 'service', key: `name/${specName(services.get(ref.id)) ?? ref.name}`, id: ref.id, name: ref.name };
      case 'secret':
        return { kind: 'secret', key: `name/${specName(secrets.get(ref.id)) ?? ref.name}`, id: ref.id, name: ref.name };
      default:
        throw new UnreachableCaseError(ref.kind);
    }
  };
  // Every rule that observes a target resolves it again: one target object per reference serves them all.
  const resolved = new Map<string, AssessedTarget>();
  return {
    resolve(ref) {
      const id = `${ref.kind}\u0000${ref.id}\u0000${ref.name}`;
      let target = resolved.get(id);
      if (target === undefined) resolved.set(id, (target = resolveRef(ref)));
      return target;
    },
  };
}
