/**
 * Logging rules: the daemon's default log driver must ship logs off the host, and where logs stay on
 * the host (json-file, local) their rotation must be bounded with max-size and max-file. The effective
 * driver is /info's LoggingDriver (set by --log-driver or daemon.json "log-driver"); log options come
 * from the daemon part (daemon.json "log-opts" and every --log-opt).
 */
import type { NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { configSources, jsonField, logOption } from './daemon-config.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from './engine-rule.js';

/** Built-in drivers that keep logs on the host (or drop them). */
export const LOCAL_LOG_DRIVERS: readonly string[] = ['json-file', 'local', 'journald', 'none', 'etwlogs'];
/** The drivers the STIG names ("syslog", "awslogs", "splunk", "gcplogs", "logentries"). */
export const STIG_REMOTE_LOG_DRIVERS: readonly string[] = ['syslog', 'awslogs', 'splunk', 'gcplogs', 'logentries'];
/** Built-in drivers the STIG does not name that, like those, send every line to a collector. */
export const OTHER_REMOTE_LOG_DRIVERS: readonly string[] = ['fluentd', 'gelf'];

export type LogDriverKind = 'local' | 'remote' | 'plugin';

/** Whether a log driver keeps logs on the host, sends them to a collector, or is a third-party plugin. */
export function logDriverKind(driver: string): LogDriverKind {
  if (LOCAL_LOG_DRIVERS.includes(driver)) return 'local';
  if (STIG_REMOTE_LOG_DRIVERS.includes(driver) || OTHER_REMOTE_LOG_DRIVERS.includes(driver)) return 'remote';
  return 'plugin';
}

/**
 * /info's LoggingDriver, or the invalid decision. A driver Plimsoll does not know is a third-party logging
 * plugin only when the engine lists it among its log drivers (`info.Plugins.Log`, which holds the built-in
 * drivers and the enabled logging plugins); otherwise what it is can't be told, and the rule can't be decided.
 */
function loggingDriver(facts: NodeFacts): string | { invalid: string } {
  const driver = readField(facts.info, 'LoggingDriver');
  if (typeof driver !== 'string' || driver === '') return { invalid: `info.LoggingDriver is ${show(driver)}: expected the default log driver's name` };
  if (logDriverKind(driver) !== 'plugin') return driver;
  const listed = readField(facts.info, 'Plugins.Log');
  if (!Array.isArray(listed)) return { invalid: `the default log driver ${driver} is not a built-in one, and info.Plugins.Log is ${show(listed)}: whether it is an enabled logging plugin is unknown` };
  if (!listed.includes(driver)) {
    return { invalid: `the default log driver ${driver} is neither a built-in driver nor among the engine's log drivers (info.Plugins.Log: ${listed.map(String).join(', ')})` };
  }
  return driver;
}

function driverJudgement(driver: string, verdict: 'pass' | 'fail', message: string): EngineJudgement {
  return { field: 'info.LoggingDriver', value: driver, verdict, message };
}

/**
 * DKER-EE-003230: a log driver that collects events off the host must be configured: one the STIG names
 * or a third-party plugin. fluentd and gelf, which the STIG does not name, pass too: they send every line
 * to a collector as syslog does. json-file, local, journald and none keep logs on the host (or drop them).
 */
export const logDriverCheck: Check = engineCheck({
  stigId: 'DKER-EE-003230',
  title:
    'An appropriate Docker Engine - Enterprise log driver plugin must be configured to collect audit events from Universal Control Plane (UCP) and Docker Trusted Registry (DTR).',
  expected: `info.LoggingDriver is ${STIG_REMOTE_LOG_DRIVERS.join(', ')}, ${OTHER_REMOTE_LOG_DRIVERS.join(', ')} or a logging plugin`,
  judge: (facts): EngineDecision => {
    const driver = loggingDriver(facts);
    if (typeof driver !== 'string') return driver;
    switch (logDriverKind(driver)) {
      case 'local':
        return { judgements: [driverJudgement(driver, 'fail', `The default log driver is ${driver}, which keeps logs on the host${driver === 'none' ? ' (none drops them)' : ''}.`)] };
      case 'remote':
        return {
          judgements: [
            driverJudgement(
              driver,
              'pass',
              STIG_REMOTE_LOG_DRIVERS.includes(driver)
                ? `The default log driver is ${driver}, one the STIG names.`
                : `The default log driver is ${driver}; the STIG does not name it, but like syslog it sends every line to a collector.`,
            ),
          ],
        };
      case 'plugin':
        return { judgements: [driverJudgement(driver, 'pass', `The default log driver is the logging plugin ${driver} (listed in info.Plugins.Log).`)] };
    }
  },
});

/** The log option that names where each address-taking driver sends logs, and where it sends without it. */
const DESTINATION_OPTION: Readonly<Record<string, { option: string; withoutIt: string }>> = {
  syslog: { option: 'syslog-address', withoutIt: "the host's own syslog socket" },
  fluentd: { option: 'fluentd-address', withoutIt: 'a fluentd agent at localhost:24224 (the default)' },
  gelf: { option: 'gelf-address', withoutIt: 'nowhere (gelf needs gelf-address)' },
  splunk: { option: 'splunk-url', withoutIt: 'nowhere (splunk needs splunk-url)' },
};

/** Drivers that send to a hosted service by design. */
const CLOUD_DRIVERS: readonly string[] = ['awslogs', 'gcplogs', 'logentries'];

/** The host a log destination names, or undefined for a local socket (unix://, unixgram://). */
export function destinationHost(address: string): string | undefined {
  const withScheme = address.includes('://') ? address : `tcp://${address}`;
  const scheme = withScheme.slice(0, withScheme.indexOf('://')).toLowerCase();
  if (scheme === 'unix' || scheme === 'unixgram') return undefined;
  try {
    return new URL(withScheme.replace(/^[^:]+:\/\//, 'http://')).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return address;
  }
}

/** True for a destination on the host itself: a local socket or a loopback address. */
export function isLocalDestination(address: string): boolean {
  const host = destinationHost(address);
  return host === undefined || host === '' || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * DKER-EE-003320: logs must go to a remote aggregation server. A local driver fails; awslogs, gcplogs
 * and logentries send to their hosted service; syslog, fluentd, gelf and splunk must name a destination
 * off the host in their log option (syslog-address, fluentd-address, gelf-address, splunk-url). A local
 * socket or loopback relay fails: the Docker configuration then names no aggregation server, and whether
 * the relay forwards is for a reviewer (an exemption records that). A third-party plugin passes, as the
 * STIG allows one; its destination is plugin-specific.
 */
export const remoteLoggingCheck: Check = engineCheck({
  stigId: 'DKER-EE-003320',
  title: 'All Docker Engine - Enterprise nodes must be configured with a log driver plugin that sends logs to a remote log aggregation system (SIEM).',
  expected: 'a log driver sending to a destination off the host (syslog-address, fluentd-address, gelf-address or splunk-url not local; awslogs, gcplogs, logentries; or a plugin)',
  judge: (facts): EngineDecision => {
    const driver = loggingDriver(facts);
    if (typeof driver !== 'string') return driver;
    const kind = logDriverKind(driver);
    if (kind === 'local') return { judgements: [driverJudgement(driver, 'fail', `The default log driver is ${driver}, which sends nothing to an aggregation server.`)] };
    if (kind === 'plugin') {
      // Where a third-party plugin sends logs is in its own settings, which the engine does not report.
      return {
        invalid: `the default log driver is the logging plugin ${driver}, whose destination is in the plugin's own settings, not in the Engine API: show the SIEM destination with an attestation`,
        judgements: [driverJudgement(driver, 'pass', `The default log driver is the logging plugin ${driver} (listed in info.Plugins.Log).`)],
      };
    }
    if (CLOUD_DRIVERS.includes(driver)) return { judgements: [driverJudgement(driver, 'pass', `The default log driver ${driver} sends logs to its hosted service.`)] };
    const destination = DESTINATION_OPTION[driver];
    if (destination === undefined) return { invalid: `no destination rule for the log driver ${driver}` };
    const part = requirePart(facts, 'daemon');
    if ('outcome' in part) return part;
    const address = logOption(part.data, destination.option);
    if ('invalid' in address) return { invalid: address.invalid };
    const judgements: EngineJudgement[] = [driverJudgement(driver, 'pass', `The default log driver is ${driver}.`)];
    if ('absent' in address) {
      judgements.push({
        field: jsonField('log-opts', destination.option),
        value: null,
        verdict: 'fail',
        message: `No ${destination.option} is set (${configSources(part.data)}), so ${driver} sends to ${destination.withoutIt}: no remote aggregation server is configured.`,
      });
    } else if (isLocalDestination(address.value)) {
      judgements.push({
        field: address.field,
        value: address.value,
        verdict: 'fail',
        message: `${destination.option} ${address.value} is on the host itself: the Docker configuration names no remote aggregation server (if that relay forwards to one, record it with an exemption).`,
      });
    } else {
      judgements.push({ field: address.field, value: address.value, verdict: 'pass', message: `${destination.option} is ${address.value}, off the host.` });
    }
    return { judgements };
  },
});

/** Parses a log size as dockerd does (units.RAMInBytes: 10m, 1.5g, 512k, 100); NaN when malformed. */
export function parseLogSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(text.trim());
  if (m === null) return Number.NaN;
  const power = m[2] === undefined ? 0 : 'kmgtp'.indexOf(m[2].toLowerCase()) + 1;
  return Number(m[1]) * 1024 ** power;
}

interface RotationSpec {
  stigId: string;
  title: string;
  /** The drivers whose logs the options bound; other drivers make the rule not applicable. */
  drivers: readonly string[];
  expected: string;
  /** Appended to a passing outcome's message. */
  passNote: string;
}

function judgeRotation(spec: RotationSpec, facts: NodeFacts): EngineDecision {
  const driver = loggingDriver(facts);
  if (typeof driver !== 'string') return driver;
  if (!spec.drivers.includes(driver)) {
    return {
      notApplicable: `The default log driver is ${driver}, not ${spec.drivers.join(' or ')}: max-size and max-file bound only ${spec.drivers.join(' and ')} logs (dockerd rejects them for ${driver}).`,
      judgements: [driverJudgement(driver, 'pass', `The default log driver is ${driver}.`)],
    };
  }
  const part = requirePart(facts, 'daemon');
  if ('outcome' in part) return part;
  const judgements: EngineJudgement[] = [];
  for (const key of ['max-size', 'max-file'] as const) {
    const option = logOption(part.data, key);
    if ('invalid' in option) return { invalid: option.invalid, judgements };
    if ('absent' in option) {
      judgements.push({ field: jsonField('log-opts', key), value: null, verdict: 'fail', message: `Neither daemon.json "log-opts" nor --log-opt sets ${key}.` });
      continue;
    }
    const ok = key === 'max-size' ? parseLogSize(option.value) > 0 : /^\d+$/.test(option.value) && Number(option.value) >= 1;
    judgements.push({
      field: option.field,
      value: option.value,
      verdict: ok ? 'pass' : 'fail',
      message: ok
        ? `${key} is ${option.value} (${option.field}).`
        : `${key} is ${show(option.value)} (${option.field}), which ${key === 'max-size' ? 'is not a positive size (-1 means unlimited)' : 'is not a whole number of files of at least 1'}.`,
    });
  }
  return { judgements };
}

function rotationCheck(spec: RotationSpec): Check {
  return engineCheck({
    stigId: spec.stigId,
    title: spec.title,
    expected: spec.expected,
    judge: (facts) => judgeRotation(spec, facts),
    summarize: (status, judgements) => {
      const deciding = judgements.filter((j) => j.verdict === status).map((j) => j.message);
      return status === 'pass' ? `${deciding.join(' ')} ${spec.passNote}` : deciding.join(' ');
    },
  });
}

/**
 * DKER-EE-001370: log-opts must include max-size and max-file, with values dockerd accepts (a positive
 * size, a file count of at least 1). They apply to the json-file and local drivers; with any other
 * default driver dockerd refuses them, so the rule is not applicable.
 */
export const logOptsCheck: Check = rotationCheck({
  stigId: 'DKER-EE-001370',
  title: 'log-opts on all Docker Engine - Enterprise nodes must be configured.',
  drivers: ['json-file', 'local'],
  expected: 'log-opts (daemon.json or --log-opt) sets max-size to a positive size and max-file to at least 1',
  passNote: 'Both rotation options are set.',
});

/**
 * DKER-EE-003310: the json-file driver's max-size and max-file must be set in the daemon configuration.
 * The values must match the System Security Plan, which the facts don't hold: the rule checks that both
 * are set to values dockerd accepts and records them for the reviewer to compare with the SSP.
 */
export const jsonFileRotationCheck: Check = rotationCheck({
  stigId: 'DKER-EE-003310',
  title:
    'The Docker Enterprise max-size and max-file json-file drivers logging options in the daemon.json configuration file must be configured to allocate audit record storage capacity for Universal Control Plane (UCP) and Docker Trusted Registry (DTR) per the requirements set forth by the System Security Plan (SSP).',
  drivers: ['json-file'],
  expected: 'with the json-file driver, log-opts sets max-size and max-file (values as the SSP defines)',
  passNote: 'Compare the values with the capacity the System Security Plan defines.',
});

/** The logging rules. */
export const LOGGING_CHECKS: readonly Check[] = [logOptsCheck, logDriverCheck, jsonFileRotationCheck, remoteLoggingCheck];
