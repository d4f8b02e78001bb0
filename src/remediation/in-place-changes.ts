/**
 * The failures the Engine API corrects in place, without recreating anything: container resources and restart
 * policy through `POST /containers/{id}/update` (what `docker update` sends) and swarm auto-lock through
 * `POST /swarm/update` (what `docker swarm update --autolock` sends). Each entry names the fields it changes
 * (read before applying, to refuse a plan whose target changed since), the update body from the proposer's
 * settings, the docker CLI command doing the same, and the `docker service update` flags for swarm tasks
 * (whose service spec, not the container, is what to change). Everything else is a manual step.
 */
import type { ContainerUpdate, EngineSetting, RemediationSettings } from '../domain/remediation.js';
import { formatMemory } from '../domain/remediation.js';

export interface InPlaceContainerChange {
  setting: Exclude<EngineSetting, 'swarm-autolock'>;
  /** Fields of the inspected container the update changes. */
  fields: readonly string[];
  /** The update body, or why the settings don't give one (then the item is manual). */
  update(settings: RemediationSettings): ContainerUpdate | { missing: string };
  /** The `docker update` arguments doing the same. */
  cliArgs(update: ContainerUpdate): string[];
  /** The `docker service update` flags doing the same for a swarm service (none: the service has no such setting). */
  serviceArgs(update: ContainerUpdate): string[] | undefined;
}

/** STIG id → the container change that fixes it in place. */
export const IN_PLACE_CONTAINER_CHANGES: Readonly<Record<string, InPlaceContainerChange>> = {
  'DKER-EE-002010': {
    setting: 'memory',
    fields: ['HostConfig.Memory', 'HostConfig.MemorySwap'],
    update: (s) => (s.memoryBytes === undefined ? { missing: 'no memory limit was given for the plan (size it from the SSP: --memory 256m)' } : { Memory: s.memoryBytes, MemorySwap: s.memoryBytes }),
    cliArgs: (u) => ['--memory', formatMemory(u.Memory!), '--memory-swap', formatMemory(u.MemorySwap!)],
    serviceArgs: (u) => ['--limit-memory', formatMemory(u.Memory!)],
  },
  'DKER-EE-002020': {
    setting: 'cpu-shares',
    fields: ['HostConfig.CpuShares'],
    update: (s) => ({ CpuShares: s.cpuShares }),
    cliArgs: (u) => ['--cpu-shares', String(u.CpuShares)],
    serviceArgs: () => undefined,
  },
  'DKER-EE-002780': {
    setting: 'pids-limit',
    fields: ['HostConfig.PidsLimit'],
    update: (s) => (s.pidsLimit === undefined ? { missing: 'no PIDs limit was given for the plan (size it from the SSP: --pids-limit 100)' } : { PidsLimit: s.pidsLimit }),
    cliArgs: (u) => ['--pids-limit', String(u.PidsLimit)],
    serviceArgs: (u) => ['--limit-pids', String(u.PidsLimit)],
  },
  'DKER-EE-004030': {
    setting: 'restart-policy',
    fields: ['HostConfig.RestartPolicy'],
    update: (s) => ({ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: s.restartMaxRetries } }),
    cliArgs: (u) => ['--restart', `on-failure:${u.RestartPolicy!.MaximumRetryCount}`],
    serviceArgs: (u) => ['--restart-condition', 'on-failure', '--restart-max-attempts', String(u.RestartPolicy!.MaximumRetryCount)],
  },
};

/** DKER-EE-002400: the swarm's managers must run in auto-lock mode. */
export const SWARM_AUTOLOCK_RULE = 'DKER-EE-002400';
/** The /swarm field auto-lock is (as the swarm rule reads it). */
export const AUTOLOCK_FIELD = 'Spec.EncryptionConfig.AutoLockManagers';

/** A word quoted for a POSIX shell when it needs quoting. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted as needed. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}
