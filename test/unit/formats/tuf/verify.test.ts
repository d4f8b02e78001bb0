/**
 * The TUF verifier on real Notary output (recorded from Debian's notary-server 0.7.0) and on repositories
 * built with fresh keys, where each rule is broken on its own with real signatures.
 */
import { describe, expect, it } from 'vitest';
import { notaryCanonicalJson, CanonicalJsonError } from '../../../../src/formats/tuf/canonical-json.js';
import { keyIdOf } from '../../../../src/formats/tuf/keys.js';
import { type RepositoryVerification, type TrustFiles, verifyRepository, withinPaths } from '../../../../src/formats/tuf/verify.js';
import { RECORDED_DIGEST, RECORDED_FILES, RECORDED_GUN } from '../../../fixtures/tuf/recorded.js';
import { type Body, ecdsaKey, ed25519Key, fileMeta, makeKeys, makeRepo, type RepoKeys, rsaKey, signed, targetMeta, x509RootKey } from '../../../fixtures/tuf/make-repo.js';

const recorded: TrustFiles = RECORDED_FILES;
const DIGEST = RECORDED_DIGEST.slice('sha256:'.length);
const DAY_AFTER_RECORDING = new Date('2026-12-03T00:00:00Z');

function rejected(v: RepositoryVerification): { role: string; rule: string } {
  if (v.status !== 'rejected') throw new Error(`expected a rejection, got ${JSON.stringify(v).slice(0, 300)}`);
  return { role: v.role, rule: v.rule };
}

describe('Notary canonical JSON', () => {
  it('sorts keys by code point, escapes only quote and backslash (and U+2028/9), writes integers', () => {
    expect(notaryCanonicalJson({ b: 1, a: [true, null, 'x"y\\z'], '\u{1F600}': 0, '\uFFFF': 0 }).toString('utf8')).toBe('{"a":[true,null,"x\\"y\\\\z"],"b":1,"\uFFFF":0,"\u{1F600}":0}');
    expect(notaryCanonicalJson({ s: 'tab\there <&> \u2028' }).toString('utf8')).toBe('{"s":"tab\there <&> \\u2028"}');
    expect(() => notaryCanonicalJson({ n: 1.5 })).toThrow(CanonicalJsonError);
  });

  it('computes Notary key ids', () => {
    const key = { keytype: 'ecdsa', keyval: { public: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0Y93b12wU7PKQP7sVgn0JoTyWirV4OIQywCX+UgbbgWIeew1QO2X1LmvDQ9kb26oqiJEfI7vVsTBkEoNjVcE6g==' } };
    expect(keyIdOf(key)).toBe('df5a03be5cae4ff3317e1b4b4e474c748fb03daec5b3441a088c147836e193a3');
  });
});

describe('verifyRepository on recorded Notary metadata', () => {
  it('verifies root (ecdsa-x509), targets and delegations (ecdsa), snapshot and timestamp (ed25519)', () => {
    const v = verifyRepository(recorded, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING });
    if (v.status !== 'verified') throw new Error(JSON.stringify(v));
    expect(v.rootKeyIds).toEqual(['bd7f754e7faf3f9522e7028fd3b777fa68be25c20bb50fe23f462c3b5e3b735a']);
    expect(v.roles.map((r) => [r.name, Object.keys(r.targets)])).toEqual([['targets', ['1.0']], ['targets/alice', ['2.0']], ['targets/releases', ['2.0']]]);
    expect(v.roles[1]?.targets['2.0']?.hashes.sha256?.toString('hex')).toBe(DIGEST);
    expect(v.rejected).toEqual([]);
  });

  it('rejects the timestamp once it expired, and a root for another GUN', () => {
    expect(rejected(verifyRepository(recorded, { gun: RECORDED_GUN, now: new Date('2026-12-17T00:00:00Z') }))).toEqual({ role: 'timestamp', rule: 'expired' });
    expect(rejected(verifyRepository(recorded, { gun: '127.0.0.1:15000/other', now: DAY_AFTER_RECORDING }))).toEqual({ role: 'root', rule: 'root-certificate' });
    expect(rejected(verifyRepository(recorded, { gun: RECORDED_GUN, now: new Date('2037-01-01T00:00:00Z') }))).toEqual({ role: 'root', rule: 'root-certificate' });
  });

  it('verifies only the wanted delegations when asked: a broken sibling is neither read nor listed', () => {
    const broken = { ...recorded, delegations: { ...recorded.delegations, 'targets/alice': 'not json' } };
    const all = verifyRepository(broken, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING });
    expect(all.status === 'verified' && all.rejected.map((r) => [r.role, r.rule])).toEqual([['targets/alice', 'length-mismatch']]);
    const releases = verifyRepository(broken, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING, roles: ['targets/releases'] });
    if (releases.status !== 'verified') throw new Error(JSON.stringify(releases));
    expect(releases.roles.map((r) => r.name)).toEqual(['targets', 'targets/releases']);
    expect(releases.rejected).toEqual([]);
    const none = verifyRepository(recorded, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING, roles: ['targets'] });
    expect(none.status === 'verified' && none.roles.map((r) => r.name)).toEqual(['targets']);
  });

  it('honours root pinning', () => {
    expect(verifyRepository(recorded, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING, pinnedRootKeyIds: ['bd7f754e7faf3f9522e7028fd3b777fa68be25c20bb50fe23f462c3b5e3b735a'] }).status).toBe('verified');
    expect(rejected(verifyRepository(recorded, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING, pinnedRootKeyIds: ['0'.repeat(64)] }))).toEqual({ role: 'root', rule: 'root-pinning' });
  });

  it('rejects a file that differs from what the role above lists, or an altered signed body', () => {
    const targets = recorded.targets.replace('"version":3', '"version":30');
    expect(rejected(verifyRepository({ ...recorded, targets }, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING }))).toEqual({ role: 'targets', rule: 'length-mismatch' });
    const same = recorded.targets.replace('"version":3', '"version":9');
    expect(rejected(verifyRepository({ ...recorded, targets: same }, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING }))).toEqual({ role: 'targets', rule: 'hash-mismatch' });
    const timestamp = recorded.timestamp.replace('"version":3', '"version":7');
    expect(rejected(verifyRepository({ ...recorded, timestamp }, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING }))).toEqual({ role: 'timestamp', rule: 'signature-threshold' });
    expect(rejected(verifyRepository({ ...recorded, snapshot: 'not json' }, { gun: RECORDED_GUN, now: DAY_AFTER_RECORDING }))).toEqual({ role: 'snapshot', rule: 'malformed' });
  });
});

