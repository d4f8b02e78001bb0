/** `plimsoll node add|list|remove|show|asset`: registered Docker engines. */
import type { Command } from 'commander';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type NodeInput, nodeView } from '../../domain/node.js';
import { readTlsFiles } from '../local-content.js';
import { formatNodes } from '../format.js';
import { collectLabel } from '../options.js';
import type { CliContext } from '../runtime.js';
import { dockerConfigDir, readDockerContext, type TlsFilePaths } from '../../repositories/docker/contexts.js';
import { registerNodeAssetCommands } from './node-asset.js';

interface AddOptions {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  label?: Record<string, string>;
  environment?: string;
  platformPattern?: string;
  context?: string;
  db?: string;
}

function requireEndpoint(endpoint: string | undefined): string {
  if (endpoint === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'node add needs an endpoint (unix:// or tcp://) or --context NAME');
  return endpoint;
}

/** A node to register, with its TLS material as local files (read by `readTlsFiles` before registering). */
type NodeRequest = Omit<NodeInput, 'tls'> & { tls?: TlsFilePaths };

/** The node input of `node add NAME --context CTX`: the context's endpoint and TLS files. */
export function nodeInputOfContext(name: string, endpoint: string | undefined, opts: AddOptions, configDir = dockerConfigDir()): NodeRequest {
  if (endpoint !== undefined || opts.tlsCa !== undefined || opts.tlsCert !== undefined || opts.tlsKey !== undefined) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, '--context gives the endpoint and TLS material: leave out the endpoint and --tls-* options');
  }
  const ctx = readDockerContext(opts.context!, configDir);
  return {
    name,
    endpoint: ctx.endpoint,
    labels: opts.label ?? {},
    ...(ctx.tls ? { tls: ctx.tls } : {}),
    ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
    ...(opts.platformPattern !== undefined ? { platformContainerPattern: opts.platformPattern } : {}),
  };
}

/** The node input of `node add`; TLS needs all three files or none. */
export function nodeInputOf(name: string, endpoint: string, opts: AddOptions): NodeRequest {
  const tlsFiles = [opts.tlsCa, opts.tlsCert, opts.tlsKey];
  const given = tlsFiles.filter((f) => f !== undefined).length;
  if (given !== 0 && given !== 3) {
    throw new PlimsollError(ErrorCode.BAD_INPUT, 'mutual TLS needs all of --tls-ca, --tls-cert and --tls-key', [
      ...(opts.tlsCa === undefined ? [{ message: '--tls-ca is missing' }] : []),
      ...(opts.tlsCert === undefined ? [{ message: '--tls-cert is missing' }] : []),
      ...(opts.tlsKey === undefined ? [{ message: '--tls-key is missing' }] : []),
    ]);
  }
  return {
    name,
    endpoint,
    labels: opts.label ?? {},
    ...(given === 3 ? { tls: { caPath: opts.tlsCa!, certPath: opts.tlsCert!, keyPath: opts.tlsKey! } } : {}),
    ...(opts.environment !== undefined ? { environment: opts.environment } : {}),
    ...(opts.platformPattern !== undefined ? { platformContainerPattern: opts.platformPattern } : {}),
  };
}

export function registerNodeCommands(program: Command, ctx: CliContext): void {
  const node = program.command('node');
  node
    .command('add')
    .description('register a Docker engine (unix:///path/docker.sock, tcp://host:port, or a docker CLI context)')
    .argument('<name>', 'unique node name')
    .argument('[endpoint]', 'unix:// or tcp:// endpoint (or give --context)')
    .option('--context <name>', 'take the endpoint and TLS material from this docker CLI context (DOCKER_CONFIG, default ~/.docker)')
    .option('--tls-ca <file>', 'CA certificate (PEM) for tcp:// with mutual TLS (read here; stored as content)')
    .option('--tls-cert <file>', 'client certificate (PEM)')
    .option('--tls-key <file>', 'client key (PEM; stored encrypted with PLIMSOLL_SECRET_KEY)')
    .option('--label <key=value>', 'a label (repeatable)', collectLabel)
    .option('--environment <name>', 'environment of the node (e.g. production)')
    .option(
      '--platform-pattern <regex>',
      'platform containers (UCP, DTR, Kubernetes) the STIG checks leave out: a case-insensitive regular expression over container names and images (default: each rule\'s STIG pattern, ucp|kube|dtr; "" leaves none out)',
    )
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (name: string, endpoint: string | undefined, opts: AddOptions) => {
      const { tls, ...request } = opts.context !== undefined ? nodeInputOfContext(name, endpoint, opts) : nodeInputOf(name, requireEndpoint(endpoint), opts);
      // The PEM files are the user's own, read here; the key is encrypted by the service before it is stored.
      const input: NodeInput = { ...request, ...(tls ? { tls: await readTlsFiles(tls) } : {}) };
      const added = await ctx.withApp({ db: opts.db }, ({ services }) => services.nodes.register(input));
      ctx.io.out(`registered node ${added.name} (${added.id}) at ${added.endpoint}${added.tls ? ' with mutual TLS' : ''}`);
    });
  node
    .command('list')
    .description('list registered nodes')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; json?: boolean }) => {
      const nodes = await ctx.withApp({ db: opts.db }, ({ services }) => services.nodes.list());
      ctx.io.out(opts.json ? JSON.stringify(nodes.map(nodeView), null, 2) : formatNodes(nodes).join('\n'));
    });
  node
    .command('remove')
    .description('remove a node by name, id or endpoint (its assessments keep it; its name is free again)')
    .argument('<ref>', 'node name, id or endpoint')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: { db?: string }) => {
      await ctx.withApp({ db: opts.db }, ({ services }) => services.nodes.remove(ref));
      ctx.io.out(`removed node ${ref}`);
    });
  registerNodeAssetCommands(node, ctx);
}
