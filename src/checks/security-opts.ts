/**
 * Security option rules read `HostConfig.SecurityOpt` (null when none was given): the default seccomp
 * profile must not be disabled, and no-new-privileges must be set. Options are parsed the way the
 * engine does: `key=value`, or the legacy `key:value`; a bare `no-new-privileges` means true.
 */
import type { Check } from './check.js';
import { fieldCheck, show } from './container-rule.js';

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

/** DKER-EE-002070: no `seccomp=unconfined` (or `seccomp:unconfined`) in `HostConfig.SecurityOpt`. */
export const seccompCheck: Check = fieldCheck({
  stigId: 'DKER-EE-002070',
  title: 'The Docker Enterprise default seccomp profile must not be disabled.',
  field: 'HostConfig.SecurityOpt',
  expected: 'HostConfig.SecurityOpt has no seccomp=unconfined',
  excludesPlatformContainers: true,
  failing: 'run without a seccomp profile',
  decide: (value) => {
    const opts = securityOptions(value);
    if (opts === undefined) return { invalid: 'expected null or a list of strings' };
    const unconfined = opts.some((o) => o.key === 'seccomp' && o.value?.trim().toLowerCase() === 'unconfined');
    return unconfined
      ? { verdict: 'fail', message: `HostConfig.SecurityOpt is ${show(value)}: seccomp is unconfined.` }
      : { verdict: 'pass', message: `HostConfig.SecurityOpt is ${show(value)}: seccomp is not disabled.` };
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