describe('verifyRepository on generated repositories', () => {
  const GUN = 'registry.example.mil/team/app';
  const keys: RepoKeys = makeKeys(GUN);
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  // Now at each call: openssl dates a new certificate from the current second.
  const verify = (files: TrustFiles, pinned?: string[]) => verifyRepository(files, { gun: GUN, now: new Date(), ...(pinned ? { pinnedRootKeyIds: pinned } : {}) });

  it('verifies a repository with a targets/releases delegation', () => {
    const v = verify(makeRepo({ gun: GUN, keys, targets: { '1.0': A }, releases: { '2.0': B } }));
    if (v.status !== 'verified') throw new Error(JSON.stringify(v));
    expect(v.roles.map((r) => [r.name, r.signedBy])).toEqual([['targets', [keys.targets.id]], ['targets/releases', [keys.releases.id]]]);
  });

  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
    it(`rejects expired ${role} metadata`, () => {
      const files = makeRepo({ gun: GUN, keys, targets: { '1.0': A }, edit: { [role]: (b: Body) => (b.expires = new Date(Date.now() - 1000).toISOString()) } });
      expect(rejected(verify(files))).toEqual({ role, rule: 'expired' });
    });
    it(`rejects ${role} metadata signed by a key its role does not list`, () => {
      const files = makeRepo({ gun: GUN, keys, targets: { '1.0': A }, signers: { [role]: [role === 'root' ? x509RootKey(GUN) : ecdsaKey()] } });
      expect(rejected(verify(files))).toEqual({ role, rule: 'signature-threshold' });
    });
  }

  it('counts each key once towards a threshold', () => {
    const second = ecdsaKey();
    const twoOf = (b: Body) => {
      const roles = b.roles as Record<string, { keyids: string[]; threshold: number }>;
      (b.keys as Record<string, unknown>)[second.id] = second.public;
      roles.targets = { keyids: [keys.targets.id, second.id], threshold: 2 };
    };
    expect(rejected(verify(makeRepo({ gun: GUN, keys, targets: {}, edit: { root: twoOf }, signers: { targets: [keys.targets, keys.targets] } })))).toEqual({ role: 'targets', rule: 'signature-threshold' });
    expect(verify(makeRepo({ gun: GUN, keys, targets: {}, edit: { root: twoOf }, signers: { targets: [keys.targets, second] } })).status).toBe('verified');
  });

  it('does not count a signature under a key id that is not the key\'s hash', () => {
    const other = ecdsaKey();
    const mislabelled = (b: Body) => {
      const ks = b.keys as Record<string, unknown>;
      ks[keys.targets.id] = other.public;
    };
    expect(rejected(verify(makeRepo({ gun: GUN, keys, targets: {}, edit: { root: mislabelled }, signers: { targets: [{ ...other, id: keys.targets.id }] } })))).toEqual({ role: 'targets', rule: 'signature-threshold' });
  });

  it('accepts ASN.1 ECDSA signatures, RSA-PSS and ed25519 keys where the root lists them', () => {
    const der = ecdsaKey({ der: true });
    const rsa = rsaKey();
    const ed = ed25519Key();
    const swap = (b: Body) => {
      (b.keys as Record<string, unknown>)[der.id] = der.public;
      (b.keys as Record<string, unknown>)[rsa.id] = rsa.public;
      (b.keys as Record<string, unknown>)[ed.id] = ed.public;
      const roles = b.roles as Record<string, { keyids: string[] }>;
      roles.targets = { keyids: [rsa.id], threshold: 1 } as never;
      roles.snapshot = { keyids: [der.id], threshold: 1 } as never;
      roles.timestamp = { keyids: [ed.id], threshold: 1 } as never;
    };
    expect(verify(makeRepo({ gun: GUN, keys, targets: { '1.0': A }, edit: { root: swap }, signers: { targets: [rsa], snapshot: [der], timestamp: [ed] } })).status).toBe('verified');
  });

  it('checks the snapshot version the timestamp names (TUF 1.0), and the root certificate', () => {
    const files = makeRepo({ gun: GUN, keys, targets: {} });
    const ts = JSON.parse(files.timestamp).signed as Body;
    (ts.meta as Record<string, Record<string, unknown>>).snapshot = fileMeta(files.snapshot, { version: 99 });
    expect(rejected(verify({ ...files, timestamp: signed(ts, [keys.timestamp]) }))).toEqual({ role: 'snapshot', rule: 'version-mismatch' });
    const shortCert = x509RootKey(GUN, { days: 1 });
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(rejected(verifyRepository(makeRepo({ gun: GUN, keys: { ...keys, root: shortCert }, targets: {} }), { gun: GUN, now: later }))).toEqual({ role: 'root', rule: 'root-certificate' });
    const caCert = x509RootKey(GUN, { ca: true });
    expect(rejected(verify(makeRepo({ gun: GUN, keys: { ...keys, root: caCert }, targets: {} })))).toEqual({ role: 'root', rule: 'root-certificate' });
    const wildcard = x509RootKey('registry.example.mil/team/*');
    expect(verify(makeRepo({ gun: GUN, keys: { ...keys, root: wildcard }, targets: {} }))).toMatchObject({ status: 'verified' });
  });

  it('rejects a bad delegation alone: its targets are not trusted, the repository still is', () => {
    const stranger = ecdsaKey();
    const v = verify(makeRepo({ gun: GUN, keys, targets: { '1.0': A }, releases: { '2.0': B }, signers: { 'targets/releases': [stranger] } }));
    if (v.status !== 'verified') throw new Error(JSON.stringify(v));
    expect(v.roles.map((r) => r.name)).toEqual(['targets']);
    expect(v.rejected).toEqual([{ role: 'targets/releases', rule: 'signature-threshold', message: expect.stringContaining('targets/releases needs 1 valid signature') }]);
    const expired = verify(makeRepo({ gun: GUN, keys, targets: {}, releases: { '2.0': B }, edit: { 'targets/releases': (b) => (b.expires = '2020-01-01T00:00:00Z') } }));
    expect(expired.status === 'verified' && expired.rejected[0]?.rule).toBe('expired');
  });

  it('trusts a delegation\'s targets only within its paths, and only direct children as delegates', () => {
    const restrict = (b: Body) => {
      const d = b.delegations as { roles: { paths: string[]; name: string }[] };
      (d.roles[0] as { paths: string[] }).paths = ['release-'];
    };
    const v = verify(makeRepo({ gun: GUN, keys, targets: {}, releases: { '2.0': B, 'release-3': A }, edit: { targets: restrict } }));
    expect(v.status === 'verified' && Object.keys(v.roles[1]?.targets ?? {})).toEqual(['release-3']);
    const misnamed = (b: Body) => {
      const d = b.delegations as { roles: { name: string }[] };
      (d.roles[0] as { name: string }).name = 'targets/releases/../x';
    };
    const w = verify(makeRepo({ gun: GUN, keys, targets: {}, releases: { '2.0': B }, edit: { targets: misnamed } }));
    expect(w.status === 'verified' && w.rejected.map((r) => r.rule)).toEqual(['delegation-name']);
    expect(withinPaths('x', [], ['2d711642'])).toBe(true); // sha256("x") starts with 2d711642
    expect(withinPaths('x', [], ['ff'])).toBe(false);
  });

  it('rejects a delegation file the snapshot does not cover', () => {
    const files = makeRepo({ gun: GUN, keys, targets: {}, releases: { '2.0': B } });
    const releases = JSON.parse(files.delegations['targets/releases'] as string).signed as Body;
    (releases.targets as Record<string, unknown>)['9.9'] = targetMeta(A);
    const v = verify({ ...files, delegations: { 'targets/releases': signed(releases, [keys.releases]) } });
    expect(v.status === 'verified' && v.rejected.map((r) => r.rule)).toEqual(['length-mismatch']);
  });
});
