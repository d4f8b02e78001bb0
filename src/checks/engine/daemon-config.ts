/**
 * Reading the daemon's configuration the way dockerd does: a setting comes from the command line
 * (`--flag value`, `--flag=value`, `-H value`, `-Hvalue`) or from daemon.json, never both (dockerd
 * refuses to start when one is given twice), else it has its default. Every value read carries the
 * evidence field it came from: `cmdline --userland-proxy` or `daemon.json#/userland-proxy`.
 */
import type { ApiObject, DaemonConfigFacts } from '../../domain/facts.js';

/** A setting's value and where it was read. */
export interface SettingValue<T> {
  value: T;
  /** Evidence field: `cmdline --log-opt max-size`, `daemon.json#/log-opts/max-size`. */
  field: string;
  source: 'command line' | 'daemon.json';
}

/** A command-line flag: its long name (without dashes) and optional one-letter shorthand. */
export interface FlagName {
  long: string;
  short?: string;
}

/** The values given to a flag that takes a value, in command-line order. */
export function flagValues(argv: readonly string[], flag: FlagName): string[] {
  const values: string[] = [];
  // argv[0] is the program; `--` ends the flags.
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    const long = `--${flag.long}`;
    if (arg === long) {
      if (i + 1 < argv.length) values.push(argv[++i] as string);
    } else if (arg.startsWith(`${long}=`)) {
      values.push(arg.slice(long.length + 1));
    } else if (flag.short !== undefined && !arg.startsWith('--')) {
      // `-H v`, `-H=v`, `-Hv`, and dockerd's bool shorthands (-D, -v, -h) combined before it (`-DH v`).
      const m = new RegExp(`^-[Dvh]*${flag.short}(=?)(.*)$`).exec(arg);
      if (m === null) continue;
      const rest = m[2] ?? '';
      if (rest !== '' || m[1] === '=') values.push(rest);
      else if (i + 1 < argv.length) values.push(argv[++i] as string);
    }
  }
  return values;
}

/** Go's strconv.ParseBool, which pflag uses for `--flag=value`. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/**
 * A boolean flag's value on the command line (the last occurrence wins, as in pflag): `--name` is true,
 * `--name=false` false. Undefined when absent; `invalid` when its value is not a Go boolean.
 */
export function boolFlag(argv: readonly string[], name: string): SettingValue<boolean> | { invalid: string } | undefined {
  let found: SettingValue<boolean> | { invalid: string } | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg === `--${name}`) found = { value: true, field: `cmdline --${name}`, source: 'command line' };
    else if (arg.startsWith(`--${name}=`)) {
      const raw = arg.slice(name.length + 3);
      const value = parseGoBool(raw);
      found = value === undefined ? { invalid: `${arg} is not a boolean` } : { value, field: `cmdline --${name}`, source: 'command line' };
    }
  }
  return found;
}

