/**
 * The policy table's type is the guard that no service method escapes authorisation: checked by tsc (in a
 * child process, all probes in one run), a table missing a method, naming the wrong Principal slot, or
 * auditing a synchronous method does not compile, and a complete one does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../harness/content.js';

const HEADER = `import type { Principal } from '../../../../src/domain/auth.js';
import type { PolicyTableOf } from '../../../../src/auth/service-policy.js';
interface Services {
  nodes: {
    list(): Promise<string[]>;
    remove(ref: string, actor: Principal, reason?: string): Promise<void>;
    names(): string[];
  };
}
`;
const table = (entries: string): string => `${HEADER}export const t: PolicyTableOf<Services> = { nodes: { ${entries} } };\n`;
const LIST = `list: { allow: 'anyone' },`;
const REMOVE = `remove: { allow: ['admin'], actor: 1, audit: { action: 'removeNode', target: (ref, _actor, reason) => ({ ref, reason }) } },`;
const NAMES = `names: { allow: 'anyone', sync: true },`;

const PROBES: Record<string, string> = {
  complete: table(`${LIST} ${REMOVE} ${NAMES}`),
  missingMethod: table(`${LIST} ${NAMES}`),
  wrongActorSlot: table(`${LIST} remove: { allow: ['admin'], actor: 0 }, ${NAMES}`),
  missingActorSlot: table(`${LIST} remove: { allow: ['admin'] }, ${NAMES}`),
  actorSlotWithoutPrincipal: table(`list: { allow: 'anyone', actor: 0 }, ${REMOVE} ${NAMES}`),
  auditedSyncMethod: table(`${LIST} ${REMOVE} names: { allow: 'anyone', sync: true, audit: { action: 'x' } },`),
  syncFlagMissing: table(`${LIST} ${REMOVE} names: { allow: 'anyone' },`),
};

const dir = path.join(repoRoot, 'test', 'unit', 'auth', `.policy-probes-${process.pid}`);
const errors = new Map<string, string[]>();

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, source] of Object.entries(PROBES)) fs.writeFileSync(path.join(dir, `${name}.ts`), source);
  const config = { extends: '../../../../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '../../../..' }, include: ['*.ts'] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    output = (e as { stdout?: string }).stdout ?? '';
  }
  for (const line of output.split('\n')) {
    const match = /([A-Za-z]+)\.ts\(\d+,\d+\): error (.*)$/.exec(line);
    if (match !== null) errors.set(match[1]!, [...(errors.get(match[1]!) ?? []), match[2]!]);
  }
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the policy table type', () => {
  it('accepts a table with every method, the right actor slot, and sync methods unaudited', () => {
    expect(errors.get('complete')).toBeUndefined();
  });

  it('refuses a table missing a method (a new service method without a policy)', () => {
    expect(errors.get('missingMethod')?.join('\n')).toMatch(/Property 'remove' is missing/);
  });

  it('refuses a wrong, missing or needless actor slot', () => {
    for (const probe of ['wrongActorSlot', 'missingActorSlot', 'actorSlotWithoutPrincipal']) expect(errors.get(probe), probe).toBeDefined();
  });

  it('refuses auditing a synchronous method, or leaving its sync flag out', () => {
    for (const probe of ['auditedSyncMethod', 'syncFlagMissing']) expect(errors.get(probe), probe).toBeDefined();
  });
});
