/**
 * `plimsoll serve`: the server's first-start work and the HTTP server. Loaded by src/main.ts when `serve` runs,
 * so that no other command loads the checks, the local engine detection or the server's logger.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';
import { CHECKS } from '../checks/registry.js';
import { readTlsFiles } from '../cli/local-content.js';
import type { WiredApp } from '../cli/runtime.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import { detectLocalEngine, tlsFromCertPath } from '../nodes/local-engine.js';
import { sealNodeTls } from '../nodes/node-tls.js';
import { LocalFiles } from '../repositories/local-files.js';
import { secretKeyMissing } from '../repositories/secret-box.js';
import { builtinBenchmarkFiles } from './services.js';

/** First-start work of the server, done as Plimsoll's system user: TLS keys, reference content, interrupted runs, the admin token, the local engine. */
async function prepareServer(app: WiredApp, log: Logger): Promise<void> {
  const { config } = app;
  const services = app.gateway.servicesFor(await app.gateway.system());
  // TLS nodes need the key that opens their private keys: say so before anything else takes time.
  for (const f of app.startup?.legacyTls?.failed ?? []) log.warn({ node: f.node, reason: f.reason }, 'a node registered with TLS file paths could not be encrypted; register it again with its PEM content');
  if (app.startup?.legacyTls?.upgraded.length) log.info({ nodes: app.startup.legacyTls.upgraded }, 'encrypted the TLS material of nodes registered with file paths');
  const tlsNodes = (await services.nodes.list()).filter((n) => n.tls !== undefined);
  if (tlsNodes.length > 0 && app.secrets === undefined) throw secretKeyMissing(`${tlsNodes.length} registered node(s) use mutual TLS (${tlsNodes.slice(0, 5).map((n) => n.name).join(', ')}): the server`);

  // Content first: a missing file is named (all of them, with the way to provide them) before anything else.
  const sources = services.contentSync.listSources();
  const paths = await services.contentSync.pathsOf(sources.map((s) => s.name));
  // The server's own pinned content, read from its cache and imported under its file name.
  const local = new LocalFiles();
  const files = await Promise.all(sources.filter((s) => s.import).map(async (s) => ({ ...(await local.readContent(paths.get(s.name)!)), name: s.file })));
  // The benchmarks Plimsoll ships (catalogs/builtin-benchmarks.json) join the same import: one transaction.
  const shipped = builtinBenchmarkFiles(config);
  const builtin = await Promise.all((await shipped.list()).map((b) => shipped.read(b)));
  for (const s of await services.imports.importDocuments([...files, ...builtin])) {
    log.info({ kind: s.kind, id: s.id, version: s.version, release: s.release, counts: s.counts, alreadyPresent: s.alreadyPresent }, 'reference content');
  }

  // The signing key at first start (generated and sealed when none is configured), so its id is known before any bundle.
  const signingKey = await services.reports.signingKey();
  if (signingKey !== undefined) log.info({ keyId: signingKey.keyId, origin: signingKey.origin }, 'report signing key');
  else log.info('no report signing key (set PLIMSOLL_SIGNING_KEY or PLIMSOLL_SECRET_KEY): signed bundles are not offered');

  const interrupted = await services.assessments.markInterrupted();
  if (interrupted > 0) log.warn({ interrupted }, 'assessments left running by a stopped process were marked interrupted');
  const closedPlans = await services.remediation.markInterrupted();
  if (closedPlans > 0) log.warn({ closedPlans }, 'remediation plans left applying by a stopped process were closed');

  const { createdSecret } = await services.users.bootstrapAdmin(config.adminToken);
  if (createdSecret !== undefined) {
    process.stdout.write(`\nAdmin token (shown once; set PLIMSOLL_ADMIN_TOKEN to choose your own):\n  ${createdSecret}\n\n`);
  }

  // DOCKER_CERT_PATH holds the operator's own TLS files for a tcp:// DOCKER_HOST: read them, encrypt the key.
  const dockerHost = config.docker.host;
  const tlsFiles = dockerHost?.startsWith('tcp://') && config.docker.certPath ? await readTlsFiles(tlsFromCertPath(config.docker.certPath)) : undefined;
  const problems: Problem[] = [];
  const tls = tlsFiles ? sealNodeTls(tlsFiles, app.secrets, problems) : undefined;
  if (problems.length > 0) throw new PlimsollError(ErrorCode.CONFIG_INVALID, `DOCKER_CERT_PATH does not hold usable TLS material: ${problems.map((p) => p.message).join('; ')}`, problems);
  const endpoint = await detectLocalEngine({ dockerHost, ...(tls ? { tls } : {}) });
  if (endpoint === undefined) {
    log.info('no local Docker engine answered (DOCKER_HOST or /var/run/docker.sock); register nodes with `plimsoll node add`');
  } else if ((await services.nodes.find(endpoint)) === undefined) {
    const name = (await services.nodes.find('local')) === undefined ? 'local' : `local-${Date.now()}`;
    const node = await services.nodes.register({ name, endpoint, ...(tlsFiles ? { tls: tlsFiles } : {}) });
    log.info({ node: node.name, endpoint }, 'registered the local Docker engine');
  }
}

/** Runs the HTTP server until SIGINT/SIGTERM, over the application `open` wires (src/main.ts's wireApp: every service wired). */
export async function serve(opts: { port?: number; host?: string; db?: string }, open: (overrides: { db?: string }) => Promise<WiredApp>): Promise<void> {
  const app = await open(opts.db !== undefined ? { db: opts.db } : {});
  const log = pino({ level: app.config.logLevel });
  try {
    await prepareServer(app, log);
    // Apollo, GraphQL, type-graphql and ws: loaded by `serve` alone; decorator metadata before the first GraphQL type.
    await import('reflect-metadata');
    const { startHttpServer } = await import('../http/server.js');
    const server = await startHttpServer({
      gateway: app.gateway,
      host: opts.host ?? app.config.host,
      port: opts.port ?? app.config.port,
      logger: log,
    });
    app.monitor?.start();
    log.info({ url: server.url, checks: CHECKS.length }, 'Plimsoll is listening');
    process.stdout.write(`Plimsoll GraphQL API at ${server.url} (health: ${server.url.replace(/\/graphql$/, '/health')})\n`);
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      void (app.monitor?.stop() ?? Promise.resolve())
        .then(() => server.close())
        .then(() => app.close())
        .finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    await app.close();
    throw e;
  }
}
