/**
 * Mandatory access control rules: on an AppArmor host every container needs an AppArmor profile; on an
 * SELinux host no container may switch SELinux labelling off. Whether the host runs AppArmor or SELinux is
 * read from the engine's `GET /info` → `SecurityOptions` (`name=apparmor`, `name=selinux`), which the engine
 * reports only when the module is enabled and, for SELinux, the daemon runs with `--selinux-enabled`. On any
 * other host the rule is not applicable, with that evidence.
 */
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import type { Observation } from '../../domain/results.js';
import type { Check } from '../check.js';
import { show, type JudgeResult } from '../container-rule.js';
import { hasField, labelField, readField } from '../evidence.js';
import { parseSecurityOpt } from '../security-opts.js';
import { daemonTargetOf, gatedContainerCheck, type GateResult } from './gated.js';

/** The module names of `info.SecurityOptions` (`name=seccomp,profile=default` → `seccomp`; old engines list bare names). */
export function securityModules(value: unknown): string[] | undefined {
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value.map((entry: string) => {
    const name = entry.split(',').find((kv) => kv.trim().startsWith('name='));
    return (name === undefined ? entry.split(',')[0] ?? '' : name.trim().slice('name='.length)).trim().toLowerCase();
  });
}

/** A gate: the rule applies when the engine reports the security module `module` as enabled. */
function moduleGate(facts: NodeFacts, module: string, label: string, applies: string): GateResult<null> {
  const field = 'info.SecurityOptions';
  if (!hasField(facts.info, 'SecurityOptions')) {
    return { outcome: { status: 'error', message: `GET /info of ${facts.nodeName} has no SecurityOptions: cannot tell whether ${label} is enabled.`, observations: [] } };
  }
  const value = readField(facts.info, 'SecurityOptions');
  const modules = securityModules(value);
  if (modules === undefined) {
    return { outcome: { status: 'error', message: `GET /info of ${facts.nodeName} has SecurityOptions ${show(value)}: expected a list of strings.`, observations: [] } };
  }
  const os = labelField(facts.info, 'OperatingSystem');
  const on = ` (${typeof os === 'string' ? os : 'unknown OS'})`;
  const evidence = (message: string): Observation => ({
    target: daemonTargetOf(facts),
    field,
    value,
    expected: `name=${module} in info.SecurityOptions when ${label} is in use`,
    verdict: 'pass',
    message,
    collectedAt: facts.collectedAt,
  });
  if (!modules.includes(module)) {
    const message = `${label} is not enabled on ${facts.nodeName}${on}: info.SecurityOptions is ${show(value)}, without name=${module}; the rule applies ${applies}.`;
    return { outcome: { status: 'not-applicable', message, observations: [evidence(message)] } };
  }
  return { context: null, evidence: [evidence(`${label} is enabled on ${facts.nodeName}${on}: info.SecurityOptions lists name=${module}.`)] };
}

/**
 * DKER-EE-001930: on an AppArmor host, every container (running or stopped, as `docker ps --all`) must
 * have an AppArmor profile: `AppArmorProfile` not empty and not `unconfined`. The STIG limits the rule to
 * Ubuntu; it is applied on every host whose engine reports AppArmor. That the named profile is loaded in
 * enforce mode is not visible through the engine API.
 */
export const appArmorProfileCheck: Check = gatedContainerCheck<null>({
  stigId: 'DKER-EE-001930',
  title: 'An appropriate AppArmor profile must be enabled on Ubuntu systems for Docker Enterprise.',
  requiredFields: ['AppArmorProfile'],
  expected: 'AppArmorProfile names a profile (docker-default or a custom one), not "unconfined" and not empty',
  excludesPlatformContainers: false,
  failing: 'run without an AppArmor profile',
  gate: (facts) => moduleGate(facts, 'apparmor', 'AppArmor', 'to hosts that use AppArmor (the STIG: Ubuntu)'),
  judge: () => (inspect): JudgeResult => {
    const value = readField(inspect, 'AppArmorProfile');
    if (typeof value !== 'string') return { invalid: `AppArmorProfile is ${show(value)}: expected a string` };
    const field = 'AppArmorProfile';
    if (value === '') {
      return { judgements: [{ field, value, verdict: 'fail', message: 'AppArmorProfile is empty: it runs without an AppArmor profile (it was created while the engine had AppArmor off).' }] };
    }
    if (value === 'unconfined') {
      const why = readField(inspect, 'HostConfig.Privileged') === true ? ' (it is privileged, which always runs unconfined)' : ' (--security-opt apparmor=unconfined)';
      return { judgements: [{ field, value, verdict: 'fail', message: `AppArmorProfile is "unconfined": AppArmor does not confine it${why}.` }] };
    }
    return { judgements: [{ field, value, verdict: 'pass', message: `AppArmorProfile is ${show(value)}.` }] };
  },
});

/** True when a SecurityOpt list switches SELinux labelling off (`label=disable`, or the legacy `label:disable`). */
function disablesLabels(opts: string[]): boolean {
  return opts.map(parseSecurityOpt).some((o) => o.key === 'label' && o.value?.trim().toLowerCase() === 'disable');
}

/**
 * DKER-EE-001940: on an SELinux host, no container (platform containers left out, as the STIG command does)
 * may have `label=disable` in `HostConfig.SecurityOpt`, the check text's finding. The engine adds
 * `label=disable` itself to privileged containers and those sharing the host's PID or IPC namespace. Any
 * other container runs with the SELinux labels of its `label=…` options or the daemon's defaults
 * (`ProcessLabel`, shown in the evidence).
 */
export const seLinuxOptionsCheck: Check = gatedContainerCheck<null>({
  stigId: 'DKER-EE-001940',
  title: 'SELinux security options must be set on Red Hat or CentOS systems for Docker Enterprise.',
  requiredFields: ['HostConfig.SecurityOpt'],
  expected: 'HostConfig.SecurityOpt has no label=disable',
  excludesPlatformContainers: true,
  failing: 'run with SELinux labelling disabled',
  gate: (facts) => moduleGate(facts, 'selinux', 'SELinux', 'to hosts that use SELinux (the STIG: RHEL or CentOS) with the daemon started with --selinux-enabled'),
  judge: () => (inspect: ApiObject): JudgeResult => {
    const value = readField(inspect, 'HostConfig.SecurityOpt');
    if (value !== null && (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))) {
      return { invalid: `HostConfig.SecurityOpt is ${show(value)}: expected null or a list of strings` };
    }
    const opts = (value ?? []) as string[];
    const label = labelField(inspect, 'ProcessLabel');
    const field = 'HostConfig.SecurityOpt';
    if (disablesLabels(opts)) {
      const privileged = readField(inspect, 'HostConfig.Privileged') === true ? ' (the engine adds it to privileged containers)' : '';
      return { judgements: [{ field, value, verdict: 'fail', message: `HostConfig.SecurityOpt is ${show(value)}: SELinux labelling is disabled${privileged}.` }] };
    }
    const running = typeof label === 'string' && label !== '' ? `; its process label is ${label}` : '';
    return { judgements: [{ field, value, verdict: 'pass', message: `HostConfig.SecurityOpt is ${show(value)}: SELinux labelling is not disabled${running}.` }] };
  },
});

/** The AppArmor and SELinux rules. */
export const MAC_CHECKS: readonly Check[] = [appArmorProfileCheck, seLinuxOptionsCheck];
