/**
 * Builders of NodeFacts for the engine rules' unit tests: the recorded /info and /version of a real
 * 20.10 daemon (test/fixtures/docker/engine), mutated copies, and constructed daemon and engine parts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFor } from '../../../../src/checks/registry.js';
import type { ApiObject, Collected, ContainerFacts, DaemonConfigFacts, EngineInventory, NodeFacts } from '../../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../../src/domain/results.js';

const ENGINE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/docker/engine');

export const COLLECTED_AT = '2024-07-24T12:00:00.000Z';

/** A fresh copy of the recorded `GET /info`. */
export function recordedInfo(): ApiObject {
  return JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, 'info.json'), 'utf8')) as ApiObject;
}

/** A fresh copy of the recorded `GET /version`. */
export function recordedVersion(): ApiObject {
  return JSON.parse(fs.readFileSync(path.join(ENGINE_DIR, 'version.json'), 'utf8')) as ApiObject;
}

/** The dockerd command line the private test daemons run with, plus `extra` flags. */
export function commandLine(...extra: string[]): string[] {
  return ['dockerd', '--host', 'unix:///tmp/d/docker.sock', '--data-root', '/tmp/d/data', '--iptables=false', '--storage-driver=vfs', ...extra];
}

export function daemonPart(daemonJson: ApiObject | null, argv: string[] | null = commandLine()): Collected<DaemonConfigFacts> {
  return {
    status: 'collected',
    data: { daemonJson, daemonJsonPath: '/etc/docker/daemon.json', commandLine: argv, ...(argv === null ? {} : { commandLineSource: '/proc/4242/cmdline' }) },
  };
}

export function enginePart(images: ApiObject[]): Collected<EngineInventory> {
  return { status: 'collected', data: { images, networks: [], volumes: [], plugins: [], processes: {} } };
}

/** An image inspection with the given tags and Config.User (undefined: no User field). */
export function image(id: string, tags: string[], user: string | undefined): ApiObject {
  const config: ApiObject = { Cmd: ['/bin/sleep', '3600'], Env: ['PATH=/bin'] };
  if (user !== undefined) config.User = user;
  return { Id: `sha256:${id.padEnd(64, '0')}`, RepoTags: tags, RepoDigests: [], Config: config, Os: 'linux' };
}

export function container(name: string, image: string): ContainerFacts {
  return { id: `${name}-id`, name, image, inspect: { Id: `${name}-id`, Name: `/${name}`, Config: { Image: image } } };
}

/** Facts from the recordings, with parts and overrides. */
export function engineFacts(overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    nodeId: 'node-1',
    nodeName: 'node one',
    endpoint: 'unix:///var/run/docker.sock',
    collectedAt: COLLECTED_AT,
    version: recordedVersion(),
    info: recordedInfo(),
    containers: [],
    ...overrides,
  };
}

/** The recorded /info with `mutate` applied. */
export function infoWith(mutate: (info: ApiObject) => void): ApiObject {
  const info = recordedInfo();
  mutate(info);
  return info;
}

/** Evaluates the rule with this STIG id. */
export function evaluate(stigId: string, facts: NodeFacts): CheckOutcome {
  const check = checkFor(stigId);
  if (check === undefined) throw new Error(`no check ${stigId}`);
  return check.evaluate(facts);
}
