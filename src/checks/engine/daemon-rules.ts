/**
 * Daemon rules: the API socket, insecure registries, the storage driver, the userland proxy and
 * experimental features. What /info and /version report (the daemon's effective configuration) decides
 * where it can; the TCP socket and the userland proxy are not in /info, so they are read from the daemon
 * part (the dockerd command line and daemon.json).
 */
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { boolSetting, configSources, daemonHosts, hostScheme } from './daemon-config.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from './engine-rule.js';
import { describeContainers, ucpContainers } from './platform.js';

/**
 * DKER-EE-001050: no TCP socket without TLS verification. The check text makes `-H tcp://` a finding;
 * its discussion says a TCP socket with TLS verification "inherently meets" the control, that it is not
 * applicable to the FD socket type (systemd socket activation, `-H fd://`), and that TCP binding "should
 * be disabled when running Engine as part of a UCP cluster". So: only unix sockets pass, fd:// sockets
 * without a tcp host are not applicable;
 * a tcp host passes with `tlsverify` on a node outside UCP and fails otherwise. Hosts come from every
 * -H/--host flag and daemon.json `hosts`; an address without a scheme is tcp, as dockerd reads it.
 */
export const tcpSocketCheck: Check = engineCheck({
  stigId: 'DKER-EE-001050',
  title: 'TCP socket binding for all Docker Engine - Enterprise nodes in a Universal Control Plane (UCP) cluster must be disabled.',
  expected: 'no tcp:// host in -H/--host or daemon.json "hosts", or only with tlsverify on a node outside a UCP cluster',
  judge: (facts): EngineDecision => {
    const part = requirePart(facts, 'daemon');
    if ('outcome' in part) return part;
    const hosts = daemonHosts(part.data);
    if (!Array.isArray(hosts)) return hosts;
    const tcp = hosts.filter((h) => hostScheme(h.value) === 'tcp');
    const fd = hosts.filter((h) => hostScheme(h.value) === 'fd');
    if (tcp.length === 0 && fd.length > 0) {
      return {
        notApplicable: `dockerd takes its sockets from systemd (${fd.map((h) => h.value).join(', ')}); the STIG's discussion makes the control not applicable to the FD socket type (the socket unit's ListenStream says what it listens on).`,
        judgements: [{ field: 'cmdline --host', value: hosts.map((h) => h.value), verdict: 'pass', message: `dockerd listens on ${hosts.map((h) => h.value).join(', ')}.` }],
      };
    }
    if (tcp.length === 0) {
      const listening = hosts.length === 0 ? 'the default unix socket (no -H/--host flag, no daemon.json "hosts")' : hosts.map((h) => h.value).join(', ');
      return { judgements: [{ field: 'cmdline --host', value: hosts.map((h) => h.value), verdict: 'pass', message: `dockerd listens on ${listening}: no TCP socket.` }] };
    }
    const tls = boolSetting(part.data, 'tlsverify');
    if (tls !== undefined && 'invalid' in tls) return { invalid: tls.invalid };
    const verified = tls?.value === true;
    const ucp = ucpContainers(facts);
    const tlsJudgement: EngineJudgement = {
      field: tls?.field ?? 'cmdline --tlsverify',
      value: tls?.value ?? null,
      verdict: verified ? 'pass' : 'fail',
      message: verified
        ? `TLS verification of clients is on (${tls?.field}).`
        : `TLS verification of clients is off: neither --tlsverify nor daemon.json "tlsverify" is true (${configSources(part.data)}; DOCKER_TLS_VERIFY in dockerd's environment is not visible).`,
    };
    const hostJudgements = tcp.map((h): EngineJudgement => {
      if (!verified) return { field: h.field, value: h.value, verdict: 'fail', message: `dockerd listens on ${h.value} without TLS verification: anyone reaching it controls the engine.` };
      if (ucp.length > 0) {
        return { field: h.field, value: h.value, verdict: 'fail', message: `dockerd listens on ${h.value} (TLS verified) on a node of a UCP cluster (${describeContainers(ucp)}), where TCP binding must be disabled.` };
      }
      return { field: h.field, value: h.value, verdict: 'pass', message: `dockerd listens on ${h.value} with TLS verification, which the STIG says meets the control outside a UCP cluster.` };
    });
    return { judgements: [...hostJudgements, tlsJudgement] };
  },
});

