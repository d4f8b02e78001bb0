/**
 * Which way a node's host files are read: a local node (a `unix://` endpoint) through the host root this
 * process sees, when one is configured; any node through a helper container, when a helper image is
 * configured; otherwise not at all, and the host and daemon parts are `unavailable` with the reason.
 */
import type { DockerNode } from '../../domain/node.js';
import type { DockerClient } from '../docker-client.js';
import { HostRootFiles, type HostFiles } from '../host-files.js';
import { HelperContainerFiles } from './helper-container-files.js';
import type { HelperLedger } from './helper-ledger.js';

/** The host files of a node, or why they can't be read. Must not do I/O. */
export type HostAccess = (node: Pick<DockerNode, 'endpoint' | 'name'>, client: DockerClient) => HostFiles | { unavailable: string };

export interface HostAccessOptions {
  /**
   * The local node's root as this process sees it (PLIMSOLL_HOST_ROOT): `/` when Plimsoll runs on the node,
   * `/host` when it runs in a container with the host's `/` mounted there. Used for `unix://` nodes.
   */
  hostRoot?: string;
  /** The local node's proc file system; default `<hostRoot>/proc`. */
  procRoot?: string;
  /** Image of the helper container (PLIMSOLL_HOST_HELPER_IMAGE), e.g. `busybox:1.36`; it must be on the node. */
  helperImage?: string;
  /** The busybox binary in the helper image (PLIMSOLL_HOST_HELPER_BUSYBOX); default `/bin/busybox`. */
  helperBusybox?: string;
  /** Records the helper containers created, for the engine collector (shared with it). */
  ledger?: HelperLedger;
}

/** Chooses, per node, how its host files are read. */
export function hostAccess(options: HostAccessOptions): HostAccess {
  return (node, client) => {
    if (node.endpoint.startsWith('unix://') && options.hostRoot !== undefined) {
      return new HostRootFiles(options.hostRoot, options.procRoot !== undefined ? { procRoot: options.procRoot } : {});
    }
    if (options.helperImage !== undefined) {
      return new HelperContainerFiles(client, {
        image: options.helperImage,
        ...(options.helperBusybox !== undefined ? { busybox: options.helperBusybox } : {}),
        ...(options.ledger !== undefined ? { ledger: options.ledger } : {}),
      });
    }
    const local = node.endpoint.startsWith('unix://');
    return {
      unavailable: local
        ? `the host files of ${node.name} can't be read: neither a host root (PLIMSOLL_HOST_ROOT) nor a helper image (PLIMSOLL_HOST_HELPER_IMAGE) is configured`
        : `the host files of ${node.name} (${node.endpoint}) can't be read: it is a remote node and no helper image (PLIMSOLL_HOST_HELPER_IMAGE) is configured`,
    };
  };
}
