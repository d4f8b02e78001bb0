/**
 * Swarm networking: encrypted overlay networks (DKER-EE-006240) and the interface the swarm's manager
 * listener (2377/tcp) is bound to (DKER-EE-006270).
 */
import type { ApiObject, HostFileFacts, NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { hasField, labelField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { networkTarget, plural, swarmRole, workerJudgement } from './swarm-state.js';

/**
 * The STIG's filter over `docker network inspect --format '{{.Name}} {{ .Options }}'` lines:
 * `grep -v "dtr\|interlock map\|ingress map"` leaves out DTR and Interlock networks and the ingress network.
 */
const STIG_EXCLUDED = ['dtr', 'interlock map', 'ingress map'];

/** The line the STIG's command prints for a network: its name, then its options as Go prints a map (keys sorted). */
export function inspectLine(network: ApiObject): string {
  const name = readField(network, 'Name');
  const options = readField(network, 'Options');
  const entries = typeof options === 'object' && options !== null ? Object.entries(options as Record<string, unknown>) : [];
  const pairs = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}:${String(v)}`);
  return `${typeof name === 'string' ? name : ''} map[${pairs.join(' ')}]`;
}

/** True when the STIG's grep leaves the network out (DTR, Interlock, ingress). */
export function excludedByStig(network: ApiObject): boolean {
  const line = inspectLine(network);
  return STIG_EXCLUDED.some((s) => line.includes(s));
}

function judgeNetwork(network: ApiObject): EngineJudgement | { invalid: string } {
  const target = networkTarget(network);
  if (!hasField(network, 'Options')) return { invalid: `${target.name} has no Options field` };
  const options = readField(network, 'Options');
  if (options !== null && (typeof options !== 'object' || Array.isArray(options))) return { invalid: `${target.name} has Options ${show(options)}: expected an object` };
  // The overlay driver encrypts when the option is present, whatever its value (libnetwork reads only its presence).
  const present = options !== null && Object.prototype.hasOwnProperty.call(options, 'encrypted');
  const value = present ? (options as Record<string, unknown>).encrypted : null;
  const odd = present && value !== '' && value !== 'true' ? ` (value ${show(value)}: the overlay driver encrypts whenever the option is present)` : '';
  return {
    target,
    field: 'Options.encrypted',
    value,
    verdict: present ? 'pass' : 'fail',
    message: present
      ? `${target.name} is encrypted (--opt encrypted)${odd}.`
      : `${target.name} is not encrypted: no "encrypted" option; unless the application encrypts this traffic (record that as an exemption), recreate it with --opt encrypted.`,
  };
}

/**
 * DKER-EE-006240. Each overlay network the STIG's command lists (all but DTR, Interlock and ingress) must have
 * the `encrypted` option. A manager lists every overlay network of the swarm; a worker lists those it carries
 * tasks of, which are the networks its containers exchange data on, so its verdict covers its own traffic.
 * Application-layer encryption, which the check text also accepts, is not visible to the engine: a network
 * it protects fails here and is recorded as an exemption with that evidence.
 */
export const OVERLAY_ENCRYPTION = engineCheck({
  stigId: 'DKER-EE-006240',
  title: 'Docker Enterprise data exchanged between Linux containers on different nodes must be encrypted on the overlay network.',
  targetKinds: ['swarm'],
  expected: 'every overlay network (but ingress, DTR and Interlock ones) created with --opt encrypted',
  judge(facts): EngineDecision {
    const role = swarmRole(facts);
    if ('decision' in role) return role.decision;
    if (role.role === 'locked') return { invalid: 'the manager is locked (info.Swarm.LocalNodeState "locked"): its overlay networks are listed only once it is unlocked' };
    const networks = role.data.networks;
    if (networks === undefined) return { invalid: 'the swarm facts have no overlay network listing (collected by an older collector)' };
    // The listing asked for overlay networks; each must say so (Driver, Name and Options are in every network answer).
    const unreadable = networks.find((n) => typeof readField(n, 'Driver') !== 'string' || typeof readField(n, 'Name') !== 'string' || !hasField(n, 'Options'));
    if (unreadable !== undefined) return { invalid: `a network of the listing lacks its Driver, Name or Options: ${show(labelField(unreadable, 'Id'))}` };
    const overlay = networks.filter((n) => readField(n, 'Driver') === 'overlay');
    const excluded = overlay.filter(excludedByStig);
    const checked = overlay.filter((n) => !excludedByStig(n));
    const scope = role.role === 'worker' ? 'the overlay networks this worker carries tasks of' : "the swarm's overlay networks";
    const leftOut = excluded.length === 0 ? '' : ` (left out as the STIG check does: ${excluded.map((n) => show(readField(n, 'Name'))).join(', ')})`;
    if (checked.length === 0) {
      return { notApplicable: `No overlay network to check among ${scope}${leftOut}: no container data crosses nodes on one.` };
    }
    const judgements: EngineJudgement[] = [];
    const seenFrom = role.role === 'worker' ? ` Listed on ${facts.nodeName}, a worker: it sees the overlay networks it carries tasks of.` : '';
    for (const network of checked) {
      const j = judgeNetwork(network);
      if ('invalid' in j) return { invalid: j.invalid, judgements };
      judgements.push({ ...j, message: j.message + seenFrom });
    }
    return { judgements };
  },
  summarize(status, judgements) {
    const failing = judgements.filter((j) => j.verdict === 'fail').map((j) => j.target?.name ?? '');
    if (status === 'fail') return `${failing.length} of ${plural(judgements.length, 'overlay network')} are not encrypted: ${failing.join(', ')}.`;
    return `All ${plural(judgements.length, 'overlay network')} checked are encrypted.`;
  },
});

/** Where dockerd keeps the node's swarm addresses (ListenAddr, AdvertiseAddr); the Engine API does not report ListenAddr. */
export function swarmStatePath(dockerRootDir: string): string {
  return `${dockerRootDir.replace(/\/+$/, '')}/swarm/docker-state.json`;
}

/** The host of `host:port` / `[v6]:port`, or undefined when the address has no port. */
export function listenHost(addr: string): string | undefined {
  const m = /^\[([^\]]*)\]:(\d+)$/.exec(addr) ?? /^([^:[\]]*):(\d+)$/.exec(addr);
  return m?.[1];
}

/** True for an address that means every interface: empty, 0.0.0.0, or an all-zero IPv6 address (`::`). */
export function isUnspecified(host: string): boolean {
  return host === '' || host === '0.0.0.0' || (host.includes(':') && /^[0:]+$/.test(host));
}

function stateFile(facts: NodeFacts): { file: HostFileFacts } | { decision: EngineDecision } {
  const root = readField(facts.info, 'DockerRootDir');
  if (typeof root !== 'string' || root === '') return { decision: { invalid: `info.DockerRootDir is ${show(root)}: expected the engine's data root, where the swarm state file is` } };
  const path = swarmStatePath(root);
  const host = requirePart(facts, 'host');
  if ('outcome' in host) {
    return { decision: { outcome: { ...host.outcome, message: `${host.outcome.message}; the swarm listen address is read from ${path}, which the Engine API does not report` } } };
  }
  const file = host.data.files.find((f) => f.path === path);
  if (file === undefined) return { decision: { invalid: `the host facts do not include ${path}, where dockerd keeps the swarm listen address (the Engine API does not report it)` } };
  if (file.error !== undefined) return { decision: { invalid: `${path} could not be read on the host (${file.error})` } };
  if (!file.exists) return { decision: { invalid: `${path} does not exist although the node is a swarm manager` } };
  if (typeof file.content !== 'string') return { decision: { invalid: `the content of ${path} could not be read (${file.contentError ?? 'not collected'})` } };
  return { file };
}

/**
 * DKER-EE-006270. The check looks for the 2377/tcp listener (`netstat -lt | grep 2377`) and fails when it is not
 * bound to a specific interface address; the fix is `--listen-addr`. dockerd binds that listener to the
 * ListenAddr it keeps in DockerRootDir/swarm/docker-state.json (interface names resolved to addresses), read
 * from the host facts. Only managers listen on 2377: on a worker the rule is not applicable.
 */
export const SWARM_LISTEN_ADDRESS = engineCheck({
  stigId: 'DKER-EE-006270',
  title: 'Docker Enterprise Swarm services must be bound to a specific host interface.',
  targetKinds: ['file', 'daemon'],
  // The node's swarm role decides whether a manager listener is expected at all.
  facts: ['swarm', 'host', 'daemon'],
  expected: 'the swarm listener (2377/tcp) bound to a specific address (--listen-addr IP:2377), not 0.0.0.0 or ::',
  judge(facts): EngineDecision {
    const role = swarmRole(facts);
    if ('decision' in role) return role.decision;
    if (role.role === 'worker') {
      return {
        notApplicable: `${facts.nodeName} is a swarm worker: only managers listen for swarm control traffic on 2377/tcp.`,
        judgements: [workerJudgement(facts, 'The node is a worker: it runs no swarm manager listener.')],
      };
    }
    const found = stateFile(facts);
    if ('decision' in found) return found.decision;
    let state: unknown;
    try {
      state = JSON.parse(found.file.content as string);
    } catch (e) {
      return { invalid: `${found.file.path} is not JSON: ${(e as Error).message}` };
    }
    const addr = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).ListenAddr : undefined;
    if (typeof addr !== 'string') return { invalid: `${found.file.path} has ListenAddr ${show(addr)}: expected host:port` };
    const host = listenHost(addr);
    if (host === undefined) return { invalid: `${found.file.path} has ListenAddr ${show(addr)}: expected host:port` };
    const everywhere = isUnspecified(host);
    return {
      judgements: [
        {
          target: { kind: 'file', id: found.file.path, name: found.file.path },
          field: 'ListenAddr',
          value: addr,
          verdict: everywhere ? 'fail' : 'pass',
          message: everywhere
            ? `The swarm listens on every interface (ListenAddr ${addr}): rebuild the cluster with --listen-addr bound to one interface.`
            : `The swarm listens on ${addr} only (--listen-addr).`,
        },
      ],
    };
  },
});

export const NETWORK_CHECKS: readonly Check[] = [OVERLAY_ENCRYPTION, SWARM_LISTEN_ADDRESS];
