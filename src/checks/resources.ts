/**
 * Resource limit rules: every container needs a memory limit and a PIDs cgroup limit. The engine
 * reports no memory limit as `HostConfig.Memory` 0 and no PIDs limit as null (or 0 / -1).
 */
import type { Check } from './check.js';
import { fieldCheck, show } from './container-rule.js';

/** DKER-EE-002010: `HostConfig.Memory` (bytes) must be greater than 0. */
export const memoryLimitCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002010',
  title: 'Memory usage for all containers must be limited in Docker Enterprise.',
  field: 'HostConfig.Memory',
  expected: 'HostConfig.Memory > 0 (a --memory limit)',
  excludesPlatformContainers: false,
  failing: 'have no memory limit',
  decide: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { invalid: 'expected a number of bytes' };
    return value > 0
      ? { verdict: 'pass', message: `HostConfig.Memory is ${value}: memory is limited to ${value} bytes.` }
      : { verdict: 'fail', message: `HostConfig.Memory is ${value}: memory is not limited.` };
  },
});

/** DKER-EE-002780: `HostConfig.PidsLimit` must be greater than 0 (null, 0 and -1 mean unlimited). */
export const pidsLimitCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002780',
  title: 'PIDs cgroup limits must be used in Docker Enterprise.',
  field: 'HostConfig.PidsLimit',
  expected: 'HostConfig.PidsLimit > 0 (a --pids-limit)',
  excludesPlatformContainers: false,
  failing: 'have no PIDs limit',
  decide: (value) => {
    if (value === null) return { verdict: 'fail', message: 'HostConfig.PidsLimit is null: the number of processes is not limited.' };
    if (typeof value !== 'number' || !Number.isFinite(value)) return { invalid: 'expected null or a number' };
    return value > 0
      ? { verdict: 'pass', message: `HostConfig.PidsLimit is ${value}.` }
      : { verdict: 'fail', message: `HostConfig.PidsLimit is ${show(value)}: the number of processes is not limited.` };
  },
});

/** The resource limit rules. */
export const RESOURCE_CHECKS: readonly Check[] = [memoryLimitCheck, pidsLimitCheck];
