/**
 * Schedules and notifications on real parts: a private Docker daemon, the wired application (src/main.ts)
 * over a SQLite file with the Docker STIG imported, the HTTP server on a free port, a graphql-ws client and
 * a webhook receiver (an HTTP server of the test that verifies the HMAC signature). Time is the system
 * clock moved by an offset the test sets, so a daily schedule's midnight can be reached, and days can pass
 * while the server is down.
 *
 * 1. a schedule (daily at midnight, UTC) fires at its time on the real daemon, as its owner: the job
 *    succeeds with an assessment, and both the subscription and the webhook get its events;
 * 2. the server stops, three midnights pass, a new server opens the same database: the schedule is still
 *    there and the missed firings run once (trigger `missed`), not three times;
 * 3. a receiver that answers 503 twice gets the delivery on the third attempt, each retry later than the
 *    one before (exponential backoff), and the delivery log keeps the codes, never the body.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedApp } from '../../src/cli/runtime.js';
import type { Principal } from '../../src/domain/auth.js';
import type { ScheduleJob } from '../../src/domain/schedule.js';
import { startHttpServer, type RunningHttpServer } from '../../src/http/server.js';
import { openApp } from '../../src/main.js';
import { CCI_LIST, DOCKER_STIG_V2R2, localContents, shared, tempDir } from '../harness/content.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';
import { eventually } from '../harness/eventually.js';
import { shiftedClock } from '../harness/shifted-clock.js';

const DAY = 86_400_000;
const BENCHMARK = 'Docker_Enterprise_2-x_Linux-UNIX_STIG';

interface Received {
  at: number;
  status: number;
  event: string;
  delivery: string;
  body: Record<string, any>;
}

/** An HTTP receiver that checks the signature of every POST; answers each with the next status of `answers` (then 200). */
async function startReceiver(secret: () => string | undefined, answers: number[] = []): Promise<{ url: string; received: Received[]; badSignatures: number; close(): Promise<void> }> {
  const state = { received: [] as Received[], badSignatures: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const key = secret();
      const expected = key === undefined ? Buffer.alloc(0) : Buffer.from(`sha256=${createHmac('sha256', key).update(raw).digest('hex')}`);
      const got = Buffer.from(String(req.headers['x-plimsoll-signature-256'] ?? ''));
      if (expected.length === 0 || got.length !== expected.length || !timingSafeEqual(got, expected)) {
        state.badSignatures += 1;
        res.writeHead(401).end('bad signature');
        return;
      }
      const status = answers.shift() ?? 200;
      state.received.push({ at: Date.now(), status, event: String(req.headers['x-plimsoll-event']), delivery: String(req.headers['x-plimsoll-delivery']), body: JSON.parse(raw.toString('utf8')) });
      res.writeHead(status).end(status === 200 ? 'ok' : 'a remote body that must never be stored');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get received() {
      return state.received;
    },
    get badSignatures() {
      return state.badSignatures;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let daemon: PrivateDaemon;
let dir: string;
let dbFile: string;
let app: OpenedApp;
let server: RunningHttpServer;
let ws: Client | undefined;
const clock = shiftedClock();
let assessorSecret: string;
let adminSecret: string;
let assessor: Principal;
let scheduleId: string;
let webhookSecret: string | undefined;
let retrySecret: string | undefined;
const ENV = {
  PLIMSOLL_WEBHOOK_ALLOWLIST: '127.0.0.1',
  PLIMSOLL_WEBHOOK_RETRY_BASE_MS: '400',
  PLIMSOLL_WEBHOOK_MAX_ATTEMPTS: '5',
  PLIMSOLL_SCHEDULE_CONCURRENCY: '2',
  PLIMSOLL_SECRET_KEY: randomBytes(32).toString('base64'),
};
const saved: Record<string, string | undefined> = {};

async function open(): Promise<void> {
  app = await openApp({ db: dbFile, clock });
  server = await startHttpServer({ gateway: app.gateway, host: '127.0.0.1', port: 0 });
  app.monitor!.start();
}

async function shutdown(): Promise<void> {
  await ws?.dispose();
  ws = undefined;
  await app?.monitor?.stop();
  await server?.close();
  await app?.close();
}

async function asAdmin(): Promise<ReturnType<OpenedApp['gateway']['servicesFor']>> {
  return app.gateway.servicesFor((await app.gateway.authenticate(adminSecret)) as Principal);
}

async function jobsOf(id: string): Promise<ScheduleJob[]> {
  return (await app.services.schedules.jobs({ schedule: id }, { first: 100 })).edges.map((e) => e.node);
}

/** The next midnight (UTC) after the clock's now. */
function nextMidnight(): Date {
  const now = clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  dir = tempDir();
  dbFile = path.join(dir, 'plimsoll.db');
  process.env.PLIMSOLL_CONTENT_CACHE = path.join(dir, 'cache');
  daemon = await startDockerDaemon();
  await importBusyboxImage(daemon);
  await daemon.docker(['run', '-d', '--name', 'web', '--network', 'none', '--memory', '64m', BUSYBOX_IMAGE]);
  await open();
  await app.services.imports.importDocuments(localContents([shared(...CCI_LIST), shared(...DOCKER_STIG_V2R2)]));
  await app.services.nodes.register({ name: 'alpha', endpoint: daemon.endpoint });
  const system = app.gateway.servicesFor(await app.gateway.system());
  adminSecret = (await system.users.createToken('carol-admin', 'admin')).secret;
  assessorSecret = (await system.users.createToken('alice-assessor', 'assessor')).secret;
  assessor = (await app.gateway.authenticate(assessorSecret)) as Principal;
}, 300_000);

afterAll(async () => {
  await shutdown();
  await daemon?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('scheduled assessments and their notifications', () => {
  it('fires a daily schedule at its time on the real daemon, as its owner; a graphql-ws client and a signed webhook both get the events', async () => {
    const adminServices = await asAdmin();
    let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
    receiver = await startReceiver(() => webhookSecret);
    try {
      const registered = await adminServices.webhooks.register({ name: 'soc', url: receiver.url, filter: { types: ['assessment.started', 'assessment.node', 'assessment.completed'] } });
      webhookSecret = registered.secret;
      expect(webhookSecret).toMatch(/^whsec_/);

      // The subscription, over graphql-ws on /graphql, authenticated by the token in connection_init.
      const events: Record<string, any>[] = [];
      ws = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${assessorSecret}` }, retryAttempts: 0, lazy: false });
      const ended = new Promise<void>((resolve, reject) => {
        ws!.subscribe(
          { query: 'subscription { events(filter: { types: [ASSESSMENT_STARTED, ASSESSMENT_NODE, ASSESSMENT_COMPLETED] }) { __typename type eventId dockerNodeIds ... on AssessmentStartedEvent { assessmentId scheduleId jobId actorUserId } ... on AssessmentNodeEvent { dockerNodeName state } ... on AssessmentCompletedEvent { assessmentId status counts { pass fail error } } } }' },
          { next: (r) => (r.errors ? reject(new Error(JSON.stringify(r.errors))) : events.push(r.data!.events as Record<string, any>)), error: reject, complete: resolve },
        );
      });
      void ended.catch(() => undefined);

      const created = await app.gateway.servicesFor(assessor).schedules.create({ name: 'nightly', cron: '0 0 * * *', node: 'alpha', benchmark: BENCHMARK });
      scheduleId = created.id;
      const midnight = nextMidnight();
      expect(created.nextRunAt).toBe(midnight.toISOString());
      expect(created.ownerName).toBe('alice-assessor');
      // Let the scheduler take the lease before its time comes, so the firing is an on-time one.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await jobsOf(scheduleId)).toEqual([]);
      clock.set(new Date(midnight.getTime() + 500));

      await eventually(async () => (await jobsOf(scheduleId)).some((j) => j.state.status !== 'queued' && j.state.status !== 'running'), 'the scheduled job to end', 120_000);
      const [job] = await jobsOf(scheduleId);
      expect(job).toMatchObject({ name: 'nightly/alpha', trigger: 'cron', dueAt: midnight.toISOString(), state: { status: 'succeeded' } });
      const assessmentId = (job!.state as { assessmentId: string }).assessmentId;
      const assessment = await app.services.assessments.get(assessmentId);
      expect(assessment?.status).toBe('completed');
      expect((await app.services.schedules.get(scheduleId))?.nextRunAt).toBe(new Date(midnight.getTime() + DAY).toISOString());

      // The run is the owner's, audited as theirs.
      const audit = (await adminServices.audit.list({ first: 50 })).edges.map((e) => e.node);
      expect(audit.find((r) => r.action === 'runAssessment')).toMatchObject({ actor: 'alice-assessor', via: 'schedule', outcome: 'success' });

      await eventually(async () => events.some((e) => e.__typename === 'AssessmentCompletedEvent'), 'the completed event over graphql-ws', 30_000);
      expect(events.map((e) => e.type)).toEqual(['ASSESSMENT_STARTED', 'ASSESSMENT_NODE', 'ASSESSMENT_COMPLETED']);
      expect(events[0]).toMatchObject({ assessmentId, scheduleId, jobId: job!.id, actorUserId: assessor.userId });
      expect(events[1]).toMatchObject({ dockerNodeName: 'alpha', state: 'COLLECTED' });
      expect(events[2]).toMatchObject({ assessmentId, status: 'COMPLETED' });
      expect(events[2]!.counts.pass + events[2]!.counts.fail).toBeGreaterThan(0);

      await eventually(async () => receiver!.received.some((r) => r.event === 'assessment.completed'), 'the completed event at the webhook', 30_000);
      expect(receiver.badSignatures).toBe(0);
      expect(receiver.received.map((r) => r.event)).toEqual(['assessment.started', 'assessment.node', 'assessment.completed']);
      expect(receiver.received[2]!.body.event).toMatchObject({ type: 'assessment.completed', assessmentId, status: 'completed' });
      expect(new Set(receiver.received.map((r) => r.body.event.id))).toEqual(new Set(events.map((e) => e.eventId)));
      await adminServices.webhooks.remove('soc');
    } finally {
      await receiver?.close();
    }
  }, 300_000);

  it('refuses a subscription without a valid credential and a query document over the socket', async () => {
    const refused = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer plm_forged' }, retryAttempts: 0, lazy: false });
    const closed = await new Promise<unknown>((resolve) => {
      refused.on('closed', (e) => resolve(e));
    });
    expect((closed as { code: number }).code).toBe(4403);
    await refused.dispose();

    const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${assessorSecret}` }, retryAttempts: 0 });
    const errors = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: '{ me { name } }' }, { next: () => undefined, error: resolve, complete: () => resolve(undefined) });
    });
    expect(JSON.stringify(errors)).toContain('Only subscriptions are served over WebSocket');
    await client.dispose();
  });

  it('keeps its schedules across a restart and runs the firings missed while it was down once', async () => {
    await shutdown();
    // Three midnights pass with no server.
    clock.advance(3 * DAY);
    await open();
    await eventually(async () => (await jobsOf(scheduleId)).length >= 2 && (await jobsOf(scheduleId)).every((j) => j.state.status !== 'queued' && j.state.status !== 'running'), 'the missed firing to run', 120_000);
    // A few more scheduler ticks: nothing else fires until the next midnight.
    await new Promise((r) => setTimeout(r, 3000));
    const jobs = await jobsOf(scheduleId);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]).toMatchObject({ trigger: 'missed', state: { status: 'succeeded' } });
    expect(jobs[1]).toMatchObject({ trigger: 'cron' });
    const schedule = await app.services.schedules.get('nightly');
    expect(schedule?.state).toEqual({ status: 'active' });
    expect(new Date(schedule!.nextRunAt!).getTime()).toBeGreaterThan(clock.now().getTime());
  }, 300_000);

  it('shows the schedule and its jobs over GraphQL, refetchable by their Node ids', async () => {
    const post = async (query: string, variables: Record<string, unknown> = {}): Promise<any> => {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${assessorSecret}` }, body: JSON.stringify({ query, variables }) });
      return res.json();
    };
    const read = await post('{ schedule(ref: "nightly") { id scheduleId status ownerName target { kind dockerNodeName } jobs(first: 10) { totalCount edges { node { id name trigger status assessmentId } } } } }');
    expect(read.errors).toBeUndefined();
    const schedule = read.data.schedule;
    expect(schedule).toMatchObject({ scheduleId, status: 'ACTIVE', ownerName: 'alice-assessor', target: { kind: 'NODE', dockerNodeName: 'alpha' } });
    expect(schedule.jobs.edges.map((e: any) => e.node.trigger)).toEqual(['MISSED', 'CRON']);
    const refetched = await post('query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Schedule { name } } b: node(id: $b) { ... on ScheduleJob { name status } } }', { a: schedule.id, b: schedule.jobs.edges[0].node.id });
    expect(refetched.data).toEqual({ a: { name: 'nightly' }, b: { name: 'nightly/alpha', status: 'SUCCEEDED' } });
    const tooMany = await post('{ scheduleJobs(first: 101) { totalCount } }');
    expect(tooMany.errors[0].extensions.code).toBe('BAD_INPUT');
  });

  it('retries a failing receiver with exponential backoff and logs codes, never the remote body', async () => {
    const receiver = await startReceiver(() => retrySecret, [503, 503]);
    try {
      const admin = await asAdmin();
      const hook = await admin.webhooks.register({ name: 'flaky', url: receiver.url, filter: { types: ['assessment.completed'] } });
      retrySecret = hook.secret;
      const [job] = await app.gateway.servicesFor(assessor).schedules.runNow('nightly', { wait: true });
      expect(job).toMatchObject({ trigger: 'manual', state: { status: 'succeeded' } });
      await eventually(async () => receiver.received.some((r) => r.status === 200), 'the third attempt to be accepted', 60_000);
      expect(receiver.received.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(new Set(receiver.received.map((r) => r.delivery)).size).toBe(1);
      const [first, second, third] = receiver.received.map((r) => r.at);
      // 400 ms, then 800 ms (+ up to 10 % jitter): each wait longer than the one before.
      expect(second! - first!).toBeGreaterThanOrEqual(400);
      expect(third! - second!).toBeGreaterThanOrEqual(800);
      expect(third! - second!).toBeGreaterThan(second! - first!);
      await eventually(async () => (await admin.webhooks.deliveries('flaky', {}, { first: 10 })).edges[0]?.node.state.status === 'delivered', 'the delivery to be logged', 10_000);
      const [delivery] = (await admin.webhooks.deliveries('flaky', {}, { first: 10 })).edges.map((e) => e.node);
      expect(delivery).toMatchObject({ attempts: 3, lastResponseCode: 200, eventType: 'assessment.completed' });
      expect(JSON.stringify(delivery)).not.toContain('remote body');
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
