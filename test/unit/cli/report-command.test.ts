/**
 * `plimsoll report` and `plimsoll verify` over the real report service of a stored assessment (real SQLite,
 * real loader and renderers), through the gateway as the CLI's user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import type { DefaultReportService } from '../../../src/reporting/report-service.js';
import { SigningKey } from '../../../src/reporting/signing/signing-key.js';
import { ownFormatsService, type StoredAssessmentFixture, storedAssessment } from '../reporting/stored-assessment.js';
import { MemoryIo, MemoryRuntime } from './memory-runtime.js';

let f: StoredAssessmentFixture;
let key: SigningKey;
let service: DefaultReportService;
let runtime: MemoryRuntime;
let io: MemoryIo;
let out: string;

beforeAll(async () => {
  f = await storedAssessment();
  key = await SigningKey.generate();
  service = ownFormatsService(f, key);
  out = path.join(f.dir, 'out');
}, 60_000);

afterAll(async () => {
  await f.close();
});

beforeEach(() => {
  runtime = new MemoryRuntime();
  runtime.reports = service;
  io = new MemoryIo();
});

describe('plimsoll report', () => {
  it('writes every registered format, the bytes the service renders, and names what it wrote', async () => {
    for (const { format } of await service.formats()) {
      io = new MemoryIo();
      const file = path.join(out, `${format}.out`);
      expect(await runCli(['report', f.assessment.id, '--format', format, '--out', file], runtime, io)).toBe(0);
      const expected = await service.render(f.assessment.id, format);
      expect(fs.readFileSync(file).equals(Buffer.from(expected.bytes))).toBe(true);
      expect(io.stdout[0]).toBe(`wrote the ${format} report of assessment ${f.assessment.id} to ${file}: ${expected.bytes.length} bytes, sha256 ${expected.sha256}`);
      if (format === 'bundle') expect(io.stdout[1]).toBe(`signed with key ${key.keyId}`);
    }
    expect(runtime.audited.filter((a) => a.action === 'renderReport').map((a) => a.outcome)).toEqual(['success', 'success', 'success']);
  });

  it('finds the assessment of a Plimsoll assessment-results file, and limits a report to one node', async () => {
    const ar = path.join(out, 'assessment-results.json');
    expect(await runCli(['report', f.assessment.id, '--format', 'oscal-ar', '--out', ar], runtime, io)).toBe(0);
    io = new MemoryIo();
    const perNode = path.join(out, 'local-ar.json');
    expect(await runCli(['report', ar, '--format', 'oscal-ar', '--node', 'local', '--out', perNode, '--json'], runtime, io)).toBe(0);
    expect(JSON.parse(io.outText)).toMatchObject({ assessmentId: f.assessment.id, format: 'oscal-ar', fileName: 'assessment-results.json' });
    expect(fs.readFileSync(perNode).equals(Buffer.from((await service.render(f.assessment.id, 'oscal-ar', { node: 'local' })).bytes))).toBe(true);
  });

  it('refuses a format not offered, naming the offered ones, and a results file of no stored assessment', async () => {
    expect(await runCli(['report', f.assessment.id, '--format', 'pdf', '--out', path.join(out, 'x.pdf')], runtime, io)).toBe(2);
    expect(io.errText).toBe('error[BAD_INPUT]: format pdf is not offered by this server; one of oscal-ap, oscal-ar, bundle');
    const foreign = path.join(out, 'foreign.json');
    fs.writeFileSync(foreign, JSON.stringify({ 'assessment-results': { uuid: '0e2d2b1c-7b9e-4a6f-9a58-0a1b2c3d4e5f', metadata: {} } }));
    io = new MemoryIo();
    expect(await runCli(['report', foreign, '--format', 'oscal-ar', '--out', path.join(out, 'y.json')], runtime, io)).toBe(2);
    expect(io.errText).toMatch(/^error\[NOT_FOUND\]: .*foreign\.json \(assessment-results 0e2d2b1c-7b9e-4a6f-9a58-0a1b2c3d4e5f\) is not the results of an assessment Plimsoll stored$/);
  });
});

describe('plimsoll verify', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = path.join(out, 'bundle.json');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(bundle, (await service.render(f.assessment.id, 'bundle')).bytes);
  });

  it('exits 0 naming the key and every verified file', async () => {
    const ar = path.join(out, 'assessment-results.json');
    fs.writeFileSync(ar, (await service.render(f.assessment.id, 'oscal-ar')).bytes);
    expect(await runCli(['verify', bundle, ar], runtime, io)).toBe(0);
    expect(io.stdout[0]).toContain(`signature: verified with the key embedded in the bundle (compare its id with the server's published key), key id ${key.keyId}`);
    expect(io.outText).toMatch(new RegExp(`ok +assessment-results\\.json  sha256 [0-9a-f]{64}; ${ar.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: verified`));
    expect(io.outText).toMatch(/ok +assessment-plan\.json/);
    expect(io.outText.split('\n').at(-1)).toBe(`VERIFIED: ${bundle}`);
    const keyFile = path.join(out, 'key.pem');
    fs.writeFileSync(keyFile, key.info.publicKeyPem);
    io = new MemoryIo();
    expect(await runCli(['verify', bundle, '--key', keyFile], runtime, io)).toBe(0);
    expect(io.outText.split('\n')[0]).toBe(`signature: verified with the given key, key id ${key.keyId}`);
  });

  it('exits 6 naming the changed file; 2 when the bundle cannot be read', async () => {
    const ar = path.join(out, 'changed-results.json');
    const bytes = Buffer.from((await service.render(f.assessment.id, 'oscal-ar')).bytes);
    bytes[100] = bytes[100]! ^ 0x01;
    fs.writeFileSync(path.join(out, 'assessment-results.json'), bytes);
    fs.renameSync(path.join(out, 'assessment-results.json'), ar);
    fs.mkdirSync(path.join(out, 'copy'), { recursive: true });
    const copy = path.join(out, 'copy', 'assessment-results.json');
    fs.copyFileSync(ar, copy);
    expect(await runCli(['verify', bundle, copy], runtime, io)).toBe(6);
    expect(io.errText).toMatch(/problem: .*copy\/assessment-results\.json: differs from the signed assessment-results\.json/);
    expect(io.errText).toMatch(/NOT VERIFIED: .*bundle\.json \(1 problem\)$/);
    io = new MemoryIo();
    expect(await runCli(['verify', path.join(out, 'no-such-bundle.json')], runtime, io)).toBe(2);
    expect(io.errText).toMatch(/^error\[BAD_INPUT\]: .*no-such-bundle\.json: cannot read the file: ENOENT$/);
    expect(runtime.opened).toEqual([]);
  });
});
