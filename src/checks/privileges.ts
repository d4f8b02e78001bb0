/**
 * Privilege rules: no privileged containers, and no capabilities added beyond the defaults.
 */
import type { Check } from './check.js';
import { fieldCheck, show } from './container-rule.js';

/**
 * DKER-EE-001960: `HostConfig.Privileged` must be false. The check command pipes `docker ps --quiet --all` (ids
 * only) into `grep -iv "ucp\|kube\|dtr"`, which can't match a hexadecimal id: it leaves no container out, so
 * neither does this rule.
 */
export const privilegedCheck: Check = fieldCheck({
  stigId: 'DKER-EE-001960',
  title: 'Privileged Linux containers must not be used for Docker Enterprise.',
  field: 'HostConfig.Privileged',
  expected: 'HostConfig.Privileged is false (no --privileged)',
  excludesPlatformContainers: false,
  failing: 'are privileged',
  decide: (value) => {
    if (typeof value !== 'boolean') return { invalid: 'expected a boolean' };
    return value
      ? { verdict: 'fail', message: 'HostConfig.Privileged is true: it has every kernel capability and host device.' }
      : { verdict: 'pass', message: 'HostConfig.Privileged is false.' };
  },
});

/**
 * DKER-EE-001950: capabilities must be limited to those the System Security Plan defines. Without an
 * SSP in the facts, any capability added with `--cap-add` (`HostConfig.CapAdd`) is a finding to be
 * justified (by an exemption or attestation); null or [] adds nothing. Dropped capabilities only
 * restrict a container and never fail.
 */
export const addedCapabilitiesCheck: Check = fieldCheck({
  stigId: 'DKER-EE-001950',
  title:
    'Linux Kernel capabilities must be restricted within containers as defined in the System Security Plan (SSP) for Docker Enterprise.',
  field: 'HostConfig.CapAdd',
  expected: 'HostConfig.CapAdd is empty (no --cap-add beyond what the SSP defines)',
  excludesPlatformContainers: false,
  failing: 'add kernel capabilities',
  decide: (value) => {
    if (value === null) return { verdict: 'pass', message: 'HostConfig.CapAdd is null: it adds no capabilities.' };
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return { invalid: 'expected null or a list of strings' };
    return value.length === 0
      ? { verdict: 'pass', message: 'HostConfig.CapAdd is empty: it adds no capabilities.' }
      : { verdict: 'fail', message: `HostConfig.CapAdd is ${show(value)}: added capabilities must be ones the SSP defines.` };
  },
});

/** The privilege rules. */
export const PRIVILEGE_CHECKS: readonly Check[] = [privilegedCheck, addedCapabilitiesCheck];
