/**
 * Registration of registries, trust servers and signers over a real SQLite file: credentials sealed at rest
 * (the database files never hold the password), never returned, never in an error or an audit record; admins
 * only, through the gateway's policy table; the file's entries win; assessments' settings source sees the
 * registered entries with their credentials opened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceGateway } from '../../../src/auth/service-gateway.js';
import type { AuditEntry, Principal } from '../../../src/domain/auth.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import type { AppServices } from '../../../src/domain/services.js';
import type { EnvironmentSupplyChain } from '../../../src/domain/supply-chain.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselySupplyChainRepository } from '../../../src/repositories/supply-chain-repository.js';
import { RegisteredSupplyChainSettings } from '../../../src/supply-chain/registered-settings.js';
import { DefaultSupplyChainService } from '../../../src/supply-chain/supply-chain-service.js';
import { rejection } from '../../harness/errors.js';
import { TEST_SECRET_BOX, makeTlsMaterial, type TlsMaterial } from '../../harness/tls.js';
import { tokenPrincipal } from '../../fixtures/principals.js';

const PASSWORD = 'Pl1msoll-registry-s3cret-!';
const TRUST_PASSWORD = 'n0tary-trust-pa55word';
const ADMIN = tokenPrincipal('carol', 'admin');
const ASSESSOR = tokenPrincipal('alice', 'assessor');
const AUDITOR = tokenPrincipal('bob', 'auditor');
const KEY_ID = 'a'.repeat(64);

const FILE: EnvironmentSupplyChain[] = [
  {
    environment: 'prod',
    registries: [{ name: 'file-prod', host: 'file.example.mil', url: 'https://file.example.mil' }],
    trustServers: [{ name: 'file-notary', url: 'https://notary.example.mil' }],
    allowedSigners: [{ role: 'targets/releases' }],
  },
];

let tls: TlsMaterial;
let tlsDir: string;
beforeAll(async () => {
  tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-sc-tls-'));
  tls = await makeTlsMaterial(tlsDir);
});
afterAll(() => fs.rmSync(tlsDir, { recursive: true, force: true }));

describe('DefaultSupplyChainService', () => {
  let tmp: string;
  let file: string;
  let db: Db;
  let repo: KyselySupplyChainRepository;
  let service: DefaultSupplyChainService;
  let ids: number;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-sc-'));
    file = path.join(tmp, 'db.sqlite');
    db = await openDatabase(file);
    repo = new KyselySupplyChainRepository(db);
    ids = 0;
    service = new DefaultSupplyChainService({ repo, secrets: TEST_SECRET_BOX, fileEnvironments: FILE, now: () => new Date('2026-12-02T08:00:00Z'), newId: () => `id-${++ids}` });
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const ca = () => ({ name: 'ca.pem', bytes: fs.readFileSync(tls.ca) });

  async function registerBoth() {
    const notary = await service.registerTrustServer({ name: 'notary', url: 'https://127.0.0.1:4443/', ca: ca(), credentials: { username: 'trust', password: TRUST_PASSWORD }, pinnedRootKeys: { '127.0.0.1:5000/app': [KEY_ID] } }, ADMIN);
    const registry = await service.registerRegistry(
      { name: 'dev-registry', url: 'https://127.0.0.1:5000', environment: 'dev', trustServer: 'notary', repositories: ['app', 'team/*'], ca: ca(), credentials: { username: 'plimsoll', password: PASSWORD } },
      ADMIN,
    );
    return { notary, registry };
  }

  it('registers a registry and a trust server, returning whether credentials are stored, never them', async () => {
    const { notary, registry } = await registerBoth();
    expect(registry).toMatchObject({ id: 'id-2', name: 'dev-registry', host: '127.0.0.1:5000', url: 'https://127.0.0.1:5000', environment: 'dev', trustServer: 'notary', repositories: ['app', 'team/*'], hasCredentials: true, createdBy: 'carol' });
    expect(registry.caPem).toContain('BEGIN CERTIFICATE');
    expect(notary).toMatchObject({ name: 'notary', url: 'https://127.0.0.1:4443', hasCredentials: true, pinnedRootKeys: { '127.0.0.1:5000/app': [KEY_ID] } });
    const everything = JSON.stringify([registry, notary, await service.listRegistries(), await service.listTrustServers(), await service.pageRegistries({ first: 10 }), await service.getRegistry('dev-registry')]);
    for (const secret of [PASSWORD, TRUST_PASSWORD, 'plimsoll"', 'trust"']) expect(everything).not.toContain(secret);
  });

  it('keeps the passwords sealed at rest: the database files never hold them', async () => {
    await registerBoth();
    await service.updateRegistry('dev-registry', { credentials: { username: 'plimsoll', password: `${PASSWORD}-2` } }, ADMIN);
    await db.destroy();
    const bytes = Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, TRUST_PASSWORD]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    db = await openDatabase(file);
    repo = new KyselySupplyChainRepository(db);
    expect((await repo.findRegistry('name', 'dev-registry'))?.credentialsSealed).toMatch(/^v1:/);
  });

  it('hands the registered entries, credentials opened, to assessments with the file\'s (which win)', async () => {
    await registerBoth();
    await service.setSigners('dev', [{ role: 'targets/alice', keyIds: [KEY_ID] }], ADMIN);
    let clock = 0;
    const settings = new RegisteredSupplyChainSettings(FILE, repo, TEST_SECRET_BOX, { maxAgeMs: 2000, now: () => clock });
    expect(settings.forEnvironment('dev')).toBeUndefined();
    await settings.refresh();
    const dev = settings.forEnvironment('dev')!;
    expect(dev.registries).toEqual([
      { name: 'dev-registry', host: '127.0.0.1:5000', url: 'https://127.0.0.1:5000', caPem: fs.readFileSync(tls.ca, 'utf8'), credentials: { username: 'plimsoll', password: PASSWORD }, trustServer: 'notary', repositories: ['app', 'team/*'] },
    ]);
    expect(dev.trustServers).toEqual([{ name: 'notary', url: 'https://127.0.0.1:4443', caPem: fs.readFileSync(tls.ca, 'utf8'), credentials: { username: 'trust', password: TRUST_PASSWORD }, pinnedRootKeys: { '127.0.0.1:5000/app': [KEY_ID] } }]);
    expect(dev.allowedSigners).toEqual([{ role: 'targets/alice', keyIds: [KEY_ID] }]);
    // The file's environment keeps its own entries; a registered prod registry joins them once read again:
    // at once after a change in this process (invalidate), else once the last read is maxAgeMs old.
    await service.registerRegistry({ name: 'prod-registry', url: 'https://prod.example.mil', environment: 'prod' }, ADMIN);
    clock = 1999;
    await settings.refresh();
    expect(settings.forEnvironment('prod')?.registries.map((r) => r.name)).toEqual(['file-prod']);
    settings.invalidate();
    await settings.refresh();
    expect(settings.forEnvironment('prod')?.registries.map((r) => r.name)).toEqual(['file-prod', 'prod-registry']);
    await service.removeRegistry('prod-registry', ADMIN);
    clock = 1999 + 2000;
    await settings.refresh();
    expect(settings.forEnvironment('prod')?.registries.map((r) => r.name)).toEqual(['file-prod']);
    expect(settings.forEnvironment('prod')?.allowedSigners).toEqual([{ role: 'targets/releases' }]);
  });

  it('refuses names, hosts and signers the configuration file defines (the file wins), and taken names', async () => {
    await registerBoth();
    expect((await rejection(service.registerRegistry({ name: 'file-prod', url: 'https://other.example.mil', environment: 'prod' }, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.registerRegistry({ name: 'x', url: 'https://file.example.mil', environment: 'prod' }, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.registerTrustServer({ name: 'file-notary', url: 'https://n.example.mil' }, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.setSigners('prod', [{ role: 'targets/alice' }], ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.registerRegistry({ name: 'dev-registry', url: 'https://b.example.mil', environment: 'dev' }, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.registerRegistry({ name: 'again', url: 'https://127.0.0.1:5000', environment: 'dev' }, ADMIN))).code).toBe(ErrorCode.CONFLICT);
    expect((await rejection(service.removeTrustServer('notary', ADMIN))).message).toContain('dev-registry');
  });

  it('reports every bad field by pointer without quoting a credential', async () => {
    const e = await rejection(
      service.registerRegistry({ name: '', url: 'http://registry.example.mil', environment: 'no spaces', repositories: ['UPPER'], ca: { name: 'ca.pem', bytes: Buffer.from(PASSWORD) }, credentials: { username: 'a:b', password: `${PASSWORD}\n` } }, ADMIN),
    );
    expect(e.code).toBe(ErrorCode.BAD_INPUT);
    expect(e.problems.map((p) => p.pointer).sort()).toEqual(['/ca', '/credentials/password', '/credentials/username', '/environment', '/name', '/repositories/0', '/url'].sort());
    expect(JSON.stringify({ message: e.message, problems: e.problems })).not.toContain(PASSWORD);
    const http = await rejection(service.registerRegistry({ name: 'local', url: 'http://127.0.0.1:5000', credentials: { username: 'u', password: PASSWORD } }, ADMIN));
    expect(http.message).toContain('https:// only');
    const inUrl = await rejection(service.registerRegistry({ name: 'u', url: `https://plimsoll:${PASSWORD}@registry.example.mil` }, ADMIN));
    expect(inUrl.problems).toEqual([{ pointer: '/url', message: 'must not hold a user or password: give them as credentials' }]);
    expect(inUrl.message).not.toContain(PASSWORD);
  });

  it('needs PLIMSOLL_SECRET_KEY to store credentials, not to register without them', async () => {
    const keyless = new DefaultSupplyChainService({ repo });
    expect((await rejection(keyless.registerRegistry({ name: 'r', url: 'https://r.example.mil', credentials: { username: 'u', password: PASSWORD } }, ADMIN))).message).toContain('PLIMSOLL_SECRET_KEY');
    expect((await keyless.registerRegistry({ name: 'r', url: 'https://r.example.mil' }, ADMIN)).hasCredentials).toBe(false);
  });

  it('updates fields, replaces and clears credentials and the CA, and sets signers back to the default', async () => {
    await registerBoth();
    const cleared = await service.updateRegistry('dev-registry', { credentials: null, ca: null, trustServer: null, repositories: null, environment: 'test' }, ADMIN);
    expect(cleared).toMatchObject({ hasCredentials: false, environment: 'test', credentialsUpdatedAt: '2026-12-02T08:00:00.000Z' });
    expect(cleared.caPem).toBeUndefined();
    expect(cleared.trustServer).toBeUndefined();
    await service.removeTrustServer('notary', ADMIN);
    expect(await service.listTrustServers()).toEqual([]);
    expect((await service.setSigners('dev', [], ADMIN)).signers).toEqual([]);
    expect(await service.listSigners()).toEqual([]);
    await service.removeRegistry('dev-registry', ADMIN);
    expect((await rejection(service.removeRegistry('dev-registry', ADMIN))).code).toBe(ErrorCode.NOT_FOUND);
  });
});

describe('supply-chain registration through the gateway', () => {
  let tmp: string;
  let db: Db;
  let records: AuditEntry[];
  let gateway: ServiceGateway;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-sc-gw-'));
    db = await openDatabase(path.join(tmp, 'db.sqlite'));
    records = [];
    const supplyChain = new DefaultSupplyChainService({ repo: new KyselySupplyChainRepository(db), secrets: TEST_SECRET_BOX });
    const refuse = async () => ({ anonymous: true as const, reason: 'r' });
    gateway = new ServiceGateway({
      services: { supplyChain } as unknown as AppServices,
      audit: { record: async (e) => (records.push(e), { ...e, id: records.length, at: 'now', prevHash: '', hash: '' }) },
      authenticator: { bearer: refuse, local: refuse, system: async () => ADMIN, scheduleOwner: refuse },
    });
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const as = (p: Principal) => gateway.servicesFor(p).supplyChain;

  it('lets admins write, audited with what changed and never the password; assessors and auditors are refused', async () => {
    await as(ADMIN).registerRegistry({ name: 'r', url: 'https://r.example.mil', credentials: { username: 'u', password: PASSWORD } });
    await as(ADMIN).updateRegistry('r', { credentials: { username: 'u', password: `${PASSWORD}-new` } });
    for (const p of [ASSESSOR, AUDITOR]) {
      expect((await rejection(as(p).registerRegistry({ name: 'x', url: 'https://x.example.mil', credentials: { username: 'u', password: PASSWORD } }))).code).toBe(ErrorCode.FORBIDDEN);
      expect((await rejection(as(p).setSigners('prod', [{ role: 'targets/releases' }]))).code).toBe(ErrorCode.FORBIDDEN);
      expect((await rejection(as(p).registerTrustServer({ name: 'n', url: 'https://n.example.mil' }))).code).toBe(ErrorCode.FORBIDDEN);
      expect((await as(p).listRegistries()).map((r) => r.name)).toEqual(['r']);
    }
    expect(records.map((r) => [r.action, r.actor, r.outcome])).toEqual([
      ['registerRegistry', 'carol', 'success'],
      ['updateRegistry', 'carol', 'success'],
      ['registerRegistry', 'alice', 'failure'],
      ['setAllowedSigners', 'alice', 'failure'],
      ['registerTrustServer', 'alice', 'failure'],
      ['registerRegistry', 'bob', 'failure'],
      ['setAllowedSigners', 'bob', 'failure'],
      ['registerTrustServer', 'bob', 'failure'],
    ]);
    expect(records[0]?.target).toContain('"credentials":"set"');
    expect(records[1]?.target).toContain('"fields":["credentials"]');
    expect(JSON.stringify(records)).not.toContain(PASSWORD);
  });
});
