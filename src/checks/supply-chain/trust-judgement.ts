/**
 * Whether one image (a repository and a digest) is signed by an allowed signer, decided from the trust data
 * in the facts: the repository's TUF metadata is verified (formats/tuf/verify.ts) as of the collection time,
 * then the digest is looked up among the targets of the verified roles. Each outcome has its own kind and
 * evidence: signed, unsigned, re-tagged (the tag is signed for another digest), unknown signer (signed, but
 * only by roles or keys the environment does not allow), invalid trust data (expired, bad signatures, a broken
 * threshold, hashes that don't match…), no trust server, and the undecidable ones (`error`).
 * An image is first judged on the verified chains of the allowed signers alone (a role's trust depends only on
 * the roles above it), so a pass rests on exactly the metadata that makes it; the other delegations are
 * verified only to explain a failure (unknown signer, re-tag, rejected delegations).
 * Pure; verifications are memoised per facts object, so every image of a repository costs one verification.
 */
import type { AllowedSigner } from '../../domain/supply-chain.js';
import type { TrustFacts, TrustRepositoryFacts } from '../../domain/supply-chain-facts.js';
import { parseImageReference } from '../../domain/image-reference.js';
import { type RepositoryVerification, verifyRepository } from '../../formats/tuf/verify.js';

export type TrustKind = 'signed' | 'unsigned' | 'retagged' | 'unknown-signer' | 'invalid-trust-data' | 'no-trust-server' | 'trust-server-failed';

export interface SignedBy {
  role: string;
  target: string;
  keyIds: string[];
  version: number;
  expires: string;
}

export interface TrustJudgement {
  verdict: 'pass' | 'fail' | 'error';
  kind: TrustKind;
  /** A whole sentence for the observation. */
  message: string;
  /** Evidence: what was looked up and what the trust data says (no secrets: key ids are public). */
  evidence: Record<string, unknown>;
}

const memo = new WeakMap<TrustFacts, Map<string, RepositoryVerification>>();

/**
 * The repository's verification as of `now`, once per facts object: of the delegations leading to `roles`
 * only, when given (see VerifyOptions.roles), else of all of them.
 */
export function verificationOf(trust: TrustFacts, gun: string, repo: Extract<TrustRepositoryFacts, { status: 'found' }>, now: Date, roles?: readonly string[]): RepositoryVerification {
  let byGun = memo.get(trust);
  if (byGun === undefined) {
    byGun = new Map();
    memo.set(trust, byGun);
  }
  const key = `${gun}\u0000${now.toISOString()}\u0000${roles === undefined ? '*' : [...roles].sort().join('\u0000')}`;
  let v = byGun.get(key);
  if (v === undefined) {
    v = verifyRepository(repo.files, { gun, now, ...(repo.pinnedRootKeyIds !== undefined ? { pinnedRootKeyIds: repo.pinnedRootKeyIds } : {}), ...(roles !== undefined ? { roles } : {}) });
    byGun.set(key, v);
  }
  return v;
}

/** The targets of the verified roles whose sha256 is `hex`, as signatures. */
function signaturesOf(v: Extract<RepositoryVerification, { status: 'verified' }>, hex: string): SignedBy[] {
  const out: SignedBy[] = [];
  for (const role of v.roles) {
    for (const [target, meta] of Object.entries(role.targets)) {
      if (meta.hashes.sha256?.toString('hex') === hex) out.push({ role: role.name, target, keyIds: role.signedBy, version: role.version, expires: role.expires });
    }
  }
  return out;
}

const versionsOf = (v: Extract<RepositoryVerification, { status: 'verified' }>) => ({ root: v.versions.root, targets: v.versions.targets, snapshot: v.versions.snapshot, timestamp: v.versions.timestamp });

function allowedBy(signers: readonly AllowedSigner[], s: SignedBy): boolean {
  return signers.some((a) => a.role === s.role && (a.keyIds === undefined || s.keyIds.some((k) => a.keyIds?.includes(k))));
}

export function describeSigners(signers: readonly AllowedSigner[]): string {
  return signers.map((s) => (s.keyIds === undefined ? s.role : `${s.role} (keys ${s.keyIds.map((k) => k.slice(0, 12)).join(', ')})`)).join(', ');
}