/** The insecure registry CIDR dockerd always adds; it can't be removed, so it is no finding. */
export const DEFAULT_INSECURE_CIDRS: readonly string[] = ['127.0.0.0/8', '::1/128'];

/**
 * DKER-EE-001800: no insecure registry. /info's RegistryConfig holds the effective list, whether given by
 * `--insecure-registry` (which the check text greps for) or daemon.json `insecure-registries`: a CIDR
 * there beyond the loopback default, or an index configured with `Secure: false`, fails.
 */
export const insecureRegistryCheck: Check = engineCheck({
  stigId: 'DKER-EE-001800',
  title: 'The insecure registry capability in the Docker Engine - Enterprise component of Docker Enterprise must be disabled.',
  expected: `info.RegistryConfig.InsecureRegistryCIDRs holds only ${DEFAULT_INSECURE_CIDRS.join(' / ')} and no IndexConfigs entry has Secure false`,
  judge: (facts): EngineDecision => {
    const cidrs = readField(facts.info, 'RegistryConfig.InsecureRegistryCIDRs');
    const indexes = readField(facts.info, 'RegistryConfig.IndexConfigs');
    if (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== 'string')) return { invalid: `info.RegistryConfig.InsecureRegistryCIDRs is ${show(cidrs)}: expected a list of CIDRs` };
    if (typeof indexes !== 'object' || indexes === null || Array.isArray(indexes)) return { invalid: `info.RegistryConfig.IndexConfigs is ${show(indexes)}: expected an object` };
    const judgements: EngineJudgement[] = [];
    for (const cidr of cidrs as string[]) {
      if (DEFAULT_INSECURE_CIDRS.includes(cidr)) continue;
      judgements.push({ field: 'info.RegistryConfig.InsecureRegistryCIDRs', value: cidr, verdict: 'fail', message: `Registries in ${cidr} are trusted over plain HTTP or unverified TLS.` });
    }
    for (const [name, index] of Object.entries(indexes as ApiObject)) {
      const secure = readField((index ?? {}) as ApiObject, 'Secure');
      const field = `info.RegistryConfig.IndexConfigs[${JSON.stringify(name)}].Secure`;
      if (typeof secure !== 'boolean') return { invalid: `${field} is ${show(secure)}: expected a boolean` };
      if (!secure) judgements.push({ field, value: secure, verdict: 'fail', message: `Registry ${name} is configured as insecure.` });
    }
    if (judgements.length > 0) return { judgements };
    return {
      judgements: [
        {
          field: 'info.RegistryConfig',
          value: { InsecureRegistryCIDRs: cidrs, IndexConfigs: Object.keys(indexes as ApiObject) },
          verdict: 'pass',
          message: `No insecure registry is configured (insecure CIDRs: ${(cidrs as string[]).join(', ') || 'none'}, the loopback default; every index is secure).`,
        },
      ],
    };
  },
});

/** DKER-EE-001810: on Linux, `info.Driver` must not be aufs (the check text: "contains *aufs"). */
export const storageDriverCheck: Check = engineCheck({
  stigId: 'DKER-EE-001810',
  title: 'On Linux, a non-AUFS storage driver in the Docker Engine - Enterprise component of Docker Enterprise must be used.',
  expected: 'info.Driver is not aufs',
  judge: (facts): EngineDecision => {
    const os = readField(facts.info, 'OSType');
    const driver = readField(facts.info, 'Driver');
    if (typeof os !== 'string') return { invalid: `info.OSType is ${show(os)}: expected a string` };
    if (os !== 'linux') {
      return { notApplicable: `The engine runs on ${os}; the rule applies on Linux only.`, judgements: [{ field: 'info.OSType', value: os, verdict: 'pass', message: `The engine's OS type is ${os}.` }] };
    }
    if (typeof driver !== 'string' || driver === '') return { invalid: `info.Driver is ${show(driver)}: expected the storage driver's name` };
    const aufs = /aufs/i.test(driver);
    return {
      judgements: [
        {
          field: 'info.Driver',
          value: driver,
          verdict: aufs ? 'fail' : 'pass',
          message: aufs ? `The storage driver is ${driver}.` : `The storage driver is ${driver}, not AUFS.`,
        },
      ],
    };
  },
});

