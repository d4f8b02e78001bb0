/**
 * Filesystem rules: the Docker socket must not be mounted in a container, sensitive host directories
 * must not be mounted read-write, and the root filesystem must be read-only. Mount rules read the
 * container's `Mounts` (every mount, whether made with -v/--volume or --mount), as the STIG commands
 * print `{{ .Mounts }}`.
 */
import path from 'node:path';
import type { ApiObject } from '../domain/facts.js';
import type { Check } from './check.js';
import { containerCheck, fieldCheck, show, type ContainerJudgement, type JudgeResult } from './container-rule.js';
import { readField } from './evidence.js';

interface MountEntry {
  index: number;
  type: string;
  source: string;
  destination: string;
  rw: boolean;
  raw: unknown;
}

/**
 * The container's mounts, or why they can't be read. `Mounts: null` means no mounts. The engine reports
 * Source, Destination, RW and Propagation of every mount (they have no `omitempty` in its MountPoint type) and
 * Type on every engine since API 1.25; a mount without one of them can't be told bind from volume, or
 * read-only from read-write, so it is an error, never read as harmless.
 */
export function mountsOf(inspect: ApiObject): MountEntry[] | { invalid: string } {
  const mounts = readField(inspect, 'Mounts');
  if (mounts === null) return [];
  if (!Array.isArray(mounts)) return { invalid: `Mounts is ${show(mounts)}: expected a list` };
  const out: MountEntry[] = [];
  for (const [index, m] of mounts.entries()) {
    if (typeof m !== 'object' || m === null) return { invalid: `Mounts.${index} is ${show(m)}: expected a mount` };
    const entry = m as ApiObject;
    for (const field of ['Type', 'Source', 'Destination'] as const) {
      if (typeof entry[field] !== 'string') return { invalid: `Mounts.${index}.${field} is ${show(entry[field])}: the engine reports it for every mount, so the mount can't be judged without it` };
    }
    if (typeof entry.RW !== 'boolean') return { invalid: `Mounts.${index}.RW is ${show(entry.RW)}: expected a boolean (the engine reports it for every mount)` };
    out.push({ index, type: entry.Type as string, source: entry.Source as string, destination: entry.Destination as string, rw: entry.RW, raw: m });
  }
  return out;
}

const DOCKER_SOCKET = /docker\.sock|docker_engine/i;

/** DKER-EE-002130: no mount whose source or destination is the Docker socket (`docker.sock`, or the `docker_engine` pipe). */
export const dockerSocketMountCheck: Check = containerCheck({
  stigId: 'DKER-EE-002130',
  title: 'The Docker Enterprise socket must not be mounted inside any containers.',
  requiredFields: ['Mounts'],
  expected: 'no entry of Mounts has docker.sock or docker_engine as Source or Destination',
  excludesPlatformContainers: true,
  failing: 'mount the Docker socket',
  judge: (inspect): JudgeResult => {
    const mounts = mountsOf(inspect);
    if (!Array.isArray(mounts)) return mounts;
    const sockets = mounts.filter((m) => DOCKER_SOCKET.test(m.source) || DOCKER_SOCKET.test(m.destination));
    if (sockets.length === 0) {
      return { judgements: [{ field: 'Mounts', value: readField(inspect, 'Mounts'), verdict: 'pass', message: `none of its ${mounts.length} mounts is the Docker socket.` }] };
    }
    return {
      judgements: sockets.map((m) => ({
        field: `Mounts.${m.index}`,
        value: m.raw,
        verdict: 'fail' as const,
        message: `mounts the Docker socket ${m.source} at ${m.destination}${m.rw === false ? ' (read-only, which still grants the whole engine API)' : ''}.`,
      })),
    };
  },
});

/**
 * Host directories treated as sensitive (CIS Docker Benchmark 5.5's list; the STIG defers the list to
 * the System Security Plan). A mount of one of them or of anything below it counts, except that only
 * `/` itself counts for the root.
 */
export const SENSITIVE_HOST_DIRECTORIES: readonly string[] = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

/** The sensitive directory a host path is or lies under, if any. */
export function sensitiveDirectoryOf(hostPath: string): string | undefined {
  if (!hostPath.startsWith('/')) return undefined;
  const normal = path.posix.normalize(hostPath).replace(/\/+$/, '') || '/';
  return SENSITIVE_HOST_DIRECTORIES.find((dir) => normal === dir || (dir !== '/' && normal.startsWith(`${dir}/`)));
}

/**
 * DKER-EE-001190: no bind mount of a sensitive host directory with read-write access. The check text
 * makes read-write access the finding ("containers mounted with RW access to sensitive host system
 * directories"); a read-only mount passes, and its observation names it so that a reviewer sees it.
 */
export const sensitiveDirectoryMountCheck: Check = containerCheck({
  stigId: 'DKER-EE-001190',
  title: 'Docker Enterprise sensitive host system directories must not be mounted on containers.',
  requiredFields: ['Mounts'],
  expected: `no read-write bind mount (Mounts[].Type "bind", RW true) of ${SENSITIVE_HOST_DIRECTORIES.join(', ')} or below`,
  excludesPlatformContainers: true,
  // This rule's command greps "ucp\|kubelet\|dtr", not "kube".
  stigPlatformPattern: 'ucp|kubelet|dtr',
  failing: 'mount sensitive host directories read-write',
  judge: (inspect): JudgeResult => {
    const mounts = mountsOf(inspect);
    if (!Array.isArray(mounts)) return mounts;
    const sensitive = mounts.filter((m) => m.type === 'bind' && sensitiveDirectoryOf(m.source) !== undefined);
    const readWrite = sensitive.filter((m) => m.rw === true);
    if (readWrite.length > 0) {
      return {
        judgements: readWrite.map((m) => ({
          field: `Mounts.${m.index}`,
          value: m.raw,
          verdict: 'fail' as const,
          message: `mounts host ${m.source} (sensitive: ${sensitiveDirectoryOf(m.source)}) read-write at ${m.destination}.`,
        })),
      };
    }
    const readOnly = sensitive.map((m) => `${m.source} at ${m.destination}`);
    const judgement: ContainerJudgement = {
      field: 'Mounts',
      value: readField(inspect, 'Mounts'),
      verdict: 'pass',
      message:
        readOnly.length === 0
          ? `none of its ${mounts.length} mounts is a sensitive host directory.`
          : `mounts sensitive host directories read-only only (${readOnly.join(', ')}); the STIG's finding is read-write access.`,
    };
    return { judgements: [judgement] };
  },
});

/** DKER-EE-002030: `HostConfig.ReadonlyRootfs` must be true. */
export const readOnlyRootfsCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002030',
  title: "All Docker Enterprise containers root filesystem must be mounted as read only.",
  field: 'HostConfig.ReadonlyRootfs',
  expected: 'HostConfig.ReadonlyRootfs is true (--read-only)',
  excludesPlatformContainers: false,
  failing: 'have a writable root filesystem',
  decide: (value) => {
    if (typeof value !== 'boolean') return { invalid: 'expected a boolean' };
    return value
      ? { verdict: 'pass', message: 'HostConfig.ReadonlyRootfs is true.' }
      : { verdict: 'fail', message: 'HostConfig.ReadonlyRootfs is false: its root filesystem is writable.' };
  },
});

/** The filesystem and mount rules. */
export const MOUNT_CHECKS: readonly Check[] = [dockerSocketMountCheck, sensitiveDirectoryMountCheck, readOnlyRootfsCheck];
