/**
 * Environment scopes end to end over the real composition root (src/main.ts) and a temp SQLite file: a user
 * limited to dev, and a token narrowed to dev, see dev nodes and the runs about them only; prod nodes and runs
 * read as unknown (null or NOT_FOUND, never FORBIDDEN) in GraphQL and in the CLI, and list totals count only
 * what the caller sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApolloServer } from '@apollo/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { CliRuntime, OpenedApp } from '../../../src/cli/runtime.js';
import type { Caller } from '../../../src/domain/auth.js';
import { createApolloServer } from '../../../src/graphql/apollo.js';
import { contextFor, type GraphQLContext } from '../../../src/graphql/context.js';
import { buildPlimsollSchema } from '../../../src/graphql/schema.js';
import { createCliRuntime, openApp } from '../../../src/main.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { openDatabase } from '../../../src/repositories/database/database.js';
import { sharedDataDir, tempDir } from '../../harness/content.js';
import { benchmark, seedDocument } from '../assessment/fakes.js';
import { MemoryIo, MemoryRuntime } from '../cli/memory-runtime.js';

let dir: string;
let dbFile: string;
let app: OpenedApp;
const saved = { ...process.env };

beforeEach(async () => {
  dir = tempDir('plimsoll-envscope-');
  dbFile = path.join(dir, 'p.db');
  process.env.PLIMSOLL_CONTENT_MIRROR = sharedDataDir;
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  delete process.env.PLIMSOLL_USER;
  app = await openApp({ db: dbFile });
  const admin = app.services;
  const labels = { tier: 'web' };
  const dev = await admin.nodes.register({ name: 'dev-1', endpoint: 'unix:///run/plimsoll-none/dev-1.sock', environment: 'dev', labels });
  const dev2 = await admin.nodes.register({ name: 'dev-2', endpoint: 'unix:///run/plimsoll-none/dev-2.sock', environment: 'dev', labels });
  const prod = await admin.nodes.register({ name: 'prod-1', endpoint: 'unix:///run/plimsoll-none/prod-1.sock', environment: 'prod', labels });
  // Runs stored as the assessment runner stores them: one on dev, one on prod, one spanning both.
  const db = await openDatabase(dbFile);
  await seedDocument(db, benchmark('doc-1'));
  const repo = new KyselyAssessmentRepository(db);
  const start = { benchmarkDocumentId: 'doc-1', startedBy: 'local-operator', runner: 'h:1' };
  const n = (x: typeof dev) => ({ id: x.id, name: x.name, endpoint: x.endpoint });
  await repo.createRunning({ id: 'run-dev', nodes: [n(dev), n(dev2)], startedAt: '2026-01-01T00:00:00.000Z', ...start });
  await repo.createRunning({ id: 'run-prod', nodes: [n(prod)], startedAt: '2026-01-02T00:00:00.000Z', ...start });
  await repo.createRunning({ id: 'run-mixed', nodes: [n(dev), n(prod)], startedAt: '2026-01-03T00:00:00.000Z', ...start });
  await db.destroy();
  await admin.users.createUser({ name: 'dana', role: 'assessor', environments: ['dev'] });
  await admin.users.createUser({ name: 'erin', role: 'assessor' });
});

afterEach(async () => {
  await app.close();
  process.env = { ...saved };
  fs.rmSync(dir, { recursive: true, force: true });
});

async function graphql(): Promise<{ as: (caller: Caller, query: string, variables?: Record<string, unknown>) => Promise<any>; stop: () => Promise<void> }> {
  const apollo: ApolloServer<GraphQLContext> = createApolloServer(await buildPlimsollSchema(), { logError: () => undefined });
  await apollo.start();
  return {
    async as(caller, query, variables = {}) {
      const response = await apollo.executeOperation({ query, variables }, { contextValue: contextFor(app.gateway, caller, 'test') });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult;
    },
    stop: () => apollo.stop(),
  };
}

const LISTS = `{ dockerNodes(first: 50) { totalCount edges { node { name } } } assessments(first: 50) { totalCount edges { node { assessmentId } } } }`;

describe('environment scopes', () => {
  it('a dev-scoped token sees dev nodes and dev runs only; prod reads as unknown in GraphQL', async () => {
    const gql = await graphql();
    try {
      // dana mints a token (it inherits her dev scope); erin, who sees everything, narrows a token to dev.
      const dana = await app.gateway.localCaller('dana');
      const danaToken = await app.gateway.servicesFor(dana).users.createOwnToken({ label: 'ci' });
      expect(danaToken.token.environments).toEqual(['dev']);
      const erin = await app.gateway.localCaller('erin');
      const erinToken = await app.gateway.servicesFor(erin).users.createOwnToken({ label: 'dev-only', environments: ['dev'] });
      // Narrowing only: dana can't mint a prod token, whatever she asks for.
      await expect(app.gateway.servicesFor(dana).users.createOwnToken({ environments: ['prod'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });

      const admin = await app.gateway.localCaller(undefined);
      const everything = await gql.as(admin, LISTS);
      expect(everything.errors).toBeUndefined();
      expect(everything.data.dockerNodes.totalCount).toBe(3);
      expect(everything.data.assessments.totalCount).toBe(3);

      for (const secret of [danaToken.secret, erinToken.secret]) {
        const caller = await app.gateway.authenticate(secret);
        expect(caller).toMatchObject({ environments: ['dev'] });
        const lists = await gql.as(caller, LISTS);
        expect(lists.errors).toBeUndefined();
        expect(lists.data.dockerNodes).toEqual({ totalCount: 2, edges: [{ node: { name: 'dev-1' } }, { node: { name: 'dev-2' } }] });
        // The mixed run covers a prod node: hidden with it.
        expect(lists.data.assessments).toEqual({ totalCount: 1, edges: [{ node: { assessmentId: 'run-dev' } }] });

        const one = await gql.as(caller, `{ prod: dockerNode(ref: "prod-1") { name } dev: dockerNode(ref: "dev-1") { name } run: assessment(assessmentId: "run-prod") { assessmentId } mixed: assessment(assessmentId: "run-mixed") { assessmentId } }`);
        expect(one.errors).toBeUndefined();
        expect(one.data).toEqual({ prod: null, dev: { name: 'dev-1' }, run: null, mixed: null });

        // A prod node's global id reads as one that no longer exists; acting on it is NOT_FOUND, as for an unknown node.
        const ids = await gql.as(admin, `{ dockerNode(ref: "prod-1") { id } }`);
        const byId = await gql.as(caller, `query($id: ID!) { node(id: $id) { id } }`, { id: ids.data.dockerNode.id });
        expect(byId.data).toEqual({ node: null });
        const removal = await gql.as(caller, `mutation($id: ID!) { removeDockerNode(input: { id: $id }) { removedId } }`, { id: ids.data.dockerNode.id });
        expect(removal.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(removal.errors?.[0]?.message).not.toMatch(/prod|environment/i);
        const devRun = await gql.as(caller, `{ assessment(assessmentId: "run-dev") { assessmentId } }`);
        expect(devRun.data).toEqual({ assessment: { assessmentId: 'run-dev' } });
      }

      // Only admins who see every environment set scopes; the change is audited.
      const widen = await gql.as(await app.gateway.localCaller('dana'), `mutation { setUserEnvironments(input: { user: "dana", environments: ["prod"] }) { user { environments } } }`);
      expect(widen.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const set = await gql.as(admin, `mutation { setUserEnvironments(input: { user: "erin", environments: ["test", "dev", "dev"] }) { user { name environments } } }`);
      expect(set.data.setUserEnvironments.user).toEqual({ name: 'erin', environments: ['dev', 'test'] });
      const audit = await app.services.audit.list({ first: 100 });
      expect(audit.edges.map((e) => e.node).filter((r) => r.action === 'setUserEnvironments').map((r) => r.outcome)).toEqual(['success', 'failure']); // newest first
      // erin's token (narrowed to dev) now acts in dev ∩ {dev, test}; a scope without dev leaves it nothing.
      await app.services.users.setEnvironments('erin', ['test']);
      const narrowed = await app.gateway.authenticate(erinToken.secret);
      expect(narrowed).toMatchObject({ environments: [] });
      expect((await gql.as(narrowed, LISTS)).data.dockerNodes.totalCount).toBe(0);
    } finally {
      await gql.stop();
    }
  });

  it('the CLI as a dev-scoped user: prod nodes are not found (exit 2), runs naming one are refused whole', async () => {
    await app.close();
    const io = new MemoryIo();
    const memory = new MemoryRuntime();
    const runtime: CliRuntime = { open: createCliRuntime().open, serve: (opts) => memory.serve(opts) };
    const cli = async (...args: string[]): Promise<number> => {
      io.stdout = [];
      io.stderr = [];
      return runCli([...args, '--db', dbFile], runtime, io);
    };
    expect(await cli('--as', 'dana', 'node', 'list', '--json')).toBe(0);
    expect((JSON.parse(io.outText) as { name: string }[]).map((x) => x.name)).toEqual(['dev-1', 'dev-2']);
    expect(await cli('--as', 'dana', 'node', 'remove', 'prod-1')).toBe(2);
    expect(io.errText).toBe('error[NOT_FOUND]: No node matches "prod-1" (by id, name or endpoint)');
    // Same words as for a node that does not exist at all.
    expect(await cli('--as', 'dana', 'node', 'remove', 'nope-1')).toBe(2);
    expect(io.errText).toBe('error[NOT_FOUND]: No node matches "nope-1" (by id, name or endpoint)');
    expect(await cli('--as', 'dana', 'assess', '--node', 'dev-1', '--node', 'prod-1', '--benchmark', 'doc-1')).toBe(2);
    expect(io.errText).toBe('error[NOT_FOUND]: No node matches "prod-1" (by id, name or endpoint)');
    // Registering a node in another environment is refused; scopes are set by admins who see everything.
    expect(await cli('--as', 'dana', 'node', 'add', 'prod-2', 'unix:///run/prod-2.sock', '--environment', 'prod')).toBe(5);
    expect(await cli('--as', 'dana', 'user', 'scope', 'dana', '--environment', 'prod')).toBe(5);
    expect(await cli('user', 'scope', 'dana', '--environment', 'dev', '--environment', 'prod')).toBe(0);
    expect(io.outText).toMatch(/^user dana \(\S+\): environments dev, prod$/);
    expect(await cli('--as', 'dana', 'node', 'list', '--json')).toBe(0);
    expect((JSON.parse(io.outText) as { name: string }[]).map((x) => x.name)).toEqual(['dev-1', 'dev-2', 'prod-1']);
    expect(await cli('user', 'scope', 'dana', '--all')).toBe(0);
    expect(io.outText).toMatch(/every environment$/);
    expect(await cli('--as', 'dana', 'token', 'mint', '--environment', 'dev', '--environment', 'bad name')).toBe(2);
    expect(io.errText).toMatch(/^error\[BAD_INPUT\]: Invalid environment scope: environment 2 \("bad name"\)/);
  });

  it('a schedule runs as its owner: a dev-scoped owner\'s selector reaches dev nodes only, and a prod node is gone for it', async () => {
    const dana = app.gateway.servicesFor(await app.gateway.localCaller('dana'));
    // Naming another environment is refused outright; a selector without one picks what dana sees.
    await expect(dana.schedules.create({ name: 'prod-nightly', cron: '0 2 * * *', labels: { tier: 'web' }, environment: 'prod', benchmark: 'doc-1' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await dana.schedules.create({ name: 'web-nightly', cron: '0 2 * * *', labels: { tier: 'web' }, benchmark: 'doc-1' });
    const jobs = await dana.schedules.runNow('web-nightly', { wait: true });
    // Both dev nodes are unreachable here (no engine): what matters is which nodes the run was for.
    expect(jobs.map((j) => j.nodeName).sort()).toEqual(['dev-1', 'dev-2']);

    // erin's schedule of prod-1, made while she saw everything, finds no node once she is limited to dev.
    const erin = app.gateway.servicesFor(await app.gateway.localCaller('erin'));
    await erin.schedules.create({ name: 'prod-1-nightly', cron: '0 3 * * *', node: 'prod-1', benchmark: 'doc-1' });
    await app.services.users.setEnvironments('erin', ['dev']);
    const [job] = await app.services.schedules.runNow('prod-1-nightly', { wait: true });
    expect(job?.state).toMatchObject({ status: 'failed', code: 'NOT_FOUND' });
    // dana never sees it: it reads as unknown.
    expect(await dana.schedules.get('prod-1-nightly')).toBeUndefined();
    await expect(dana.schedules.runNow('prod-1-nightly')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await dana.schedules.list()).map((x) => x.name)).toEqual(['web-nightly']);
  });

  it('exemptions: a dev-scoped assessor exempts dev nodes only; prod reads as unknown, every node is refused', async () => {
    const dana = app.gateway.servicesFor(await app.gateway.localCaller('dana'));
    const base = { name: 'vendor', rule: '*', container: 'web-*', justification: 'vendor image', expiresAt: '2099-01-01' };
    await expect(dana.exemptions.request({ ...base })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dana.exemptions.request({ ...base, node: 'prod-1' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No node matches "prod-1" (by id, name or endpoint)' });
    const mine = await dana.exemptions.request({ ...base, node: 'dev-1' });
    const theirs = await app.services.exemptions.request({ ...base, node: 'prod-1' });
    expect((await dana.exemptions.list()).map((e) => e.id)).toEqual([mine.id]);
    expect(await dana.exemptions.get(theirs.id)).toBeUndefined();
    await expect(dana.exemptions.revoke(theirs.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A page can't be narrowed yet: refused, never shown unfiltered.
    await expect(dana.exemptions.page({}, { first: 10 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
