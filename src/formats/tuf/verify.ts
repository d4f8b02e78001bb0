/**
 * Verification of one Notary repository (a GUN) per the TUF specification and Notary's conventions, as of a
 * given time, from the metadata files exactly as served. Pure: no I/O, no clock (the caller passes `now`,
 * for evidence the moment the files were fetched).
 *
 * What is checked, in this order (the first failure of a top-level role rejects the whole repository; a
 * failing delegation is rejected alone and its targets are not trusted, as Notary does):
 * - root: the root role's keys are x509 certificates (Notary), whose leaf is not a CA, names the GUN as its
 *   common name (a trailing `*` matches a prefix) and is valid at `now`; with pinned root key ids only those
 *   count; a threshold of valid signatures from those keys; not expired;
 * - timestamp: threshold of the timestamp role's keys; not expired; the snapshot file matches its hashes and
 *   length (and version, when the timestamp names one: TUF 1.0; Notary omits it);
 * - snapshot: threshold of the snapshot role's keys; not expired; root, targets and every delegation file
 *   match the hashes and lengths it lists (and versions, when listed);
 * - targets: threshold of the targets role's keys; not expired;
 * - delegations (`targets/releases`, `targets/<team>`, nested): listed by the delegating role, named as its
 *   child, covered by the snapshot, a threshold of the delegated keys, not expired; a target counts only when
 *   its name lies within the role's paths (restricted by its parent's) or path hash prefixes. A role's trust
 *   depends only on the roles above it, so a caller that needs some roles only (`roles`) gets those verified
 *   and the delegations leading to them; the others are neither read nor listed.
 * Key ids must be the sha256 of the key (a signature under a mislabelled key does not count), every
 * signature method must fit its key type, and each key counts once towards a threshold.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { CanonicalJsonError, notaryCanonicalJson } from './canonical-json.js';
import { certificatesOf, isX509KeyType, KeyError, keyIdOf, type TufPublicKey, verifySignature } from './keys.js';
import {
  type DelegatedRole,
  type Envelope,
  type FileMeta,
  MetadataError,
  parseRoot,
  parseSnapshot,
  parseTargets,
  parseTimestamp,
  type RoleKeys,
  type TargetsMetadata,
} from './metadata.js';

/** The TUF rule a repository or role broke; evidence names it. */
export type TufRule =
  | 'malformed'
  | 'signature-threshold'
  | 'expired'
  | 'hash-mismatch'
  | 'length-mismatch'
  | 'version-mismatch'
  | 'root-certificate'
  | 'root-pinning'
  | 'missing-metadata'
  | 'delegation-name';

/** The metadata files of one repository, as served (text). */
export interface TrustFiles {
  root: string;
  timestamp: string;
  snapshot: string;
  targets: string;
  /** Delegated roles' files by role name (`targets/releases`…). */
  delegations: Record<string, string>;
}

export interface VerifyOptions {
  gun: string;
  now: Date;
  /** When set, only these root key ids (certificate key ids) may sign the root (Notary trust pinning). */
  pinnedRootKeyIds?: readonly string[];
  /**
   * When set, only these delegated roles (`targets/releases`…) and the delegations on the way to them are
   * verified; default: every delegation. `targets` itself is always verified.
   */
  roles?: readonly string[];
}

/** A targets role whose metadata verified: what it signs, and who signed this version of it. */
export interface TrustedRole {
  name: string;
  version: number;
  expires: string;
  threshold: number;
  /** The key ids the role delegates to (root's targets role or the parent's delegation). */
  keyIds: string[];
  /** The key ids whose signatures on this version verified. */
  signedBy: string[];
  /** The targets it lists within its paths. */
  targets: Record<string, FileMeta>;
}

export interface RejectedRole {
  role: string;
  rule: TufRule;
  message: string;
}

export type RepositoryVerification =
  | {
      status: 'verified';
      gun: string;
      rootKeyIds: string[];
      versions: Record<'root' | 'targets' | 'snapshot' | 'timestamp', number>;
      expires: Record<'root' | 'targets' | 'snapshot' | 'timestamp', string>;
      /** `targets` first, then verified delegations in the order they are delegated. */
      roles: TrustedRole[];
      /** Delegations whose metadata did not verify: their targets are not trusted. */
      rejected: RejectedRole[];
    }
  | { status: 'rejected'; gun: string; role: string; rule: TufRule; message: string };

