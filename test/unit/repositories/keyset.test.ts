/**
 * Keyset paging on a real SQLite file (through the audit log and node repositories): forward and backward
 * walks visit every row once in order, pages stay correct while rows are added, and bad cursors and page
 * sizes above the cap are refused with BAD_INPUT. Also the in-memory connection used for computed lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlimsollError } from '../../../src/domain/errors.js';
import { MAX_PAGE_SIZE, connectionOfList, type Connection, type PageRequest } from '../../../src/domain/paging.js';
import { AuditRepository } from '../../../src/repositories/audit-repository.js';
import { openDatabase, type Db } from '../../../src/repositories/database/database.js';
import { KyselyNodeRepository } from '../../../src/repositories/node-repository.js';
import { tempDir } from '../../harness/content.js';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'plimsoll.db'));
});
afterAll(async () => {
  await db?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function walk<T>(fetch: (p: PageRequest) => Promise<Connection<T>>, size: number, backward = false): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard += 1) {
    const page = await fetch(backward ? { last: size, ...(cursor ? { before: cursor } : {}) } : { first: size, ...(cursor ? { after: cursor } : {}) });
    pages.push(page.edges.map((e) => e.node));
    if (page.edges.length > 0) {
      expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]!.cursor);
    }
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) return pages;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isPlimsollError(e) ? e.code : String(e);
  }
}

describe('keyset paging', () => {
  it('walks the audit log newest first, forward and backward, and keeps its place while records are added', async () => {
    const audit = new AuditRepository(db);
    for (let i = 1; i <= 7; i += 1) await audit.append({ actor: `a${i}`, role: 'admin', action: 'x', outcome: 'success' }, `2026-01-01T00:00:0${i}Z`);
    const forward = await walk((p) => audit.list(p), 3);
    expect(forward.map((p) => p.map((r) => r.actor))).toEqual([['a7', 'a6', 'a5'], ['a4', 'a3', 'a2'], ['a1']]);
    const backward = await walk((p) => audit.list(p), 3, true);
    expect(backward.map((p) => p.map((r) => r.actor))).toEqual([['a3', 'a2', 'a1'], ['a6', 'a5', 'a4'], ['a7']]);

    const first = await audit.list({ first: 2 });
    expect(first.totalCount).toBe(7);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    await audit.append({ actor: 'a8', role: 'admin', action: 'x', outcome: 'success' }, '2026-01-01T00:00:09Z');
    const next = await audit.list({ first: 2, after: first.pageInfo.endCursor! });
    expect(next.edges.map((e) => e.node.actor)).toEqual(['a5', 'a4']);
    expect(next.totalCount).toBe(8);
    expect(next.pageInfo.hasPreviousPage).toBe(true);
  });

  it('pages nodes by name and refuses forged cursors, mixed directions and pages above the cap', async () => {
    const nodes = new KyselyNodeRepository(db);
    for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) {
      await nodes.insert({ id: `id-${name}`, name, endpoint: `unix:///run/${name}.sock`, labels: {}, createdAt: '2026-01-01T00:00:00Z' });
    }
    expect((await walk((p) => nodes.page(p), 2)).flat().map((n) => n.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect((await nodes.page({ first: 0 })).edges).toEqual([]);
    expect(await codeOf(nodes.page({ first: MAX_PAGE_SIZE + 1 }))).toBe('BAD_INPUT');
    expect(await codeOf(nodes.page({ first: -1 }))).toBe('BAD_INPUT');
    expect(await codeOf(nodes.page({ first: 1, last: 1 }))).toBe('BAD_INPUT');
    expect(await codeOf(nodes.page({ after: 'not-a-cursor' }))).toBe('BAD_INPUT');
    expect(await codeOf(nodes.page({ after: Buffer.from('[1]').toString('base64url') }))).toBe('BAD_INPUT');
    expect(await codeOf(nodes.page({ after: Buffer.from('["x\' OR 1=1 --"]').toString('base64url') }))).toBeUndefined();
  });
});

describe('connections over computed lists', () => {
  const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

  it('walks forward and backward by position, with the whole length as totalCount', async () => {
    const fetch = async (p: PageRequest) => connectionOfList(letters, p);
    expect((await walk(fetch, 3)).map((p) => p.join(''))).toEqual(['abc', 'def', 'g']);
    expect((await walk(fetch, 3, true)).map((p) => p.join(''))).toEqual(['efg', 'bcd', 'a']);
    expect(connectionOfList(letters, { first: 2 }).totalCount).toBe(7);
    expect(connectionOfList([], {}).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
    expect(() => connectionOfList(letters, { last: MAX_PAGE_SIZE + 1 })).toThrow(/from 0 to 100/);
  });
});
