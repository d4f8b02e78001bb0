/**
 * The `asset` part: what the host says about itself, for a node's asset facts (checklists, OSCAL inventory):
 * `/etc/hostname`, `/etc/hosts` (the FQDN and addresses the host gives its own name) and the network
 * interfaces under `/sys/class/net` with their MAC addresses. Read through the same HostFiles repository as the
 * host part; a node whose host can't be reached gets an `unavailable` part, and the asset facts then hold what
 * the engine tells only. No check reads this part.
 */
import type { Collected, HostAssetFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { DockerClient } from '../repositories/docker-client.js';
import type { HostFileRead, HostFiles } from '../repositories/host-files.js';
import type { HostAccess } from '../repositories/host/host-access.js';
import { withHost } from './host-collector.js';
import type { PartCollector } from './part-collector.js';

const NET = '/sys/class/net';
/** At most this many interfaces are read (a host with thousands of veths must not flood the facts). */
export const MAX_INTERFACES = 64;

/** Interface names the kernel and Docker create for containers and bridges, never the host's own NICs. */
function isVirtualName(name: string): boolean {
  return name === 'lo' || /^(veth|docker|br-|virbr|vxlan|flannel|cni|cali|tunl|weave|dummy)/.test(name);
}

function contentOf(file: HostFileRead | undefined): string | null {
  return file?.exists === true && typeof file.content === 'string' ? file.content : null;
}

/** Reads the asset facts of a host: one read for the names and interface list, one for the addresses. */
export async function readHostAsset(files: HostFiles): Promise<HostAssetFacts> {
  const first = await files.read({ files: [{ path: '/etc/hostname', content: true }, { path: '/etc/hosts', content: true }], trees: [{ path: NET }] });
  const names = (first.trees[NET] ?? [])
    .slice(1)
    .map((f) => f.path.slice(NET.length + 1))
    .filter((n) => n !== '' && !n.includes('/') && !isVirtualName(n))
    .sort()
    .slice(0, MAX_INTERFACES);
  let interfaces: HostAssetFacts['interfaces'] = [];
  if (names.length > 0) {
    const second = await files.read({ files: names.flatMap((n) => [{ path: `${NET}/${n}/address`, content: true }, { path: `${NET}/${n}/device` }]) });
    interfaces = names.map((name, i) => {
      const mac = contentOf(second.files[2 * i])?.trim().toLowerCase() ?? null;
      return { name, mac: mac !== null && mac !== '' ? mac : null, physical: second.files[2 * i + 1]?.exists === true };
    });
  }
  const hostname = contentOf(first.files[0])?.trim() ?? null;
  return { via: first.via, source: first.source, hostname: hostname !== '' ? hostname : null, hosts: contentOf(first.files[1]), interfaces };
}

/** The `asset` part collector. */
export class HostAssetCollector implements PartCollector<'asset'> {
  readonly part = 'asset' as const;

  constructor(private readonly access: HostAccess) {}

  collect(node: DockerNode, client: DockerClient): Promise<Collected<HostAssetFacts>> {
    return withHost(this.access, node, client, readHostAsset);
  }
}