class Rejection extends Error {
  constructor(
    readonly role: string,
    readonly rule: TufRule,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DELEGATIONS = 256;
const MAX_DEPTH = 8;

/** Verifies the repository's metadata as of `options.now`. */
export function verifyRepository(files: TrustFiles, options: VerifyOptions): RepositoryVerification {
  try {
    return verifyOrThrow(files, options);
  } catch (e) {
    if (e instanceof Rejection) return { status: 'rejected', gun: options.gun, role: e.role, rule: e.rule, message: e.message };
    if (e instanceof MetadataError) return { status: 'rejected', gun: options.gun, role: e.role, rule: 'malformed', message: e.message };
    throw e;
  }
}

function parse<T>(role: string, fn: () => Envelope<T>): Envelope<T> {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MetadataError) throw new Rejection(role, 'malformed', e.message);
    throw e;
  }
}

function verifyOrThrow(files: TrustFiles, options: VerifyOptions): RepositoryVerification {
  const { gun, now } = options;
  const root = parse('root', () => parseRoot(files.root));
  const rootKeys = trustedRootKeys(root.signed.keys, root.signed.roles.root, options);
  requireThreshold('root', root, { keyids: Object.keys(rootKeys), threshold: root.signed.roles.root.threshold }, rootKeys);
  requireUnexpired('root', root.signed, now);

  const timestamp = parse('timestamp', () => parseTimestamp(files.timestamp));
  requireThreshold('timestamp', timestamp, root.signed.roles.timestamp, root.signed.keys);
  requireUnexpired('timestamp', timestamp.signed, now);

  const snapshot = parse('snapshot', () => parseSnapshot(files.snapshot));
  requireFile('snapshot', files.snapshot, timestamp.signed.meta.snapshot, 'timestamp');
  requireVersion('snapshot', snapshot.signed.version, timestamp.signed.meta.snapshot, 'timestamp');
  requireThreshold('snapshot', snapshot, root.signed.roles.snapshot, root.signed.keys);
  requireUnexpired('snapshot', snapshot.signed, now);
  requireFile('root', files.root, snapshot.signed.meta.root, 'snapshot');
  requireVersion('root', root.signed.version, snapshot.signed.meta.root, 'snapshot');

  const targets = parse('targets', () => parseTargets('targets', files.targets));
  requireFile('targets', files.targets, snapshot.signed.meta.targets, 'snapshot');
  requireVersion('targets', targets.signed.version, snapshot.signed.meta.targets, 'snapshot');
  const targetsSigners = requireThreshold('targets', targets, root.signed.roles.targets, root.signed.keys);
  requireUnexpired('targets', targets.signed, now);

  const roles: TrustedRole[] = [trusted('targets', targets.signed, root.signed.roles.targets, targetsSigners, [''])];
  const rejected: RejectedRole[] = [];
  const wanted = options.roles;
  const needed = wanted === undefined ? () => true : (name: string) => wanted.some((r) => r === name || r.startsWith(`${name}/`));
  walkDelegations({ files, snapshot: snapshot.signed.meta, now, needed, roles, rejected }, 'targets', targets.signed, [''], 1);

  return {
    status: 'verified',
    gun,
    rootKeyIds: Object.keys(rootKeys).sort(),
    versions: { root: root.signed.version, targets: targets.signed.version, snapshot: snapshot.signed.version, timestamp: timestamp.signed.version },
    expires: { root: root.signed.expiresText, targets: targets.signed.expiresText, snapshot: snapshot.signed.expiresText, timestamp: timestamp.signed.expiresText },
    roles,
    rejected,
  };
}

interface Walk {
  files: TrustFiles;
  snapshot: Record<string, FileMeta>;
  now: Date;
  /** Whether a delegated role is to be verified (it is wanted, or delegates to one that is). */
  needed: (name: string) => boolean;
  roles: TrustedRole[];
  rejected: RejectedRole[];
}

function walkDelegations(walk: Walk, parentName: string, parent: TargetsMetadata, parentPaths: readonly string[], depth: number): void {
  for (const role of parent.delegations.roles) {
    if (walk.roles.length + walk.rejected.length >= MAX_DELEGATIONS) return;
    if (!walk.needed(role.name)) continue;
    try {
      const verified = verifyDelegation(walk, parentName, parent, role, parentPaths);
      if (verified === undefined) continue;
      walk.roles.push(verified.trusted);
      if (depth < MAX_DEPTH) walkDelegations(walk, role.name, verified.metadata, verified.paths, depth + 1);
    } catch (e) {
      if (e instanceof Rejection) walk.rejected.push({ role: role.name, rule: e.rule, message: e.message });
      else throw e;
    }
  }
}

