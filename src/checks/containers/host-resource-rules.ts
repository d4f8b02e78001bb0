/**
 * Rules on what a container takes from its host: CPU shares, host devices, mount propagation, the cgroup it
 * runs in and ulimit overrides. Each reads one field of the container's inspection, as the STIG command
 * prints it. Where the check text lets the System Security Plan approve a value (devices, cgroup, ulimits),
 * any value fails here: the approval is recorded as an exemption, which keeps the finding visible.
 */
import type { ApiObject } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { containerCheck, fieldCheck, show, type JudgeResult } from '../container-rule.js';
import { readField } from '../evidence.js';
import { linuxOnly } from './gated.js';

/**
 * DKER-EE-002020: `HostConfig.CpuShares` must be set to a relative weight other than the default. The check
 * text: "If the above command returns 0 or 1024, it means the CPU shares are not in place and this is a finding."
 */
export const cpuSharesCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002020',
  title: 'Docker Enterprise CPU priority must be set appropriately on all containers.',
  field: 'HostConfig.CpuShares',
  expected: 'HostConfig.CpuShares is set (--cpu-shares), not 0 or 1024 (the default weight)',
  excludesPlatformContainers: false,
  failing: 'have no CPU shares set',
  decide: (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return { invalid: 'expected an integer' };
    if (value === 0) return { verdict: 'fail', message: 'HostConfig.CpuShares is 0: no CPU shares are set (the default weight, 1024, applies).' };
    if (value === 1024) return { verdict: 'fail', message: 'HostConfig.CpuShares is 1024: the default weight, which the STIG counts as no CPU shares in place.' };
    return { verdict: 'pass', message: `HostConfig.CpuShares is ${value} (relative to the default 1024).` };
  },
});

/** A list field that is null or empty when unset, as the engine reports Devices and Ulimits. */
function listOf(value: unknown): unknown[] | undefined {
  if (value === null) return [];
  return Array.isArray(value) ? value : undefined;
}

/**
 * DKER-EE-002040: `HostConfig.Devices` must be empty. The check text makes a listed device a finding unless
 * the SSP documents and approves it; an approval is an exemption. The evidence names each device and its
 * cgroup permissions (`rwm` includes mknod).
 */
export const hostDevicesCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002040',
  title: 'Docker Enterprise host devices must not be directly exposed to containers.',
  field: 'HostConfig.Devices',
  expected: 'HostConfig.Devices is empty (no --device), or each device is approved in the SSP (an exemption)',
  excludesPlatformContainers: false,
  failing: 'have host devices exposed',
  decide: (value) => {
    const devices = listOf(value);
    if (devices === undefined) return { invalid: 'expected null or a list of devices' };
    if (devices.length === 0) return { verdict: 'pass', message: `HostConfig.Devices is ${show(value)}: no host device is exposed.` };
    const shown = devices.map((d) => {
      const dev = (typeof d === 'object' && d !== null ? d : {}) as ApiObject;
      return `${String(dev.PathOnHost ?? '?')} at ${String(dev.PathInContainer ?? '?')} (${String(dev.CgroupPermissions ?? '?')})`;
    });
    return { verdict: 'fail', message: `HostConfig.Devices exposes ${devices.length} host device${devices.length === 1 ? '' : 's'}: ${shown.join(', ')}; each must be documented and approved in the SSP.` };
  },
});

const SHARED_PROPAGATION = new Set(['shared', 'rshared']);

/**
 * DKER-EE-002050: no mount may have `shared` or `rshared` propagation (`Mounts[].Propagation`; empty for
 * volumes, `rprivate` by default for binds). Platform containers are left out, as the STIG command does.
 */
