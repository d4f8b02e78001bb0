/**
 * Published port rules. A running container's ports are what the engine bound (`NetworkSettings.Ports`,
 * which the STIG commands print); a container that is not running has none bound, so its configured
 * bindings (`HostConfig.PortBindings`), which the engine applies when it starts, are judged instead (the
 * STIG commands would show nothing for it: stricter than the check text, and the evidence says so).
 */
import type { ApiObject } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { containerCheck, show, type JudgeResult } from '../container-rule.js';
import { hasField, readField } from '../evidence.js';

export interface PortBinding {
  /** `80/tcp`. */
  containerPort: string;
  hostIp: string;
  hostPort: string;
  /** `NetworkSettings.Ports.80/tcp.0`. */
  field: string;
  raw: unknown;
}

export interface PublishedPorts {
  /** Whether the bindings are bound now (running) or configured for the next start. */
  running: boolean;
  source: 'NetworkSettings.Ports' | 'HostConfig.PortBindings';
  bindings: PortBinding[];
}

/** The container's published ports, or why they can't be read. A port map of null means none. */
export function publishedPorts(inspect: ApiObject): PublishedPorts | { invalid: string } {
  const running = readField(inspect, 'State.Running');
  if (typeof running !== 'boolean') return { invalid: `State.Running is ${show(running)}: expected a boolean` };
  const source = running ? 'NetworkSettings.Ports' : 'HostConfig.PortBindings';
  // The engine always reports the port map (null or {} when none): a missing one is not "no ports".
  if (!hasField(inspect, source)) return { invalid: `${source} is missing: the container's published ports are unknown` };
  const map = readField(inspect, source);
  if (map === null) return { running, source, bindings: [] };
  if (typeof map !== 'object' || Array.isArray(map)) return { invalid: `${source} is ${show(map)}: expected a map of ports` };
  const bindings: PortBinding[] = [];
  for (const [containerPort, list] of Object.entries(map as ApiObject)) {
    // An exposed port that is not published maps to null.
    if (list === null) continue;
    if (!Array.isArray(list)) return { invalid: `${source}.${containerPort} is ${show(list)}: expected null or a list of bindings` };
    for (const [i, b] of list.entries()) {
      // The engine reports HostIp and HostPort of every binding ("" for the default address or any port).
      const hostIp = (b as ApiObject | null)?.HostIp;
      const hostPort = (b as ApiObject | null)?.HostPort;
      if (typeof b !== 'object' || b === null || typeof hostIp !== 'string' || typeof hostPort !== 'string') {
        return { invalid: `${source}.${containerPort}.${i} is ${show(b)}: expected a binding with HostIp and HostPort strings` };
      }
      bindings.push({ containerPort, hostIp, hostPort, field: `${source}.${containerPort}.${i}`, raw: b });
    }
  }
  return { running, source, bindings };
}

function where(ports: PublishedPorts): string {
  return ports.running ? 'bound now' : 'configured for its next start: it is not running';
}

/** The first port of a HostPort (`8080`, or `8000-8010` for a range); 0 for an engine-chosen port ("" or "0"). */
export function hostPortNumber(hostPort: string): number | undefined {
  const m = /^\s*(\d*)(?:\s*-\s*\d+)?\s*$/.exec(hostPort);
  if (m === null) return undefined;
  return m[1] === '' ? 0 : Number(m[1]);
}

/**
 * DKER-EE-002150: no container port may be mapped to a host port below 1024. An engine-chosen host port
 * (HostPort "" or "0") is ephemeral (32768 and up), never privileged.
 */
export const privilegedPortCheck: Check = containerCheck({
  stigId: 'DKER-EE-002150',
  title: 'Docker Enterprise privileged ports must not be mapped within containers.',
  requiredFields: ['State.Running', 'NetworkSettings', 'HostConfig.PortBindings'],
  expected: 'no host port below 1024 in NetworkSettings.Ports (running) or HostConfig.PortBindings (not running)',
  excludesPlatformContainers: false,
  failing: 'map privileged host ports',
  judge: (inspect): JudgeResult => {
    const ports = publishedPorts(inspect);
    if ('invalid' in ports) return ports;
    const privileged: PortBinding[] = [];
    for (const b of ports.bindings) {
      const n = hostPortNumber(b.hostPort);
      if (n === undefined) return { invalid: `${b.field}.HostPort is ${show(b.hostPort)}: expected a port number or range` };
      if (n > 0 && n < 1024) privileged.push(b);
    }
    if (privileged.length === 0) {
      const shown = ports.bindings.map((b) => `${b.hostIp || '*'}:${b.hostPort || '(any)'}→${b.containerPort}`);
      return {
        judgements: [{
          field: ports.source,
          value: readField(inspect, ports.source),
          verdict: 'pass',
          message: shown.length === 0 ? `publishes no ports (${ports.source}).` : `has no privileged host port among its published ports (${where(ports)}): ${shown.join(', ')}.`,
        }],
      };
    }
    return {
      judgements: privileged.map((b) => ({
        field: b.field,
        value: b.raw,
        verdict: 'fail' as const,
        message: `maps container port ${b.containerPort} to privileged host port ${b.hostPort} (${ports.source}, ${where(ports)}).`,
      })),
    };
  },
});

/** Host addresses that accept traffic on every interface. */
const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * DKER-EE-002160: every published port must be bound to a specific host interface, not the wildcard
 * address: HostIp "0.0.0.0" or "::" (as bound), or "" (as configured: the engine's default bind address,
 * 0.0.0.0 unless dockerd runs with --ip).
 */
export const hostInterfaceCheck: Check = containerCheck({
  stigId: 'DKER-EE-002160',
  title: 'Docker Enterprise incoming container traffic must be bound to a specific host interface.',
  requiredFields: ['State.Running', 'NetworkSettings', 'HostConfig.PortBindings'],
  expected: 'every published port has a specific HostIp (not empty, 0.0.0.0 or ::)',
  excludesPlatformContainers: false,
  failing: 'accept published-port traffic on every host interface',
  judge: (inspect): JudgeResult => {
    const ports = publishedPorts(inspect);
    if ('invalid' in ports) return ports;
    const wildcard = ports.bindings.filter((b) => WILDCARD.has(b.hostIp.trim()));
    if (wildcard.length === 0) {
      const shown = ports.bindings.map((b) => `${b.hostIp}:${b.hostPort || '(any)'}→${b.containerPort}`);
      return {
        judgements: [{
          field: ports.source,
          value: readField(inspect, ports.source),
          verdict: 'pass',
          message: shown.length === 0 ? `publishes no ports (${ports.source}).` : `binds every published port to a specific host address (${where(ports)}): ${shown.join(', ')}.`,
        }],
      };
    }
    return {
      judgements: wildcard.map((b) => ({
        field: b.field,
        value: b.raw,
        verdict: 'fail' as const,
        message:
          `publishes container port ${b.containerPort} on host port ${b.hostPort || '(any)'} of every interface ` +
          `(HostIp ${show(b.hostIp)}${b.hostIp === '' ? ": the engine's default bind address, 0.0.0.0 unless dockerd runs with --ip" : ''}; ${ports.source}, ${where(ports)}).`,
      })),
    };
  },
});

/** The published port rules (DKER-EE-001990 and 003560, the ports the SSP requires, stay manual). */
export const PORT_CHECKS: readonly Check[] = [privilegedPortCheck, hostInterfaceCheck];