function verifyDelegation(walk: Walk, parentName: string, parent: TargetsMetadata, role: DelegatedRole, parentPaths: readonly string[]): { trusted: TrustedRole; metadata: TargetsMetadata; paths: string[] } | undefined {
  const name = role.name;
  const child = name.startsWith(`${parentName}/`) ? name.slice(parentName.length + 1) : '';
  if (child === '' || child.includes('/') || child.includes('..')) {
    throw new Rejection(name, 'delegation-name', `${parentName} delegates to ${JSON.stringify(name)}, which is not one of its direct children (${parentName}/<name>)`);
  }
  const meta = walk.snapshot[name];
  const text = walk.files.delegations[name];
  // Declared but never published: the role signs nothing yet.
  if (meta === undefined && text === undefined) return undefined;
  if (meta === undefined) throw new Rejection(name, 'missing-metadata', `${name} is not listed in the snapshot, so its metadata can't be checked`);
  if (text === undefined) throw new Rejection(name, 'missing-metadata', `the snapshot lists ${name}, but its metadata was not fetched`);
  requireFile(name, text, meta, 'snapshot');
  const env = parse(name, () => parseTargets(name, text));
  requireVersion(name, env.signed.version, meta, 'snapshot');
  const signers = requireThreshold(name, env, role, parent.delegations.keys);
  requireUnexpired(name, env.signed, walk.now);
  const paths = (role.paths ?? []).filter((p) => parentPaths.some((pp) => p.startsWith(pp)));
  const trustedRole = trusted(name, env.signed, role, signers, paths, role.pathHashPrefixes);
  return { trusted: trustedRole, metadata: env.signed, paths };
}

function trusted(name: string, m: TargetsMetadata, keys: RoleKeys, signedBy: string[], paths: readonly string[], hashPrefixes?: readonly string[]): TrustedRole {
  const targets: Record<string, FileMeta> = {};
  for (const [target, meta] of Object.entries(m.targets)) if (withinPaths(target, paths, hashPrefixes)) targets[target] = meta;
  return { name, version: m.version, expires: m.expiresText, threshold: keys.threshold, keyIds: [...keys.keyids], signedBy, targets };
}

/** Notary's DelegationRole.CheckPaths: a name prefix from `paths`, else a sha256 hex prefix from `path_hash_prefixes`. */
export function withinPaths(target: string, paths: readonly string[], hashPrefixes?: readonly string[]): boolean {
  if (paths.some((p) => target.startsWith(p))) return true;
  if (hashPrefixes === undefined || hashPrefixes.length === 0) return false;
  const digest = createHash('sha256').update(target, 'utf8').digest('hex');
  return hashPrefixes.some((p) => digest.startsWith(p.toLowerCase()));
}

/** The root keys that may sign the root: x509 leaf certificates naming the GUN, valid now, pinned when pinning. */
function trustedRootKeys(keys: Record<string, TufPublicKey>, role: RoleKeys, options: VerifyOptions): Record<string, TufPublicKey> {
  const ok: Record<string, TufPublicKey> = {};
  const problems: string[] = [];
  for (const id of role.keyids) {
    const key = keys[id];
    if (key === undefined) {
      problems.push(`${short(id)} is not in the root's keys`);
      continue;
    }
    const problem = rootCertificateProblem(key, options);
    if (problem !== undefined) problems.push(`${short(id)}: ${problem}`);
    else ok[id] = key;
  }
  if (Object.keys(ok).length === 0) throw new Rejection('root', 'root-certificate', `no root key is a valid certificate for ${options.gun} (${problems.join('; ')})`);
  if (options.pinnedRootKeyIds === undefined) return ok;
  const pinned = new Set(options.pinnedRootKeyIds);
  const kept = Object.fromEntries(Object.entries(ok).filter(([id]) => pinned.has(id)));
  if (Object.keys(kept).length === 0) {
    throw new Rejection('root', 'root-pinning', `none of the root keys (${Object.keys(ok).map(short).join(', ')}) is a pinned root key for ${options.gun}`);
  }
  return kept;
}

