/**
 * Webhook delivery over a real SQLite file and real HTTP (a receiver on loopback, allowed by the allow-list),
 * with a clock the test moves: the HMAC signature, retries with exponential backoff, giving up, a queue that
 * survives a restart, the delivery log (codes, never the remote body) and the SSRF rules.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlimsollEvent } from '../../../src/domain/events.js';
import { InProcessEventBus } from '../../../src/monitoring/event-bus.js';
import { WebhookWorker, startWebhookDispatcher } from '../../../src/monitoring/webhook-worker.js';
import type { WebhookSecretBox } from '../../../src/monitoring/webhook-service.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { HttpWebhookTransport, WebhookTargetRules } from '../../../src/repositories/http/webhook-http.js';
import { KyselyWebhookRepository } from '../../../src/repositories/monitoring/webhook-repository.js';
import { SecretBox } from '../../../src/repositories/secret-box.js';
import { DefaultWebhookService } from '../../../src/monitoring/webhook-service.js';
import { tempDir } from '../../harness/content.js';
import { fakeClock, type FakeClock } from './fake-clock.js';

const SECRET = 'whsec_test-secret';
const box: WebhookSecretBox = new SecretBox(randomBytes(32));
const RETRY = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3_600_000 };

const event = (id: string, over: Partial<PlimsollEvent> = {}): PlimsollEvent =>
  ({ id, at: '2026-03-10T12:00:00.000Z', scope: { nodeIds: ['n1'], environments: ['prod'] }, type: 'assessment.completed', assessmentId: 'a1', status: 'completed', summary: { pass: 3, fail: 1 }, maxSeverity: 'high', ...over }) as PlimsollEvent;

interface Hit {
  signature: string;
  body: string;
  delivery: string;
}

let dir: string;
let db: Db;
let repo: KyselyWebhookRepository;
let clock: FakeClock;
let server: http.Server;
let url: string;
let hits: Hit[];
let answers: number[];

async function addWebhook(id = 'w1', filter = {}): Promise<void> {
  await repo.insert({ id, name: id, url, filter, createdAt: clock.now().toISOString(), createdBy: 'carol-admin' }, box.seal(Buffer.from(SECRET), 'webhook-secret'));
}

function worker(r = repo): WebhookWorker {
  return new WebhookWorker({ repo: r, clock, transport: new HttpWebhookTransport(new WebhookTargetRules(['127.0.0.1']), 5000), secrets: box }, { retry: RETRY, random: () => 0 });
}

async function deliveries(id = 'w1') {
  return (await repo.pageDeliveries(id, {}, { first: 100 })).edges.map((e) => e.node);
}

beforeEach(async () => {
  dir = tempDir('plimsoll-webhooks-');
  db = await openDatabase(path.join(dir, 'test.db'));
  repo = new KyselyWebhookRepository(db);
  clock = fakeClock(new Date('2026-03-10T12:00:00.000Z'));
  hits = [];
  answers = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ signature: String(req.headers['x-plimsoll-signature-256']), body: Buffer.concat(chunks).toString('utf8'), delivery: String(req.headers['x-plimsoll-delivery']) });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'text/plain' }).end('REMOTE-BODY-SECRET stack trace of the receiver');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('webhook delivery', () => {
  it('queues matching events from the bus and POSTs them signed with HMAC-SHA256 over the raw body', async () => {
    await addWebhook('w1', { types: ['assessment.completed'], minSeverity: 'high' });
    const bus = new InProcessEventBus();
    const stop = startWebhookDispatcher({ source: bus, repo, clock, newId: (() => { let i = 0; return () => `d${++i}`; })() });
    bus.publish(event('e1'));
    bus.publish(event('e2', { type: 'assessment.started', benchmarkIds: [] } as Partial<PlimsollEvent>));
    bus.publish(event('e3', { maxSeverity: 'low' } as Partial<PlimsollEvent>));
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect((await deliveries()).map((d) => d.eventId)).toEqual(['e1']);

    expect(await worker().pass()).toBe(1);
    expect(hits).toHaveLength(1);
    const expected = `sha256=${createHmac('sha256', SECRET).update(hits[0]!.body).digest('hex')}`;
    expect(hits[0]!.signature).toBe(expected);
    expect(JSON.parse(hits[0]!.body)).toMatchObject({ deliveryId: 'd1', webhookId: 'w1', event: { id: 'e1', type: 'assessment.completed' } });
    expect((await deliveries())[0]).toMatchObject({ attempts: 1, lastResponseCode: 200, state: { status: 'delivered' } });
  });

  it('retries 5xx answers with exponential backoff, then delivers; the log keeps codes, never the body', async () => {
    await addWebhook();
    await repo.enqueue(event('e1'), ['w1'], () => 'd1', clock.now().toISOString());
    answers = [503, 502, 429];
    const w = worker();
    const t0 = clock.now().getTime();
    const nextAt = async (): Promise<number> => {
      const [d] = await deliveries();
      return d!.state.status === 'pending' ? new Date(d!.state.nextAttemptAt).getTime() - t0 : NaN;
    };

    expect(await w.pass()).toBe(1);
    expect(await nextAt()).toBe(1000);
    expect(await w.pass()).toBe(0); // not due yet
    await clock.advance(1000);
    expect(await w.pass()).toBe(1);
    expect(await nextAt()).toBe(1000 + 2000);
    await clock.advance(2000);
    expect(await w.pass()).toBe(1);
    expect(await nextAt()).toBe(3000 + 4000);
    const [pending] = await deliveries();
    expect(pending).toMatchObject({ attempts: 3, lastResponseCode: 429, lastError: 'HTTP 429' });
    await clock.advance(4000);
    expect(await w.pass()).toBe(1);
    const [done] = await deliveries();
    expect(done).toMatchObject({ attempts: 4, lastResponseCode: 200, state: { status: 'delivered' } });
    expect(hits.map((h) => h.delivery)).toEqual(['d1', 'd1', 'd1', 'd1']);
    expect(JSON.stringify(await deliveries())).not.toContain('REMOTE-BODY');
  });

  it('gives up after the last attempt, and at once on an answer that waiting will not fix', async () => {
    await addWebhook();
    await repo.enqueue(event('e1'), ['w1'], () => 'd1', clock.now().toISOString());
    answers = [500, 500, 500, 500];
    const w = worker();
    for (const wait of [0, 1000, 2000, 4000]) {
      await clock.advance(wait);
      await w.pass();
    }
    expect((await deliveries())[0]).toMatchObject({ attempts: 4, state: { status: 'failed', reason: 'gave up after 4 attempts (last: HTTP 500)' } });

    await repo.enqueue(event('e2'), ['w1'], () => 'd2', clock.now().toISOString());
    answers = [404];
    await w.pass();
    expect((await deliveries()).find((d) => d.id === 'd2')).toMatchObject({ attempts: 1, lastResponseCode: 404, state: { status: 'failed' } });
  });

  it('keeps the queue across a restart: a new worker on the same database delivers what was pending or in flight', async () => {
    await addWebhook();
    await repo.enqueue(event('e1'), ['w1'], () => 'd1', clock.now().toISOString());
    await repo.enqueue(event('e2'), ['w1'], () => 'd2', clock.now().toISOString());
    answers = [503];
    await worker().pass();
    // A worker that claimed d2 and died before recording its attempt.
    await db.updateTable('webhook_delivery').set({ status: 'delivering' }).where('id', '=', 'd2').execute();
    await db.destroy();

    db = await openDatabase(path.join(dir, 'test.db'));
    repo = new KyselyWebhookRepository(db);
    const again = worker(repo);
    again.start();
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 200));
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 200));
    await again.stop();
    const byId = Object.fromEntries((await deliveries()).map((d) => [d.id, d]));
    expect(byId.d1?.state.status).toBe('delivered');
    expect(byId.d2?.state.status).toBe('delivered');
  });
});

describe('webhook registration', () => {
  it('shows the signing secret once and stores it sealed; a worker with another key cannot open it', async () => {
    const service = new DefaultWebhookService({ repo, clock, nodes: { find: async () => undefined }, targets: new WebhookTargetRules(['127.0.0.1']), secrets: box });
    const { webhook, secret } = await service.register({ name: 'soc', url, filter: {} }, { userId: 'u1', name: 'carol-admin', role: 'admin', kind: 'person', via: 'token' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = await db.selectFrom('webhook').selectAll().where('id', '=', webhook.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret.slice('whsec_'.length));
    expect(box.open((await repo.sealedSecret(webhook.id))!, 'webhook-secret').toString('utf8')).toBe(secret);
    expect(JSON.stringify(await service.get('soc'))).not.toContain(secret.slice('whsec_'.length));

    await repo.enqueue(event('e1'), [webhook.id], () => 'd1', clock.now().toISOString());
    const otherKey = new WebhookWorker({ repo, clock, transport: new HttpWebhookTransport(new WebhookTargetRules(['127.0.0.1']), 5000), secrets: new SecretBox(randomBytes(32)) }, { retry: RETRY });
    await otherKey.pass();
    expect(hits).toHaveLength(0);
    expect((await repo.pageDeliveries(webhook.id, {}, { first: 10 })).edges[0]?.node.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('PLIMSOLL_SECRET_KEY') });
  });
});

describe('webhook target rules (SSRF)', () => {
  const resolveTo = (address: string) => async () => [{ address, family: address.includes(':') ? 6 : 4 }];

  it('refuses plain http, loopback, private, link-local (metadata) and mapped addresses without an allow-list', async () => {
    const rules = new WebhookTargetRules([], resolveTo('93.184.216.34'));
    await expect(rules.check(new URL('http://example.com/hook'))).rejects.toMatchObject({ code: 'WEBHOOK_NOT_ALLOWED' });
    await expect(rules.check(new URL('https://example.com/hook'))).resolves.toBeUndefined();
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:10.0.0.1']) {
      const r = new WebhookTargetRules([], resolveTo(address));
      await expect(r.check(new URL('https://hooks.example.com/x'))).rejects.toMatchObject({ code: 'WEBHOOK_NOT_ALLOWED' });
    }
  });

  it('with an allow-list, accepts listed ranges (http too) and refuses the rest', async () => {
    const rules = new WebhookTargetRules(['10.0.0.0/8'], resolveTo('10.9.9.9'));
    await expect(rules.check(new URL('http://soc.internal/hook'))).resolves.toBeUndefined();
    const other = new WebhookTargetRules(['10.0.0.0/8'], resolveTo('192.168.0.5'));
    await expect(other.check(new URL('http://soc.internal/hook'))).rejects.toMatchObject({ code: 'WEBHOOK_NOT_ALLOWED' });
    expect(() => new WebhookTargetRules(['not a host!'])).toThrow(/PLIMSOLL_WEBHOOK_ALLOWLIST/);
  });

  it('never connects to a refused target: the transport classifies it refused', async () => {
    const transport = new HttpWebhookTransport(new WebhookTargetRules([]), 2000);
    const outcome = await transport.post(url, '{}', {});
    expect(outcome.kind).toBe('refused');
    expect(hits).toHaveLength(0);
  });
});
