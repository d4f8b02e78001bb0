/**
 * The signed bundle of a stored assessment: what it covers, that it verifies (with Plimsoll's verifier and with
 * Debian's openssl on the DSSE pre-authentication encoding), and that any change is caught and named.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oscalJsonText } from '../../../../src/reporting/oscal-values.js';
import type { DefaultReportService } from '../../../../src/reporting/report-service.js';
import { bundleText, type InTotoStatement, type SignedBundle } from '../../../../src/reporting/signing/bundle.js';
import { verifyBundle } from '../../../../src/reporting/signing/bundle-verify.js';
import { preAuthEncoding } from '../../../../src/reporting/signing/dsse.js';
import { SigningKey } from '../../../../src/reporting/signing/signing-key.js';
import { ownFormatsService, type StoredAssessmentFixture, storedAssessment } from '../stored-assessment.js';

let f: StoredAssessmentFixture;
let key: SigningKey;
let other: SigningKey;
let service: DefaultReportService;
let bytes: Uint8Array;
let bundle: SignedBundle;

/** The bundle after `change`, as canonical text (so only the change differs). */
function changed(change: (b: SignedBundle) => void): Uint8Array {
  const copy = JSON.parse(JSON.stringify(bundle)) as SignedBundle;
  change(copy);
  return Buffer.from(bundleText(copy), 'utf8');
}

function flipFirstByte(base64: string): string {
  const b = Buffer.from(base64, 'base64');
  b[0] = b[0]! ^ 0x01;
  return b.toString('base64');
}

beforeAll(async () => {
  f = await storedAssessment();
  key = await SigningKey.generate();
  other = await SigningKey.generate();
  service = ownFormatsService(f, key);
  bytes = (await service.render(f.assessment.id, 'bundle')).bytes;
  bundle = JSON.parse(Buffer.from(bytes).toString('utf8')) as SignedBundle;
}, 60_000);

afterAll(async () => {
  await f.close();
});