/** Why a root key's certificate can't vouch for the GUN, or undefined. */
function rootCertificateProblem(key: TufPublicKey, options: VerifyOptions): string | undefined {
  if (!isX509KeyType(key.keytype)) return `a ${key.keytype} key, but Notary root keys are x509 certificates`;
  let certs: X509Certificate[];
  try {
    certs = certificatesOf(key);
  } catch (e) {
    return e instanceof KeyError ? e.message : 'unreadable certificate';
  }
  const leaf = certs[0] as X509Certificate;
  if (leaf.ca) return 'the first certificate is a CA certificate, not a leaf';
  const cn = commonNameOf(leaf);
  if (cn === undefined || !cnMatchesGun(cn, options.gun)) return `the certificate names ${JSON.stringify(cn ?? '')}, not ${options.gun}`;
  const t = options.now.getTime();
  if (t < new Date(leaf.validFrom).getTime()) return `the certificate is not valid before ${new Date(leaf.validFrom).toISOString()}`;
  if (t > new Date(leaf.validTo).getTime()) return `the certificate expired on ${new Date(leaf.validTo).toISOString()}`;
  return undefined;
}

function commonNameOf(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

/** Notary's MatchCNToGun: equal, or a prefix when the common name ends with `*`. */
export function cnMatchesGun(cn: string, gun: string): boolean {
  return cn.endsWith('*') ? gun.startsWith(cn.replace(/\*+$/, '')) : cn === gun;
}

/** The key ids whose signatures on `env` verify, or a rejection when fewer than the threshold do. */
function requireThreshold<T>(role: string, env: Envelope<T>, keys: RoleKeys, keyring: Record<string, TufPublicKey>): string[] {
  let message: Buffer;
  try {
    message = notaryCanonicalJson(env.signedJson);
  } catch (e) {
    if (e instanceof CanonicalJsonError) throw new Rejection(role, 'malformed', `${role}.json#/signed: ${e.message}`);
    throw e;
  }
  const allowed = new Set(keys.keyids);
  const valid = new Set<string>();
  for (const s of env.signatures) {
    if (!allowed.has(s.keyid) || valid.has(s.keyid)) continue;
    const key = keyring[s.keyid];
    if (key === undefined || keyIdOf(key) !== s.keyid) continue;
    try {
      if (verifySignature(key, s.method, message, s.sig)) valid.add(s.keyid);
    } catch (e) {
      if (!(e instanceof KeyError)) throw e;
    }
  }
  if (valid.size < keys.threshold) {
    const found = env.signatures.length === 0 ? 'it carries no signature' : `${valid.size} of its ${env.signatures.length} signatures verify`;
    throw new Rejection(role, 'signature-threshold', `${role} needs ${keys.threshold} valid signature${keys.threshold === 1 ? '' : 's'} from its keys (${keys.keyids.map(short).join(', ') || 'none'}); ${found}`);
  }
  return [...valid].sort();
}

function requireUnexpired(role: string, m: { expires: Date; expiresText: string }, now: Date): void {
  if (m.expires.getTime() <= now.getTime()) throw new Rejection(role, 'expired', `${role} metadata expired at ${m.expiresText} (checked as of ${now.toISOString()})`);
}

/** The file matches its length and every sha256/sha512 hash the referring role lists (at least one). */
function requireFile(role: string, text: string, meta: FileMeta | undefined, by: string): void {
  if (meta === undefined) throw new Rejection(role, 'missing-metadata', `${by} does not list ${role}`);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length !== meta.length) throw new Rejection(role, 'length-mismatch', `${role}.json is ${bytes.length} bytes; ${by} says ${meta.length}`);
  let checked = 0;
  for (const alg of ['sha256', 'sha512'] as const) {
    const expected = meta.hashes[alg];
    if (expected === undefined) continue;
    if (!createHash(alg).update(bytes).digest().equals(expected)) throw new Rejection(role, 'hash-mismatch', `the ${alg} of ${role}.json differs from the one ${by} lists`);
    checked++;
  }
  if (checked === 0) throw new Rejection(role, 'hash-mismatch', `${by} lists no sha256 or sha512 hash for ${role}`);
}

function requireVersion(role: string, version: number, meta: FileMeta | undefined, by: string): void {
  if (meta?.version !== undefined && meta.version !== version) throw new Rejection(role, 'version-mismatch', `${role} is version ${version}; ${by} lists version ${meta.version}`);
}

function short(keyId: string): string {
  return keyId.slice(0, 12);
}
