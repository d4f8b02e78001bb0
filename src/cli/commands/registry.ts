/**
 * `plimsoll registry add|update|list|show|remove`, `plimsoll trust-server …` and `plimsoll signers set|show|list`:
 * the registries, trust servers (Notary) and allowed signers assessments read (issue #11). CA files are read
 * here and sent as content; passwords come from --password-env or --password-stdin, never from argv, and no
 * output shows them.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ContentFile } from '../../domain/content-input.js';
import type { AllowedSigner } from '../../domain/supply-chain.js';
import type { EnvironmentSigners, RegisteredRegistry, RegisteredTrustServer, RegistryChanges, TrustServerChanges } from '../../domain/supply-chain-registry.js';
import { LocalFiles } from '../../repositories/local-files.js';
import { table } from '../format.js';
import { collect } from '../options.js';
import type { CliContext } from '../runtime.js';
import { credentialsFrom, type SecretOptions } from '../secret-input.js';

interface EndpointOptions extends SecretOptions {
  ca?: string;
  clearCa?: boolean;
  clearCredentials?: boolean;
  name?: string;
  url?: string;
  db?: string;
}

interface RegistryOptions extends EndpointOptions {
  host?: string;
  environment?: string;
  trustServer?: string;
  clearTrustServer?: boolean;
  repository?: string[];
}

interface TrustServerOptions extends EndpointOptions {
  pin?: Record<string, string[]>;
}

/** Collects `--pin GUN=KEYID[,KEYID…]`. */
export function collectPin(value: string, previous: Record<string, string[]> = {}): Record<string, string[]> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected GUN=KEYID[,KEYID…], got ${JSON.stringify(value)}`);
  const gun = value.slice(0, eq);
  return { ...previous, [gun]: [...(previous[gun] ?? []), ...value.slice(eq + 1).split(',').filter((k) => k !== '')] };
}

/** Collects `--signer ROLE[=KEYID,KEYID…]`. */
export function collectSigner(value: string, previous: AllowedSigner[] = []): AllowedSigner[] {
  const eq = value.indexOf('=');
  if (eq < 0) return [...previous, { role: value }];
  return [...previous, { role: value.slice(0, eq), keyIds: value.slice(eq + 1).split(',').filter((k) => k !== '') }];
}

async function caFile(path: string | undefined): Promise<ContentFile | undefined> {
  return path === undefined ? undefined : new LocalFiles().readContent(path);
}

/** The CA and credentials of an update: a new value, or null when a --clear-* flag is given. */
async function endpointChanges(opts: EndpointOptions): Promise<RegistryChanges & TrustServerChanges> {
  const ca = await caFile(opts.ca);
  const credentials = await credentialsFrom(opts);
  return {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.url !== undefined ? { url: opts.url } : {}),
    ...(opts.clearCa === true ? { ca: null } : ca !== undefined ? { ca } : {}),
    ...(opts.clearCredentials === true ? { credentials: null } : credentials !== undefined ? { credentials } : {}),
  };
}

export function formatRegistries(list: readonly RegisteredRegistry[]): string[] {
  if (list.length === 0) return ['no registered registries'];
  return table(
    ['NAME', 'ENVIRONMENT', 'HOST', 'URL', 'TRUST SERVER', 'CA', 'CREDENTIALS'],
    list.map((r) => [r.name, r.environment, r.host, r.url, r.trustServer ?? '-', r.caPem !== undefined ? 'yes' : 'system', r.hasCredentials ? 'stored' : '-']),
  );
}

export function formatTrustServers(list: readonly RegisteredTrustServer[]): string[] {
  if (list.length === 0) return ['no registered trust servers'];
  return table(
    ['NAME', 'URL', 'CA', 'CREDENTIALS', 'PINNED'],
    list.map((t) => [t.name, t.url, t.caPem !== undefined ? 'yes' : 'system', t.hasCredentials ? 'stored' : '-', Object.keys(t.pinnedRootKeys).join(', ') || '-']),
  );
}

export function formatSigners(list: readonly EnvironmentSigners[]): string[] {
  if (list.length === 0) return ['no registered signers (every environment uses targets/releases, else targets)'];
  return table(
    ['ENVIRONMENT', 'ROLE', 'KEY IDS', 'SET BY'],
    list.flatMap((e) => (e.signers.length === 0 ? [[e.environment, '(default rule)', '-', '-']] : e.signers.map((s) => [e.environment, s.role, s.keyIds?.join(', ') ?? 'any', e.updatedBy ?? '-']))),
  );
}

const DB_OPTION = ['--db <file>', 'SQLite database file (PLIMSOLL_DB)'] as const;

function credentialOptions(c: Command): Command {
  return c
    .option('--ca <file>', "CA certificate (PEM) that signs the server's certificate (read here; stored as content)")
    .option('--username <name>', 'user name for Basic or bearer-token auth')
    .option('--password-env <var>', 'read the password from this environment variable (never give it as an argument)')
    .option('--password-stdin', 'read the password from standard input');
}

function registryOptions(c: Command): Command {
  return credentialOptions(c)
    .option('--host <host>', "the host as image references name it (default: the URL's host:port)")
    .option('--environment <name>', 'the environment whose nodes pull from it (default "default")')
    .option('--trust-server <ref>', 'the registered trust server (name or id) holding its signatures')
    .option('--repository <name>', 'a repository to assess, or prefix/* (repeatable; default: the whole catalog)', collect);
}

function registerRegistryCommands(program: Command, ctx: CliContext): void {
  const registry = program.command('registry');
  registryOptions(registry.command('add').description('register a registry').argument('<name>', 'unique name').argument('<url>', 'https://host:port (http:// only on a loopback address)'))
    .option(...DB_OPTION)
    .action(async (name: string, url: string, opts: RegistryOptions) => {
      const ca = await caFile(opts.ca);
      const credentials = await credentialsFrom(opts);
      const input = {
        name, url,
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
        ...(opts.trustServer !== undefined ? { trustServer: opts.trustServer } : {}),
        ...(opts.repository !== undefined ? { repositories: opts.repository } : {}),
        ...(ca !== undefined ? { ca } : {}),
        ...(credentials !== undefined ? { credentials } : {}),
      };
      const r = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.registerRegistry(input));
      ctx.io.out(`registered registry ${r.name} (${r.id}) for environment ${r.environment}${r.hasCredentials ? ' with stored credentials' : ''}`);
    });
  registryOptions(registry.command('update').description('change a registry (omitted options stay)').argument('<ref>', 'registry name or id'))
    .option('--name <name>', 'a new name')
    .option('--url <url>', 'a new URL')
    .option('--clear-ca', "forget the CA (the system's CAs verify the registry)")
    .option('--clear-credentials', 'delete the stored credentials')
    .option('--clear-trust-server', 'no trust server (signatures are not verified)')
    .option(...DB_OPTION)
    .action(async (ref: string, opts: RegistryOptions) => {
      const changes: RegistryChanges = {
        ...(await endpointChanges(opts)),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
        ...(opts.clearTrustServer === true ? { trustServer: null } : opts.trustServer !== undefined ? { trustServer: opts.trustServer } : {}),
        ...(opts.repository !== undefined ? { repositories: opts.repository } : {}),
      };
      const r = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.updateRegistry(ref, changes));
      ctx.io.out(`updated registry ${r.name} (${r.id})`);
    });
  registry
    .command('list')
    .description('list registered registries (the configuration file\'s are not listed)')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const list = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.listRegistries());
      ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatRegistries(list).join('\n'));
    });
  registry
    .command('remove')
    .description('remove a registry (later assessments no longer read it)')
    .argument('<ref>', 'registry name or id')
    .option(...DB_OPTION)
    .action(async (ref: string, opts: { db?: string }) => {
      await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.removeRegistry(ref));
      ctx.io.out(`removed registry ${ref}`);
    });
}

function registerTrustServerCommands(program: Command, ctx: CliContext): void {
  const trust = program.command('trust-server');
  credentialOptions(trust.command('add').description('register a trust server').argument('<name>', 'unique name').argument('<url>', 'https://host:port'))
    .option('--pin <gun=keyid,…>', 'pinned root key ids of a GUN or prefix/* (repeatable)', collectPin)
    .option(...DB_OPTION)
    .action(async (name: string, url: string, opts: TrustServerOptions) => {
      const ca = await caFile(opts.ca);
      const credentials = await credentialsFrom(opts);
      const input = { name, url, ...(ca !== undefined ? { ca } : {}), ...(credentials !== undefined ? { credentials } : {}), ...(opts.pin !== undefined ? { pinnedRootKeys: opts.pin } : {}) };
      const t = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.registerTrustServer(input));
      ctx.io.out(`registered trust server ${t.name} (${t.id})${t.hasCredentials ? ' with stored credentials' : ''}`);
    });
  credentialOptions(trust.command('update').description('change a trust server (omitted options stay)').argument('<ref>', 'trust server name or id'))
    .option('--name <name>', 'a new name')
    .option('--url <url>', 'a new URL')
    .option('--clear-ca', "forget the CA (the system's CAs verify the server)")
    .option('--clear-credentials', 'delete the stored credentials')
    .option('--pin <gun=keyid,…>', 'pinned root key ids (replace the stored ones; repeatable)', collectPin)
    .option('--clear-pins', 'remove every pinned root key')
    .option(...DB_OPTION)
    .action(async (ref: string, opts: TrustServerOptions & { clearPins?: boolean }) => {
      const changes: TrustServerChanges = { ...(await endpointChanges(opts)), ...(opts.clearPins === true ? { pinnedRootKeys: null } : opts.pin !== undefined ? { pinnedRootKeys: opts.pin } : {}) };
      const t = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.updateTrustServer(ref, changes));
      ctx.io.out(`updated trust server ${t.name} (${t.id})`);
    });
  trust
    .command('list')
    .description('list registered trust servers')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const list = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.listTrustServers());
      ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatTrustServers(list).join('\n'));
    });
  trust
    .command('remove')
    .description('remove a trust server (refused while a registry uses it)')
    .argument('<ref>', 'trust server name or id')
    .option(...DB_OPTION)
    .action(async (ref: string, opts: { db?: string }) => {
      await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.removeTrustServer(ref));
      ctx.io.out(`removed trust server ${ref}`);
    });
}

function registerSignerCommands(program: Command, ctx: CliContext): void {
  const signers = program.command('signers');
  signers
    .command('set')
    .description("replace an environment's allowed signers (none given: back to the default rule, targets/releases else targets)")
    .argument('<environment>', 'environment name')
    .option('--signer <role[=keyid,…]>', 'a targets role, optionally with the only key ids that count (repeatable)', collectSigner)
    .option(...DB_OPTION)
    .action(async (environment: string, opts: { signer?: AllowedSigner[]; db?: string }) => {
      const set = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.setSigners(environment, opts.signer ?? []));
      ctx.io.out(set.signers.length === 0 ? `environment ${environment} uses the default signers` : formatSigners([set]).join('\n'));
    });
  signers
    .command('list')
    .description('list registered signers of every environment')
    .option(...DB_OPTION)
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const list = await ctx.withApp({ db: opts.db }, ({ services }) => services.supplyChain.listSigners());
      ctx.io.out(opts.json ? JSON.stringify(list, null, 2) : formatSigners(list).join('\n'));
    });
}

/** Registers `registry`, `trust-server` and `signers`. */
export function registerSupplyChainCommands(program: Command, ctx: CliContext): void {
  registerRegistryCommands(program, ctx);
  registerTrustServerCommands(program, ctx);
  registerSignerCommands(program, ctx);
}
