/** Builders of NodeFacts for the checks' unit tests, from recorded inspections or synthetic ones. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import { containerFactsFromInspect } from '../../fixtures/fixture-containers.js';

export const RECORDED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/docker/containers');

export const COLLECTED_AT = '2024-07-24T12:00:00.000Z';

/** The recorded `docker inspect` object of a fixture container. */
export function recordedInspect(name: string): ApiObject {
  return JSON.parse(fs.readFileSync(path.join(RECORDED_DIR, `${name}.json`), 'utf8')) as ApiObject;
}

export function recordedContainer(name: string): ContainerFacts {
  return containerFactsFromInspect(recordedInspect(name));
}

export function nodeFacts(containers: ContainerFacts[]): NodeFacts {
  return { nodeId: 'node-1', nodeName: 'node one', endpoint: 'unix:///var/run/docker.sock', collectedAt: COLLECTED_AT, version: {}, info: { OSType: 'linux' }, containers };
}

/**
 * A container from the recorded hardened inspection with `HostConfig` fields replaced (undefined
 * deletes one) and optionally other top-level fields replaced.
 */
export function variant(
  name: string,
  hostConfig: Record<string, unknown>,
  top: Record<string, unknown> = {},
  image = 'plimsoll/busybox:test',
): ContainerFacts {
  const base = structuredClone(recordedInspect('hardened'));
  const hc = { ...(base.HostConfig as ApiObject) };
  for (const [k, v] of Object.entries(hostConfig)) {
    if (v === undefined) delete hc[k];
    else hc[k] = v;
  }
  const inspect: ApiObject = { ...base, HostConfig: hc, Name: `/${name}`, Id: `${name}-id`, ...top };
  for (const [k, v] of Object.entries(top)) if (v === undefined) delete inspect[k];
  return { id: `${name}-id`, name, image, inspect };
}
