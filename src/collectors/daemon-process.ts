/**
 * Finding the node's dockerd among the host's processes and reading its configuration: the command line from
 * /proc/<pid>/cmdline, then the daemon.json it names (`--config-file`, else /etc/docker/daemon.json). A host
 * may run several daemons (rootless ones, test daemons): the right one listens on the node's socket or keeps
 * its data where the engine says (`--data-root` = /info DockerRootDir).
 */
import path from 'node:path';
import { flagValues } from '../checks/engine/daemon-config.js';
import { DEFAULT_DAEMON_JSON } from '../checks/host/docker-files.js';
import type { ApiObject, DaemonConfigFacts } from '../domain/facts.js';
import type { DockerNode } from '../domain/node.js';
import type { HostFileRead, HostFiles, HostProcess } from '../repositories/host-files.js';

/** The node's dockerd process, or why none can be chosen. */
export function pickDaemonProcess(processes: readonly HostProcess[], node: Pick<DockerNode, 'endpoint'>, info: ApiObject): { process: HostProcess } | { reason: string } {
  if (processes.length === 0) return { reason: 'no dockerd process was found on the host' };
  const rootDir = typeof info.DockerRootDir === 'string' ? path.normalize(info.DockerRootDir) : undefined;
  const socket = node.endpoint.startsWith('unix://') ? path.normalize(node.endpoint.slice('unix://'.length)) : undefined;
  const judged = processes.map((p) => {
    const dataRoot = [...flagValues(p.cmdline, { long: 'data-root' }), ...flagValues(p.cmdline, { long: 'graph', short: 'g' })].at(-1);
    const mismatch = dataRoot !== undefined && rootDir !== undefined && path.normalize(dataRoot) !== rootDir;
    const listensOnNode =
      socket !== undefined &&
      flagValues(p.cmdline, { long: 'host', short: 'H' }).some((h) => h.startsWith('unix://') && path.normalize(h.slice('unix://'.length)) === socket);
    const strong = !mismatch && ((dataRoot !== undefined && rootDir !== undefined) || listensOnNode);
    return { p, mismatch, strong };
  });
  const strong = judged.filter((j) => j.strong);
  if (strong.length === 1) return { process: (strong[0] as (typeof judged)[number]).p };
  const pids = (list: typeof judged): string => list.map((j) => j.p.pid).join(', ');
  if (strong.length > 1) return { reason: `several dockerd processes (pids ${pids(strong)}) match the node; its command line is ambiguous` };
  const candidates = judged.filter((j) => !j.mismatch);
  if (candidates.length === 1) return { process: (candidates[0] as (typeof judged)[number]).p };
  if (candidates.length === 0) return { reason: `no dockerd process keeps its data in ${rootDir ?? 'the engine root'} (pids ${pids(judged)} don't)` };
  return { reason: `several dockerd processes (pids ${pids(candidates)}) could be the node's daemon; none names its socket or data root` };
}

/** Parses daemon.json as read; throws (the part fails) when it exists but can't be read or parsed. */
function parseDaemonJson(file: HostFileRead | undefined, filePath: string): ApiObject | null {
  if (file === undefined) throw new Error(`${filePath} was not read`);
  // Only ENOENT means there is no daemon.json (dockerd's defaults apply); any other failure leaves it unknown.
  if (file.error !== undefined) throw new Error(`${filePath} can't be read: ${file.error}`);
  if (!file.exists) return null;
  if (file.type !== 'file') throw new Error(`${filePath} is a ${file.type ?? 'non-regular file'}, not a file`);
  if (file.content === undefined) throw new Error(`${filePath} exists but can't be read: ${file.contentError ?? 'no content'}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.content);
  } catch (e) {
    throw new Error(`${filePath} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${filePath} is not a JSON object`);
  return parsed as ApiObject;
}

/** Reads the daemon configuration of `node` from its host's files and processes. */
export async function readDaemonConfig(files: HostFiles, node: Pick<DockerNode, 'endpoint'>, info: ApiObject): Promise<DaemonConfigFacts> {
  const first = await files.read({ processes: ['dockerd'], files: [{ path: DEFAULT_DAEMON_JSON, content: true }] });
  const picked = pickDaemonProcess(first.processes, node, info);
  const commandLine = 'process' in picked ? picked.process.cmdline : null;
  const commandLineSource = 'process' in picked ? `/proc/${picked.process.pid}/cmdline (${first.source})` : `unreadable: ${picked.reason} (${first.source})`;
  const daemonJsonPath = (commandLine === null ? undefined : flagValues(commandLine, { long: 'config-file' }).at(-1)) ?? DEFAULT_DAEMON_JSON;
  let jsonFile = first.files[0];
  if (daemonJsonPath !== DEFAULT_DAEMON_JSON) jsonFile = (await files.read({ files: [{ path: daemonJsonPath, content: true }] })).files[0];
  return { daemonJson: parseDaemonJson(jsonFile, daemonJsonPath), daemonJsonPath, commandLine, commandLineSource };
}
