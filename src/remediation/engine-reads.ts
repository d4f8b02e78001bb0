/**
 * The reads an application makes before its first change (preflight.ts), through two wrappers of one node's
 * client: each container and the swarm inspected once however many items name them (a container with four
 * failing settings is one GET, not four), and, when a plan is applied for real, each read recorded with its
 * classified answer like the changes (a read changes nothing, so it is recorded once answered: a process that
 * dies mid-read leaves nothing pending). Updates go through to the real client untouched.
 */
import type { ApiObject } from '../domain/facts.js';
import type { EngineUpdateClient } from '../repositories/docker-client.js';

/** Records one read: `path` of the Engine API, `note` in Plimsoll's words when it succeeds; resolves or rethrows the read's own result. */
export type ReadRecorder = <T>(path: string, note: string, read: () => Promise<T>) => Promise<T>;

/** `client` with each container and the swarm inspected once (callers get their own copies). */
export function inspectingOnce(client: EngineUpdateClient): EngineUpdateClient {
  const containers = new Map<string, Promise<ApiObject>>();
  let swarm: Promise<ApiObject> | undefined;
  return {
    endpoint: client.endpoint,
    inspectContainer: (id) => {
      let seen = containers.get(id);
      if (seen === undefined) containers.set(id, (seen = client.inspectContainer(id)));
      return seen.then((c) => structuredClone(c));
    },
    inspectSwarm: () => (swarm ??= client.inspectSwarm()).then((s) => structuredClone(s)),
    updateContainer: (id, update) => client.updateContainer(id, update),
    updateSwarm: (version, spec) => client.updateSwarm(version, spec),
    swarmUnlockKey: () => client.swarmUnlockKey(),
  };
}

/** `client` with its inspections recorded through `record` (the paths are the Engine API's). */
export function recordingReads(client: EngineUpdateClient, record: ReadRecorder): EngineUpdateClient {
  return {
    endpoint: client.endpoint,
    inspectContainer: (id) => record(`/containers/${id}/json`, 'inspected: the container is checked against the plan', () => client.inspectContainer(id)),
    inspectSwarm: () => record('/swarm', 'inspected: the swarm is checked against the plan', () => client.inspectSwarm()),
    updateContainer: (id, update) => client.updateContainer(id, update),
    updateSwarm: (version, spec) => client.updateSwarm(version, spec),
    swarmUnlockKey: () => client.swarmUnlockKey(),
  };
}