describe('the signed bundle', () => {
  it('covers the AR and the plan it imports with their digests, names the formats not offered, and is the same bytes every time', async () => {
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as InTotoStatement;
    const ar = await service.render(f.assessment.id, 'oscal-ar');
    const ap = await service.render(f.assessment.id, 'oscal-ap');
    expect(Buffer.from(ar.bytes).toString('utf8')).toBe(oscalJsonText(await f.repo.resultsDocument(f.assessment.id)));
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.subject).toEqual([
      { name: 'assessment-results.json', digest: { sha256: ar.sha256 }, mediaType: 'application/json; charset=utf-8' },
      { name: 'assessment-plan.json', digest: { sha256: ap.sha256 }, mediaType: 'application/json; charset=utf-8' },
    ]);
    expect(statement.predicateType).toBe('https://plimsoll.dev/attestation/assessment/v1');
    const p = statement.predicate;
    expect(p.assessment).toMatchObject({ id: f.assessment.id, status: 'completed', startedBy: 'alice' });
    expect(p.benchmarks).toEqual([expect.objectContaining({ id: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', version: '2', release: '2' })]);
    expect(p.nodes.map((n) => [n.name, n.collection])).toEqual([['local', 'collected'], ['remote', 'failed']]);
    expect(p.tool).toEqual({ name: 'Plimsoll', version: '9.9.9' });
    expect(p.time).toBe(f.assessment.finishedAt);
    expect(p.reports.notCovered.map((n) => n.format)).toEqual(['poam', 'pdf']);
    expect(bundle.dsseEnvelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(bundle.dsseEnvelope.signatures).toEqual([{ keyid: key.keyId, sig: expect.any(String) }]);
    expect(bundle.verificationMaterial.publicKey).toEqual({ keyId: key.keyId, algorithm: 'Ed25519', pem: key.info.publicKeyPem });
    expect(Buffer.from((await service.render(f.assessment.id, 'bundle')).bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('verifies with the embedded key and with the given one, naming which', async () => {
    const embedded = await verifyBundle(bytes);
    expect(embedded).toMatchObject({ verified: true, signatureValid: true, problems: [], key: { keyId: key.keyId, source: 'embedded' } });
    expect(embedded.subjects.map((s) => s.embedded)).toEqual(['verified', 'verified']);
    const ar = await service.render(f.assessment.id, 'oscal-ar');
    const given = await verifyBundle(bytes, { publicKeyPem: key.info.publicKeyPem, files: [{ name: '/tmp/out/assessment-results.json', bytes: ar.bytes }] });
    expect(given).toMatchObject({ verified: true, key: { keyId: key.keyId, source: 'given' } });
    expect(given.subjects[0]!.given).toEqual({ file: '/tmp/out/assessment-results.json', state: 'verified' });
  });

  it('verifies independently: openssl checks the signature over the DSSE encoding with the exported public key', () => {
    const dir = fs.mkdtempSync(path.join(f.dir, 'openssl-'));
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    fs.writeFileSync(path.join(dir, 'pae.bin'), preAuthEncoding(bundle.dsseEnvelope.payloadType, payload));
    fs.writeFileSync(path.join(dir, 'sig.bin'), Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64'));
    fs.writeFileSync(path.join(dir, 'key.pem'), bundle.verificationMaterial.publicKey.pem);
    const verify = (file: string) => execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', path.join(dir, 'key.pem'), '-rawin', '-in', path.join(dir, file), '-sigfile', path.join(dir, 'sig.bin')], { encoding: 'utf8', stdio: 'pipe' });
    expect(verify('pae.bin')).toMatch(/Signature Verified Successfully/);
    // The signature covers the encoding, not the bare payload, and a changed payload fails openssl too.
    fs.writeFileSync(path.join(dir, 'payload.bin'), payload);
    expect(() => verify('payload.bin')).toThrow();
    const tampered = Buffer.from(fs.readFileSync(path.join(dir, 'pae.bin')));
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
    fs.writeFileSync(path.join(dir, 'tampered.bin'), tampered);
    expect(() => verify('tampered.bin')).toThrow();
  });

  it('names the file whose byte changed, in the bundle and in a given copy', async () => {
    for (const [i, name] of [[0, 'assessment-results.json'], [1, 'assessment-plan.json']] as const) {
      const v = await verifyBundle(changed((b) => (b.files[i]!.content = flipFirstByte(b.files[i]!.content))));
      expect(v.verified).toBe(false);
      expect(v.signatureValid).toBe(true);
      expect(v.problems).toEqual([expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}: changed \\(sha256 [0-9a-f]{64} in the bundle, [0-9a-f]{64} signed\\)$`))]);
    }
    const ar = Buffer.from((await service.render(f.assessment.id, 'oscal-ar')).bytes);
    ar[10] = ar[10]! ^ 0x20;
    const v = await verifyBundle(bytes, { files: [{ name: 'assessment-results.json', bytes: ar }] });
    expect(v.verified).toBe(false);
    expect(v.problems).toEqual([expect.stringMatching(/^assessment-results\.json: differs from the signed assessment-results\.json/)]);
  });

  it('fails on a changed envelope, a wrong key, a missing or an uncovered file', async () => {
    const payload = await verifyBundle(changed((b) => (b.dsseEnvelope.payload = flipFirstByte(b.dsseEnvelope.payload))));
    expect(payload.verified).toBe(false);
    expect(payload.problems).toContainEqual(expect.stringMatching(/signature does not verify with the embedded key .*: the signed statement \(payload\) or the signature was changed/));
    const sig = await verifyBundle(changed((b) => (b.dsseEnvelope.signatures[0]!.sig = flipFirstByte(b.dsseEnvelope.signatures[0]!.sig))));
    expect(sig.problems).toContainEqual(expect.stringMatching(/signature does not verify/));
    const type = await verifyBundle(changed((b) => (b.dsseEnvelope.payloadType = 'application/json')));
    expect(type.verified).toBe(false);
    expect(type.problems).toContainEqual(expect.stringMatching(/payloadType is "application\/json"/));

    const wrong = await verifyBundle(bytes, { publicKeyPem: other.info.publicKeyPem });
    expect(wrong).toMatchObject({ verified: false, key: { keyId: other.keyId, source: 'given' } });
    expect(wrong.problems).toEqual([`the envelope is signed by key ${key.keyId}, not by the given key ${other.keyId}`]);
    // A key swapped into the bundle without re-signing.
    const swapped = await verifyBundle(changed((b) => (b.verificationMaterial.publicKey = { keyId: other.keyId, algorithm: 'Ed25519', pem: other.info.publicKeyPem })));
    expect(swapped.verified).toBe(false);
    const idOnly = await verifyBundle(changed((b) => (b.verificationMaterial.publicKey.keyId = other.keyId)));
    expect(idOnly.problems).toContainEqual(expect.stringMatching(/embedded key id .* is not the id of the embedded public key/));

    const missing = await verifyBundle(changed((b) => b.files.splice(1, 1)));
    expect(missing.problems).toEqual(['assessment-plan.json: named by the signed statement but missing from the bundle']);
    const extra = await verifyBundle(changed((b) => b.files.push({ name: 'extra.pdf', mediaType: 'application/pdf', content: 'AAAA' })));
    expect(extra.problems).toEqual(['extra.pdf: in the bundle but not covered by the signed statement']);
    const type2 = await verifyBundle(changed((b) => (b.files[0]!.mediaType = 'text/html')));
    expect(type2.problems).toEqual(['assessment-results.json: its media type in the bundle is "text/html", signed "application/json; charset=utf-8"']);
    const alg = await verifyBundle(changed((b) => (b.verificationMaterial.publicKey.algorithm = 'Ed25518')));
    expect(alg.verified).toBe(false);
    const renamed = await verifyBundle(bytes, { files: [{ name: 'report.pdf', bytes: new Uint8Array([1]) }] });
    expect(renamed.problems).toEqual([expect.stringMatching(/^report\.pdf: not a subject of the bundle/)]);
  });

  it('fails when any single byte of the bundle changes', async () => {
    const original = Buffer.from(bytes);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const copy = Buffer.from(original);
        copy[at] = copy[at]! ^ mask;
        const v = await verifyBundle(copy);
        expect(v.verified).toBe(false);
        expect(v.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
