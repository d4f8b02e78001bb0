/**
 * Uploads belong to users, not to credentials, over a real SQLite file: the same person through another token
 * or an OIDC session uses their upload; anyone else, or anyone after it expired, finds no upload at all; a
 * discard deletes only the caller's own; a body is read with the configured limit and refused past it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/auth.js';
import { ErrorCode } from '../../../src/domain/errors.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyUploadRepository } from '../../../src/repositories/upload-repository.js';
import { DefaultUploadService } from '../../../src/uploads/upload-service.js';
import { tokenPrincipal } from '../../fixtures/principals.js';
import { tempDir } from '../../harness/content.js';
import { rejection } from '../../harness/errors.js';

const ALICE = tokenPrincipal('alice', 'assessor');
const ALICE_OIDC: Principal = { userId: ALICE.userId, name: 'alice', role: 'assessor', kind: 'person', via: 'oidc' };
const BOB = tokenPrincipal('bob', 'admin');
const file = { name: '../../etc/catalog.json', bytes: Buffer.from('{"catalog":{}}') };

describe('DefaultUploadService', () => {
  let dir: string;
  let db: Db;
  let now: Date;
  let service: DefaultUploadService;

  beforeEach(async () => {
    dir = tempDir();
    db = await openDatabase(path.join(dir, 'plimsoll.db'));
    now = new Date('2025-03-01T10:00:00Z');
    service = new DefaultUploadService(new KyselyUploadRepository(db), { maxBytes: 64, ttlMinutes: 60, now: () => now });
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("records the uploader's user id and a base name; the same user through another credential resolves it", async () => {
    const upload = await service.create(file, ALICE);
    expect(upload).toMatchObject({ name: 'catalog.json', size: file.bytes.length, createdBy: ALICE.userId, expiresAt: '2025-03-01T11:00:00.000Z' });
    expect(await service.resolve([{ uploadId: upload.id }], ALICE_OIDC)).toEqual([{ name: 'catalog.json', bytes: file.bytes }]);
  });

  it('is no upload at all to another user, or once expired', async () => {
    const { id } = await service.create(file, ALICE);
    expect((await rejection(service.resolve([{ uploadId: id }], BOB))).code).toBe(ErrorCode.NOT_FOUND);
    now = new Date('2025-03-01T11:00:01Z');
    expect((await rejection(service.resolve([{ uploadId: id }], ALICE))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it("discards only the caller's own uploads", async () => {
    const { id } = await service.create(file, ALICE);
    await service.discard([{ uploadId: id }], BOB);
    expect(await service.resolve([{ uploadId: id }], ALICE)).toHaveLength(1);
    await service.discard([{ uploadId: id }], ALICE);
    expect((await rejection(service.resolve([{ uploadId: id }], ALICE))).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('reads a body with the configured limit, and refuses an empty or larger one', async () => {
    const limits: number[] = [];
    const upload = await service.create({ name: 'a.xml', read: async (limit) => (limits.push(limit), Buffer.from('<a/>')) }, ALICE);
    expect([limits, upload.size]).toEqual([[64], 4]);
    expect((await rejection(service.create({ name: 'e.xml', bytes: Buffer.alloc(0) }, ALICE))).message).toBe('the upload is empty');
    const big = await rejection(service.create({ name: 'b.xml', bytes: Buffer.alloc(65, 0x20) }, ALICE));
    expect(big.code).toBe(ErrorCode.BAD_INPUT);
    expect(big.message).toContain('PLIMSOLL_UPLOAD_MAX_BYTES');
  });
});