/** The evidence field of a daemon.json key. */
export function jsonField(...keys: string[]): string {
  return `daemon.json#/${keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** A top-level daemon.json key's value, if the file exists and sets it. */
export function jsonSetting(daemon: DaemonConfigFacts, key: string): SettingValue<unknown> | undefined {
  const json = daemon.daemonJson;
  if (json === null || !Object.prototype.hasOwnProperty.call(json, key)) return undefined;
  return { value: json[key], field: jsonField(key), source: 'daemon.json' };
}

/** The hosts the daemon listens on (`-H`/`--host` and daemon.json `hosts`), or why they can't be read. */
export function daemonHosts(daemon: DaemonConfigFacts): SettingValue<string>[] | { invalid: string } {
  if (daemon.commandLine === null) return { invalid: 'the dockerd command line could not be read, so its -H/--host flags are unknown' };
  const hosts: SettingValue<string>[] = flagValues(daemon.commandLine, { long: 'host', short: 'H' }).map((value) => ({
    value,
    field: 'cmdline --host',
    source: 'command line',
  }));
  const json = jsonSetting(daemon, 'hosts');
  if (json !== undefined) {
    if (!Array.isArray(json.value) || json.value.some((h) => typeof h !== 'string')) return { invalid: `${json.field} is ${JSON.stringify(json.value)}: expected a list of strings` };
    (json.value as string[]).forEach((value, i) => hosts.push({ value, field: `${jsonField('hosts')}/${i}`, source: 'daemon.json' }));
  }
  return hosts;
}

/** The scheme dockerd gives a -H address: `tcp` when none is written (`:2375`, `0.0.0.0:2375`). */
export function hostScheme(address: string): string {
  const trimmed = address.trim();
  const sep = trimmed.indexOf('://');
  return sep < 0 ? 'tcp' : trimmed.slice(0, sep).toLowerCase();
}

/** A boolean setting from the command line or daemon.json; undefined when neither sets it (its default applies). */
export function boolSetting(daemon: DaemonConfigFacts, name: string): SettingValue<boolean> | { invalid: string } | undefined {
  const json = jsonSetting(daemon, name);
  if (json !== undefined) {
    if (typeof json.value !== 'boolean') return { invalid: `${json.field} is ${JSON.stringify(json.value)}: expected true or false` };
    return { value: json.value, field: json.field, source: 'daemon.json' };
  }
  if (daemon.commandLine === null) return { invalid: `daemon.json does not set "${name}" and the dockerd command line (--${name}) could not be read` };
  return boolFlag(daemon.commandLine, name);
}

/** The daemon-wide default log options: daemon.json `log-opts` and every `--log-opt key=value`. */
export function logOptions(daemon: DaemonConfigFacts): Map<string, SettingValue<string>> | { invalid: string } {
  const options = new Map<string, SettingValue<string>>();
  const json = jsonSetting(daemon, 'log-opts');
  if (json !== undefined) {
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
      return { invalid: `${json.field} is ${JSON.stringify(json.value)}: expected an object` };
    }
    for (const [key, value] of Object.entries(json.value as ApiObject)) {
      // dockerd rejects non-string log-opts values; keep them as text so the judge can say so.
      options.set(key, { value: typeof value === 'string' ? value : JSON.stringify(value), field: jsonField('log-opts', key), source: 'daemon.json' });
    }
  }
  if (daemon.commandLine !== null) {
    for (const opt of flagValues(daemon.commandLine, { long: 'log-opt' })) {
      const eq = opt.indexOf('=');
      if (eq <= 0) return { invalid: `--log-opt ${opt} is not key=value` };
      options.set(opt.slice(0, eq), { value: opt.slice(eq + 1), field: `cmdline --log-opt ${opt.slice(0, eq)}`, source: 'command line' });
    }
  }
  return options;
}

/**
 * One log option, or why it can't be known (not in daemon.json, and the command line could not be read).
 * daemon.json decides when it sets the option: dockerd refuses to start when a flag repeats a daemon.json
 * setting, so no --log-opt can override it, and the command line is then not needed.
 */
export function logOption(daemon: DaemonConfigFacts, key: string): SettingValue<string> | { absent: true } | { invalid: string } {
  const json = jsonSetting(daemon, 'log-opts');
  if (json !== undefined && typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value) && Object.prototype.hasOwnProperty.call(json.value, key)) {
    const value = (json.value as ApiObject)[key];
    return { value: typeof value === 'string' ? value : JSON.stringify(value), field: jsonField('log-opts', key), source: 'daemon.json' };
  }
  const options = logOptions(daemon);
  if (!(options instanceof Map)) return options;
  const found = options.get(key);
  if (found !== undefined) return found;
  if (daemon.commandLine === null) return { invalid: `daemon.json sets no log-opts "${key}" and the dockerd command line (--log-opt) could not be read` };
  return { absent: true };
}

/** Where the configuration was read, for messages. */
export function configSources(daemon: DaemonConfigFacts): string {
  const json = daemon.daemonJson === null ? `no daemon.json at ${daemon.daemonJsonPath}` : `daemon.json at ${daemon.daemonJsonPath}`;
  const cmd = daemon.commandLine === null ? 'command line unreadable' : `command line from ${daemon.commandLineSource ?? 'the dockerd process'}`;
  return `${json}; ${cmd}`;
}
