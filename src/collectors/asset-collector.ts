/**
 * The `asset` part: what the host says about itself, for a node's asset facts (checklists, OSCAL inventory):
 * `/etc/hostname`, `/etc/hosts` (the FQDN and addresses the host gives its own name) and the network
 * interfaces under `/sys/class/net` with their MAC addresses. Read through the same HostFiles repository as the
 * host part; a node whose host can't be reached gets an `unavailable` part, and the asset facts then hold what
 * the engine tells only. No check reads this part.
 *
 * As for every host file (wp-evidence): only "no such file" means absent. Any other failure (permission denied,
 * an I/O error, a helper that could not read, a directory whose entries could not all be listed) is kept in
 * `errors` with the file and the cause, so a missing host name or MAC address says why it is missing instead
 * of reading as a host that has none.
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

/** Why a read file (or its content) is unknown, when it is: anything but absence. */
function readError(file: HostFileRead | undefined, path: string): string | undefined {
  if (file === undefined) return `${path} was asked for but not returned by the read`;
  return file.error ?? (file.exists ? file.contentError : undefined);
}

/** Reads the asset facts of a host: one read for the names and interface list, one for the addresses. */
export async function readHostAsset(files: HostFiles): Promise<HostAssetFacts> {
  const errors: HostAssetFacts['errors'] = [];
  /** The file's text when it was read; null when absent or unreadable (the error then recorded). */
  const contentOf = (file: HostFileRead | undefined, path: string): string | null => {
    const error = readError(file, path);
    if (error !== undefined) {
      errors.push({ path, error });
      return null;
    }
    return file?.exists === true && typeof file.content === 'string' ? file.content : null;
  };
  const first = await files.read({ files: [{ path: '/etc/hostname', content: true }, { path: '/etc/hosts', content: true }], trees: [{ path: NET }] });
  const tree = first.trees[NET] ?? [];
  const treeError = readError(tree[0], NET);
  if (treeError !== undefined) errors.push({ path: NET, error: treeError });
  const children = tree.slice(1).filter((f) => f.path.startsWith(`${NET}/`) && !f.path.slice(NET.length + 1).includes('/'));
  for (const entry of children) if (entry.error !== undefined) errors.push({ path: entry.path, error: entry.error });
  const names = children
    .filter((f) => f.error === undefined)
    .map((f) => f.path.slice(NET.length + 1))
    .filter((n) => n !== '' && !isVirtualName(n))
    .sort()
    .slice(0, MAX_INTERFACES);
  let interfaces: HostAssetFacts['interfaces'] = [];
  if (names.length > 0) {
    const second = await files.read({ files: names.flatMap((n) => [{ path: `${NET}/${n}/address`, content: true }, { path: `${NET}/${n}/device` }]) });
    interfaces = names.map((name, i) => {
      const mac = contentOf(second.files[2 * i], `${NET}/${name}/address`)?.trim().toLowerCase() ?? null;
      const device = second.files[2 * i + 1];
      const deviceError = readError(device, `${NET}/${name}/device`);
      // An interface whose device link could not be read is not known to be a NIC: its address is not claimed.
      if (deviceError !== undefined) errors.push({ path: `${NET}/${name}/device`, error: deviceError });
      return { name, mac: mac !== null && mac !== '' ? mac : null, physical: deviceError === undefined && device?.exists === true };
    });
  }
  const hostname = contentOf(first.files[0], '/etc/hostname')?.trim() ?? null;
  const hosts = contentOf(first.files[1], '/etc/hosts');
  return { via: first.via, source: first.source, hostname: hostname !== '' ? hostname : null, hosts, interfaces, errors };
}

/** The `asset` part collector. */
export class HostAssetCollector implements PartCollector<'asset'> {
  readonly part = 'asset' as const;

  constructor(private readonly access: HostAccess) {}

  collect(node: DockerNode, client: DockerClient): Promise<Collected<HostAssetFacts>> {
    return withHost(this.access, node, client, readHostAsset);
  }
}
