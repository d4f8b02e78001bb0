/**
 * Host namespace rules: a container must not share the host's network, PID, IPC, UTS or user
 * namespace. Each reads one `HostConfig.*Mode` field; the engine writes "" (or "private", "none", a
 * network name, "container:<id>") unless the container was started with `--<ns>=host`.
 */
import type { Check } from './check.js';
import { fieldCheck, show } from './container-rule.js';

interface NamespaceRule {
  stigId: string;
  title: string;
  field: string;
  namespace: string;
  option: string;
  excludesPlatformContainers: boolean;
}

function hostNamespaceCheck(rule: NamespaceRule): Check {
  return fieldCheck({
    stigId: rule.stigId,
    title: rule.title,
    field: rule.field,
    expected: `${rule.field} is not "host" (no ${rule.option}=host)`,
    excludesPlatformContainers: rule.excludesPlatformContainers,
    failing: `share the host's ${rule.namespace} namespace`,
    decide: (value) => {
      if (typeof value !== 'string') return { invalid: 'expected a string' };
      return value === 'host'
        ? { verdict: 'fail', message: `${rule.field} is "host": it shares the host's ${rule.namespace} namespace.` }
        : { verdict: 'pass', message: `${rule.field} is ${show(value)}: it does not share the host's ${rule.namespace} namespace.` };
    },
  });
}

/** DKER-EE-002000: `HostConfig.NetworkMode` must not be "host". */
export const hostNetworkCheck = hostNamespaceCheck({
  stigId: 'DKER-EE-002000',
  title: 'Docker Enterprise hosts network namespace must not be shared.',
  field: 'HostConfig.NetworkMode',
  namespace: 'network',
  option: '--network',
  excludesPlatformContainers: true,
});

/** DKER-EE-001240: `HostConfig.PidMode` must not be "host". */
export const hostPidCheck = hostNamespaceCheck({
  stigId: 'DKER-EE-001240',
  title: 'The Docker Enterprise hosts process namespace must not be shared.',
  field: 'HostConfig.PidMode',
  namespace: 'process (PID)',
  option: '--pid',
  excludesPlatformContainers: true,
});

/** DKER-EE-002060: `HostConfig.UTSMode` must not be "host" (the STIG command does not filter platform containers). */
export const hostUtsCheck = hostNamespaceCheck({
  stigId: 'DKER-EE-002060',
  title: 'The Docker Enterprise hosts UTS namespace must not be shared.',
  field: 'HostConfig.UTSMode',
  namespace: 'UTS',
  option: '--uts',
  excludesPlatformContainers: false,
});

/** DKER-EE-002120: `HostConfig.UsernsMode` must not be "host" (the STIG command does not filter platform containers). */
export const hostUserNamespaceCheck = hostNamespaceCheck({
  stigId: 'DKER-EE-002120',
  title: 'The Docker Enterprise hosts user namespace must not be shared.',
  field: 'HostConfig.UsernsMode',
  namespace: 'user',
  option: '--userns',
  excludesPlatformContainers: false,
});

/**
 * DKER-EE-001250: `HostConfig.IpcMode` must be neither "host" nor "shareable". The check text names
 * IpcMode="shareable" the finding; "host" shares the host's own IPC namespace, which the title and the fix
 * text (`--ipc=host`) are about. A "shareable" namespace may be joined by any other container
 * (`--ipc container:<id>`), so it fails too, as the text says; "private", "none" and "container:<id>" pass.
 */
export const hostIpcCheck: Check = fieldCheck({
  stigId: 'DKER-EE-001250',
  title: 'The Docker Enterprise hosts IPC namespace must not be shared.',
  field: 'HostConfig.IpcMode',
  expected: 'HostConfig.IpcMode is neither "host" (--ipc=host) nor "shareable" (the check text\'s finding)',
  excludesPlatformContainers: true,
  failing: 'share their IPC namespace',
  decide: (value) => {
    if (typeof value !== 'string') return { invalid: 'expected a string' };
    if (value === 'host') return { verdict: 'fail', message: `HostConfig.IpcMode is "host": it shares the host's IPC namespace.` };
    if (value === 'shareable') {
      return { verdict: 'fail', message: 'HostConfig.IpcMode is "shareable": other containers may join its IPC namespace, which the STIG check text names the finding.' };
    }
    return { verdict: 'pass', message: `HostConfig.IpcMode is ${show(value)}: it neither shares the host's IPC namespace nor offers its own to others.` };
  },
});

/** The host namespace rules. */
export const NAMESPACE_CHECKS: readonly Check[] = [hostNetworkCheck, hostPidCheck, hostIpcCheck, hostUtsCheck, hostUserNamespaceCheck];
