/**
 * Builders of NodeFacts for the swarm rules' unit tests, from the answers of a real 20.10 swarm manager
 * recorded in test/fixtures/docker/swarm (see its README), with mutated copies where a test needs another state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFor } from '../../../../src/checks/registry.js';
import type { ApiObject, Collected, HostFacts, NodeFacts, SwarmFacts } from '../../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../../src/domain/results.js';

export const SWARM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/docker/swarm');

export const COLLECTED_AT = '2024-07-24T12:00:00.000Z';

/** A fresh copy of a recorded answer. */
export function recorded<T = ApiObject>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(SWARM_DIR, file), 'utf8')) as T;
}

/** The recorded data root of the manager (`info.DockerRootDir`). */
export const DATA_ROOT = '/tmp/h10exp/data';
export const STATE_PATH = `${DATA_ROOT}/swarm/docker-state.json`;

/** The swarm part of the recorded manager (what SwarmCollector makes of the recordings), with overrides. */
export function managerPart(overrides: Partial<SwarmFacts> = {}): SwarmFacts {
  const { JoinTokens: _tokens, ...swarm } = recorded('swarm.json');
  return {
    localNodeState: 'active',
    isManager: true,
    swarm,
    nodes: recorded<ApiObject[]>('nodes.json'),
    services: recorded<ApiObject[]>('services.json'),
    secrets: recorded<ApiObject[]>('secrets.json'),
    configs: recorded<ApiObject[]>('configs.json'),
    tasks: recorded<ApiObject[]>('tasks.json'),
    networks: recorded<ApiObject[]>('networks.json'),
    ...overrides,
  };
}

/** The host part holding the recorded swarm state file (`docker-state.json` or another recording of it). */
export function hostPart(stateFile: string | null = 'docker-state.json', filePath = STATE_PATH): Collected<HostFacts> {
  const files = stateFile === null ? [] : [{ path: filePath, exists: true, type: 'file', uid: 0, gid: 0, mode: '600', content: fs.readFileSync(path.join(SWARM_DIR, stateFile), 'utf8') }];
  return { status: 'collected', data: { via: 'host-root', source: '/', files, fips: { enabled: null, evidence: 'not read' } } };
}

/** Facts of the recorded manager: its /info, the swarm part and (by default) the host part with its state file. */
export function managerFacts(overrides: Partial<NodeFacts> = {}, part: Partial<SwarmFacts> = {}): NodeFacts {
  return {
    nodeId: 'node-1',
    nodeName: 'manager one',
    endpoint: 'unix:///var/run/docker.sock',
    collectedAt: COLLECTED_AT,
    version: {},
    info: recorded('info.json'),
    containers: [],
    swarm: { status: 'collected', data: managerPart(part) },
    host: hostPart(),
    ...overrides,
  };
}

/**
 * Facts of a worker of the recorded swarm. No worker could be recorded here (a second daemon on this host can't
 * bind the gossip port 7946), so its /info is the manager's reshaped as dockerd builds a worker's: ControlAvailable
 * false, no Cluster, Nodes or Managers (omitted when zero), RemoteManagers naming the managers.
 */
export function workerFacts(networks: ApiObject[] = recorded<ApiObject[]>('networks.json'), remoteManagers: unknown = recordedRemoteManagers()): NodeFacts {
  const info = recorded('info.json');
  const swarm: ApiObject = { ...(info.Swarm as ApiObject), NodeID: 'workernode00000000000000001', ControlAvailable: false, RemoteManagers: remoteManagers };
  delete swarm.Cluster;
  delete swarm.Nodes;
  delete swarm.Managers;
  const part: SwarmFacts = { localNodeState: 'active', isManager: false, swarm: null, nodes: [], services: [], secrets: [], configs: [], tasks: [], networks };
  return managerFacts({ nodeName: 'worker one', info: { ...info, Swarm: swarm }, swarm: { status: 'collected', data: part } });
}

/** The recorded manager's info.Swarm.RemoteManagers (the one manager, itself). */
export function recordedRemoteManagers(): ApiObject[] {
  return (recorded('info.json').Swarm as ApiObject).RemoteManagers as ApiObject[];
}

/** Facts of a node in the given non-active state, from the recorded /info of that state. */
export function stateFacts(infoFile: 'info-inactive.json' | 'info-locked.json'): NodeFacts {
  const info = recorded(infoFile);
  const swarm = info.Swarm as ApiObject;
  const part: SwarmFacts = { localNodeState: String(swarm.LocalNodeState), isManager: swarm.ControlAvailable === true, swarm: null, nodes: [], services: [], secrets: [], configs: [], tasks: [], networks: [] };
  return managerFacts({ nodeName: 'node two', info, swarm: { status: 'collected', data: part } });
}

/** Runs the registered check of a STIG id. */
export function run(stigId: string, facts: NodeFacts): CheckOutcome {
  const check = checkFor(stigId);
  if (check === undefined) throw new Error(`no check registered for ${stigId}`);
  return check.evaluate(facts);
}