/**
 * DKER-EE-001830: the userland proxy must be disabled (`--userland-proxy=false` or daemon.json
 * `"userland-proxy": false`); it is enabled by default. The rule applies only outside a UCP cluster
 * (check text; the discussion marks it as needed by UCP and DTR).
 */
export const userlandProxyCheck: Check = engineCheck({
  stigId: 'DKER-EE-001830',
  title: 'The userland proxy capability in the Docker Engine - Enterprise component of Docker Enterprise must be disabled.',
  expected: '--userland-proxy=false or daemon.json "userland-proxy": false',
  judge: (facts): EngineDecision => {
    const ucp = ucpContainers(facts);
    if (ucp.length > 0) {
      return {
        notApplicable: `The node is part of a UCP cluster (${describeContainers(ucp)}); the rule applies only to engines outside one.`,
        judgements: [{ field: 'containers', value: ucp.map((c) => c.name), verdict: 'pass', message: `UCP containers run on the node: ${describeContainers(ucp)}.` }],
      };
    }
    const part = requirePart(facts, 'daemon');
    if ('outcome' in part) return part;
    const setting = boolSetting(part.data, 'userland-proxy');
    if (setting !== undefined && 'invalid' in setting) return { invalid: setting.invalid };
    if (setting === undefined) {
      return {
        judgements: [
          {
            field: 'cmdline --userland-proxy',
            value: null,
            verdict: 'fail',
            message: `Neither the command line nor daemon.json sets userland-proxy, so the userland proxy is enabled (the default; ${configSources(part.data)}).`,
          },
        ],
      };
    }
    return {
      judgements: [
        {
          field: setting.field,
          value: setting.value,
          verdict: setting.value ? 'fail' : 'pass',
          message: setting.value ? `The userland proxy is enabled (${setting.field} is true).` : `The userland proxy is disabled (${setting.field} is false).`,
        },
      ],
    };
  },
});

/**
 * DKER-EE-001840: experimental features must be off. The check text reads `docker version`'s
 * Server.Experimental; the API reports it as /version `Experimental` (omitted when false: Go `omitempty`) and
 * /info `ExperimentalBuild` (always present, so required). The Engine component's `Details.Experimental` in
 * /version repeats the same flag and is not read.
 */
export const experimentalCheck: Check = engineCheck({
  stigId: 'DKER-EE-001840',
  title: 'Experimental features in the Docker Engine - Enterprise component of Docker Enterprise must be disabled.',
  expected: 'info.ExperimentalBuild is false and /version reports Experimental false (or omits it)',
  judge: (facts: NodeFacts): EngineDecision => {
    const build = readField(facts.info, 'ExperimentalBuild');
    if (typeof build !== 'boolean') return { invalid: `info.ExperimentalBuild is ${show(build)}: expected a boolean` };
    const judgements: EngineJudgement[] = [
      { field: 'info.ExperimentalBuild', value: build, verdict: build ? 'fail' : 'pass', message: `info.ExperimentalBuild is ${build}.` },
    ];
    const top = readField(facts.version, 'Experimental');
    if (top !== null) {
      if (typeof top !== 'boolean') return { invalid: `version.Experimental is ${show(top)}: expected a boolean` };
      judgements.push({ field: 'version.Experimental', value: top, verdict: top ? 'fail' : 'pass', message: `version.Experimental is ${top}.` });
    }
    return { judgements };
  },
  summarize: (status, judgements) =>
    status === 'fail'
      ? `Experimental features are enabled: ${judgements.filter((j) => j.verdict === 'fail').map((j) => `${j.field} is ${show(j.value)}`).join(', ')}.`
      : `Experimental features are disabled: ${judgements.map((j) => `${j.field} is ${show(j.value)}`).join(', ')}.`,
});

/** The daemon rules. */
export const DAEMON_CHECKS: readonly Check[] = [tcpSocketCheck, insecureRegistryCheck, storageDriverCheck, userlandProxyCheck, experimentalCheck];