/** The judgement of `repository@digest` (looked up under `tag` for re-tag evidence) with the facts' trust data. */
export function judgeImage(trust: TrustFacts, subject: { repository: string; tag: string | null; digest: string }, now: Date): TrustJudgement {
  const { repository, tag, digest } = subject;
  const name = tag !== null ? `${repository}:${tag}` : `${repository}@${digest}`;
  const host = parseImageReference(repository)?.host ?? '';
  const serverName = trust.registryTrust[host];
  const base = { repository, tag, digest, trustServer: serverName ?? null };
  if (serverName === undefined || trust.trustServers[serverName] === undefined) {
    return { verdict: 'fail', kind: 'no-trust-server', message: `${name} comes from registry ${host}, which has no trust server configured in environment ${trust.environment}: its signature can't be verified.`, evidence: { ...base, result: 'no-trust-server' } };
  }
  const repo = trust.repositories[repository];
  if (repo === undefined) return { verdict: 'error', kind: 'trust-server-failed', message: `The trust data of ${repository} was not fetched.`, evidence: { ...base, result: 'not-fetched' } };
  if (repo.status === 'failed') return { verdict: 'error', kind: 'trust-server-failed', message: `The trust data of ${repository} could not be fetched: ${repo.error}`, evidence: { ...base, result: 'trust-server-failed' } };
  if (repo.status === 'not-found') {
    return { verdict: 'fail', kind: 'unsigned', message: `${name} is unsigned: trust server ${serverName} has no trust data for ${repository}.`, evidence: { ...base, result: 'unsigned', trustData: 'none' } };
  }
  // Only trust data recorded as found is verified; anything else (a snapshot from another version, damaged) decides nothing.
  if (repo.status !== 'found') {
    return { verdict: 'error', kind: 'trust-server-failed', message: `The trust data of ${repository} has no recognised status (${JSON.stringify((repo as { status?: unknown }).status ?? null)}).`, evidence: { ...base, result: 'not-fetched' } };
  }
  const policy = trust.policy?.allowedSigners ?? [];
  const hex = digest.replace(/^sha256:/, '');
  const chains = verificationOf(trust, repository, repo, now, policy.map((s) => s.role));
  if (chains.status === 'rejected') return invalidTrustData(base, name, chains, now);
  const allowed = signaturesOf(chains, hex).filter((m) => allowedBy(policy, m));
  if (allowed.length > 0) {
    const first = allowed[0] as SignedBy;
    return { verdict: 'pass', kind: 'signed', message: `${name} is signed by ${first.role} (key ${first.keyIds.map((k) => k.slice(0, 12)).join(', ')}) as target ${first.target}.`, evidence: { ...base, result: 'signed', signedBy: allowed, rootKeyIds: chains.rootKeyIds, versions: versionsOf(chains) } };
  }
  // Not signed by an allowed signer: every delegation is verified to say why.
  const v = verificationOf(trust, repository, repo, now);
  if (v.status === 'rejected') return invalidTrustData(base, name, v, now);
  const matches = signaturesOf(v, hex);
  const sameTag: { role: string; digest: string }[] = [];
  for (const role of v.roles) {
    for (const [target, meta] of Object.entries(role.targets)) {
      const sha = meta.hashes.sha256?.toString('hex');
      if (sha !== hex && tag !== null && target === tag && sha !== undefined) sameTag.push({ role: role.name, digest: `sha256:${sha}` });
    }
  }
  const versions = versionsOf(v);
  const rejected = v.rejected.length > 0 ? { rejectedDelegations: v.rejected.map((r) => ({ role: r.role, rule: r.rule })) } : {};
  if (matches.length > 0) {
    return {
      verdict: 'fail',
      kind: 'unknown-signer',
      message: `${name} is signed only by signers environment ${trust.environment} does not allow: ${matches.map((m) => `${m.role} (key ${m.keyIds.map((k) => k.slice(0, 12)).join(', ')})`).join(', ')}; allowed: ${describeSigners(policy)}.`,
      evidence: { ...base, result: 'unknown-signer', signedBy: matches, allowedSigners: policy, versions },
    };
  }
  if (sameTag.length > 0) {
    return {
      verdict: 'fail',
      kind: 'retagged',
      message: `${name} is ${digest}, but the signed tag ${tag ?? ''} names ${[...new Set(sameTag.map((s) => s.digest))].join(', ')} (${[...new Set(sameTag.map((s) => s.role))].join(', ')}): the tag was re-pointed to unsigned content.`,
      evidence: { ...base, result: 'retagged', signedDigests: sameTag, versions, ...rejected },
    };
  }
  const note = v.rejected.length > 0 ? ` (delegations rejected: ${v.rejected.map((r) => `${r.role}: ${r.rule}`).join(', ')})` : '';
  return { verdict: 'fail', kind: 'unsigned', message: `${name} is unsigned: no signed target of ${repository} has digest ${digest}${note}.`, evidence: { ...base, result: 'unsigned', versions, ...rejected } };
}

function invalidTrustData(base: Record<string, unknown>, name: string, v: Extract<RepositoryVerification, { status: 'rejected' }>, now: Date): TrustJudgement {
  return {
    verdict: 'fail',
    kind: 'invalid-trust-data',
    message: `The trust data of ${v.gun} is not valid (${v.rule}, ${v.role}): ${v.message}. ${name} can't be trusted as signed.`,
    evidence: { ...base, result: 'invalid-trust-data', tufRule: v.rule, tufRole: v.role, checkedAsOf: now.toISOString() },
  };
}
