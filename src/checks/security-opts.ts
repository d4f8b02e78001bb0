/**
 * Security option rules read `HostConfig.SecurityOpt` (null when none was given): the default seccomp
 * profile must not be disabled, and no-new-privileges must be set. Options are parsed the way the
 * engine does: `key=value`, or the legacy `key:value`; a bare `no-new-privileges` means true.
 */
import type { Check } from './check.js';
import { containerCheck, fieldCheck, show, type JudgeResult } from './container-rule.js';
import { readField } from './evidence.js';

export interface SecurityOption {
  key: string;
  /** Undefined for a bare option such as `no-new-privileges`. */
  value?: string;
}

/** Splits one security option like the engine: on the first `=`, else on the first `:`. */
export function parseSecurityOpt(opt: string): SecurityOption {
  const trimmed = opt.trim();
  const sep = trimmed.includes('=') ? '=' : trimmed.includes(':') ? ':' : undefined;
  if (sep === undefined) return { key: trimmed };
  const i = trimmed.indexOf(sep);
  return { key: trimmed.slice(0, i), value: trimmed.slice(i + 1) };
}

/** The options of a SecurityOpt value; undefined when it is neither null nor a list of strings. */
function securityOptions(value: unknown): SecurityOption[] | undefined {
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value.map(parseSecurityOpt);
}

/** Go's strconv.ParseBool, which the engine uses for `no-new-privileges=<bool>`. */
function goBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * DKER-EE-002070: no `seccomp=unconfined` (or `seccomp:unconfined`) in `HostConfig.SecurityOpt`, and not
 * privileged: the engine runs a privileged container without any seccomp profile, whatever SecurityOpt says
 * (Docker's seccomp documentation: "--privileged … disables seccomp"), so it runs as unconfined as the
 * check text's finding.
 */
export const seccompCheck: Check = containerCheck({
  stigId: 'DKER-EE-002070',
  title: 'The Docker Enterprise default seccomp profile must not be disabled.',
  requiredFields: ['HostConfig.SecurityOpt', 'HostConfig.Privileged'],
  expected: 'HostConfig.SecurityOpt has no seccomp=unconfined, and HostConfig.Privileged is false (privileged disables seccomp)',
  excludesPlatformContainers: true,
  failing: 'run without a seccomp profile',
  judge: (inspect): JudgeResult => {
    const value = readField(inspect, 'HostConfig.SecurityOpt');
    const privileged = readField(inspect, 'HostConfig.Privileged');
    const opts = securityOptions(value);
    if (opts === undefined) return { invalid: `HostConfig.SecurityOpt is ${show(value)}: expected null or a list of strings` };
    if (typeof privileged !== 'boolean') return { invalid: `HostConfig.Privileged is ${show(privileged)}: expected a boolean` };
    if (privileged) {
      return { judgements: [{ field: 'HostConfig.Privileged', value: true, verdict: 'fail', message: 'HostConfig.Privileged is true: the engine disables seccomp for privileged containers, so it runs unconfined.' }] };
    }
    const unconfined = opts.some((o) => o.key === 'seccomp' && o.value?.trim().toLowerCase() === 'unconfined');
    return {
      judgements: [
        unconfined
          ? { field: 'HostConfig.SecurityOpt', value, verdict: 'fail', message: `HostConfig.SecurityOpt is ${show(value)}: seccomp is unconfined.` }
          : { field: 'HostConfig.SecurityOpt', value, verdict: 'pass', message: `HostConfig.SecurityOpt is ${show(value)} and it is not privileged: seccomp is not disabled.` },
      ],
    };
  },
});

/** DKER-EE-002110: `HostConfig.SecurityOpt` must set no-new-privileges (bare, `=true` or `:true`; the last one wins). */
export const noNewPrivilegesCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002110',
  title: 'All Docker Enterprise containers must be restricted from acquiring additional privileges.',
  field: 'HostConfig.SecurityOpt',
  expected: 'HostConfig.SecurityOpt includes no-new-privileges',
  excludesPlatformContainers: false,
  failing: 'may acquire additional privileges',
  decide: (value) => {
    const opts = securityOptions(value);
    if (opts === undefined) return { invalid: 'expected null or a list of strings' };
    let enabled = false;
    for (const o of opts) {
      if (o.key !== 'no-new-privileges') continue;
      // The engine refuses unparseable values, so one here can only mean "not set".
      enabled = o.value === undefined ? true : goBool(o.value.trim()) === true;
    }
    return enabled
      ? { verdict: 'pass', message: `HostConfig.SecurityOpt is ${show(value)}: no-new-privileges is set.` }
      : { verdict: 'fail', message: `HostConfig.SecurityOpt is ${show(value)}: no-new-privileges is not set.` };
  },
});

/** The security option rules. */
export const SECURITY_OPT_CHECKS: readonly Check[] = [seccompCheck, noNewPrivilegesCheck];