export const mountPropagationCheck: Check = containerCheck({
  stigId: 'DKER-EE-002050',
  title: 'Mount propagation mode must not set to shared in Docker Enterprise.',
  requiredFields: ['Mounts'],
  expected: 'no entry of Mounts has Propagation "shared" or "rshared"',
  excludesPlatformContainers: true,
  failing: 'have mounts with shared propagation',
  judge: (inspect): JudgeResult => {
    const mounts = listOf(readField(inspect, 'Mounts'));
    if (mounts === undefined) return { invalid: `Mounts is ${show(readField(inspect, 'Mounts'))}: expected a list` };
    const shared: { index: number; mount: ApiObject; propagation: string }[] = [];
    for (const [index, m] of mounts.entries()) {
      if (typeof m !== 'object' || m === null) return { invalid: `Mounts.${index} is ${show(m)}: expected a mount` };
      const propagation = (m as ApiObject).Propagation;
      // The engine reports Propagation for every mount (empty for volumes): a mount without it can't be read as not shared.
      if (typeof propagation !== 'string') return { invalid: `Mounts.${index}.Propagation is ${show(propagation)}: expected a string (the engine reports it for every mount)` };
      if (SHARED_PROPAGATION.has(propagation.toLowerCase())) shared.push({ index, mount: m as ApiObject, propagation });
    }
    if (shared.length === 0) {
      const modes = mounts.map((m) => (m as ApiObject).Propagation || '(none)');
      return {
        judgements: [{
          field: 'Mounts',
          value: readField(inspect, 'Mounts'),
          verdict: 'pass',
          message: mounts.length === 0 ? 'has no mounts.' : `none of its ${mounts.length} mounts has shared propagation (${modes.join(', ')}).`,
        }],
      };
    }
    return {
      judgements: shared.map((s) => ({
        field: `Mounts.${s.index}.Propagation`,
        value: s.propagation,
        verdict: 'fail' as const,
        message: `mounts ${String(s.mount.Source ?? '?')} at ${String(s.mount.Destination ?? '?')} with ${s.propagation} propagation: mounts made inside it reach the host.`,
      })),
    };
  },
});

/**
 * DKER-EE-002100: `HostConfig.CgroupParent` must be empty (the default Docker cgroup). The check text makes a
 * cgroup other than the SSP's a finding; a documented cgroup is an exemption.
 */
export const cgroupParentCheck: Check = linuxOnly(fieldCheck({
  stigId: 'DKER-EE-002100',
  title: 'cgroup usage must be confirmed in Docker Enterprise.',
  field: 'HostConfig.CgroupParent',
  expected: 'HostConfig.CgroupParent is empty (the default Docker cgroup), or the cgroup is documented in the SSP (an exemption)',
  excludesPlatformContainers: false,
  failing: 'run under a cgroup other than the default',
  decide: (value) => {
    if (typeof value !== 'string') return { invalid: 'expected a string' };
    return value === ''
      ? { verdict: 'pass', message: 'HostConfig.CgroupParent is empty: it runs under the default Docker cgroup.' }
      : { verdict: 'fail', message: `HostConfig.CgroupParent is ${show(value)}: it runs under a cgroup other than the default, which must be documented in the SSP.` };
  },
}));

/**
 * DKER-EE-004040: `HostConfig.Ulimits` must be empty: the daemon's default ulimits apply. An override is a
 * finding unless the SSP approves it (an exemption).
 */
export const ulimitOverrideCheck: Check = linuxOnly(fieldCheck({
  stigId: 'DKER-EE-004040',
  title: 'The Docker Enterprise default ulimit must not be overwritten at runtime unless approved in the System Security Plan (SSP).',
  field: 'HostConfig.Ulimits',
  expected: 'HostConfig.Ulimits is empty (no --ulimit), or the override is approved in the SSP (an exemption)',
  excludesPlatformContainers: false,
  failing: 'override the default ulimits',
  decide: (value) => {
    const ulimits = listOf(value);
    if (ulimits === undefined) return { invalid: 'expected null or a list of ulimits' };
    if (ulimits.length === 0) return { verdict: 'pass', message: `HostConfig.Ulimits is ${show(value)}: the default ulimits apply.` };
    const shown = ulimits.map((u) => {
      const l = (typeof u === 'object' && u !== null ? u : {}) as ApiObject;
      return `${String(l.Name ?? '?')}=${String(l.Soft ?? '?')}:${String(l.Hard ?? '?')}`;
    });
    return { verdict: 'fail', message: `HostConfig.Ulimits overrides the default ulimits: ${shown.join(', ')}; each override must be approved in the SSP.` };
  },
}));

/** The host resource rules. */
export const HOST_RESOURCE_CHECKS: readonly Check[] = [cpuSharesCheck, hostDevicesCheck, mountPropagationCheck, cgroupParentCheck, ulimitOverrideCheck];
