/**
 * DKER-EE-003610 and DKER-EE-004260 on facts built around real Notary metadata (recorded from notary-server
 * 0.7.0): every judgement kind, missing or failed parts (error, never pass), and the unconfigured case
 * (not-checked, saying why).
 */
import { describe, expect, it } from 'vitest';
import { signedNodeImagesCheck, signedRegistryImagesCheck } from '../../../../src/checks/supply-chain/signed-image-rules.js';
import { imageTrustSubjects, repoDigestFor } from '../../../../src/collectors/trust-subjects.js';
import type { ContainerFacts, NodeFacts } from '../../../../src/domain/facts.js';
import type { RegistryInventory, TrustFacts, TrustMetadataFiles } from '../../../../src/domain/supply-chain-facts.js';
import { RECORDED_DIGEST, RECORDED_FILES, RECORDED_GUN } from '../../../fixtures/tuf/recorded.js';

const FILES: TrustMetadataFiles = RECORDED_FILES;
const GUN = RECORDED_GUN;
const SIGNED = RECORDED_DIGEST;
const OTHER = `sha256:${'e'.repeat(64)}`;
const COLLECTED_AT = '2026-12-03T00:00:00.000Z';

function container(name: string, image: string, imageId: string): ContainerFacts {
  return { id: `${name}-id`, name, image, inspect: { Id: `${name}-id`, Name: `/${name}`, Image: imageId, Config: { Image: image } } };
}

function trustFacts(images: TrustFacts['images'], overrides: Partial<TrustFacts> = {}): TrustFacts {
  return {
    environment: 'prod',
    policy: { allowedSigners: [{ role: 'targets/alice' }], defaulted: false },
    trustServers: { notary: 'https://notary.test' },
    registryTrust: { '127.0.0.1:15000': 'notary' },
    images,
    registryTags: [],
    repositories: { [GUN]: { trustServer: 'notary', status: 'found', files: FILES } },
    ...overrides,
  };
}

function nodeWith(containers: ContainerFacts[], images: Record<string, unknown>[], trust: Partial<TrustFacts> = {}, registries?: RegistryInventory): NodeFacts {
  const base: NodeFacts = { nodeId: 'n', nodeName: 'node', endpoint: 'unix:///x', collectedAt: COLLECTED_AT, version: {}, info: {}, containers, engine: { status: 'collected', data: { images, networks: [], volumes: [], plugins: [], processes: {} } } };
  return {
    ...base,
    trust: { status: 'collected', data: trustFacts(imageTrustSubjects(base), trust) },
    registries: { status: 'collected', data: registries ?? { environment: 'prod', registries: [] } },
  };
}

const img = (id: string, repoDigests: string[]) => ({ Id: id, RepoDigests: repoDigests, RepoTags: [] });

describe('trust subjects', () => {
  it('picks the RepoDigest of the container\'s own repository', () => {
    const image = img('sha256:1', [`other.example/app@${OTHER}`, `${GUN}@${SIGNED}`]);
    expect(repoDigestFor(image, GUN)).toBe(SIGNED);
    expect(repoDigestFor(image, '127.0.0.1:15000/none')).toBeUndefined();
    const facts = nodeWith([container('a', `${GUN}:2.0`, 'sha256:1'), container('b', 'sha256:1', 'sha256:1'), container('c', 'busybox', 'sha256:2')], [image, img('sha256:2', [])]);
    const subjects = facts.trust?.status === 'collected' ? facts.trust.data.images : [];
    expect(subjects.map((s) => [s.containerName, s.repository, s.tag, s.digest, s.problem?.kind])).toEqual([
      ['a', GUN, '2.0', SIGNED, undefined],
      ['b', null, null, null, 'no-repository'],
      ['c', 'docker.io/library/busybox', 'latest', null, 'no-digest'],
    ]);
  });
});

describe('DKER-EE-003610', () => {
  const signedImage = img('sha256:1', [`${GUN}@${SIGNED}`]);

  it('passes an image signed by an allowed delegation, with the signer as evidence', () => {
    const outcome = signedNodeImagesCheck.evaluate(nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage]));
    expect(outcome.status).toBe('pass');
    expect(outcome.observations[0]).toMatchObject({ target: { kind: 'container', name: 'web' }, verdict: 'pass', value: { result: 'signed', signedBy: [{ role: 'targets/alice', target: '2.0' }] } });
  });

  it('fails a signer that is not allowed, an unsigned digest, a re-tagged tag and a missing digest, each with its own evidence', () => {
    const facts = (allowed: string, ref: string, image: Record<string, unknown>) =>
      nodeWith([container('web', ref, image.Id as string)], [image], { policy: { allowedSigners: [{ role: allowed }], defaulted: false } });
    const result = (f: NodeFacts) => (signedNodeImagesCheck.evaluate(f).observations[0]?.value as { result?: string } | undefined)?.result;
    expect(result(facts('targets/bob', `${GUN}:2.0`, signedImage))).toBe('unknown-signer');
    expect(result(facts('targets/alice', `${GUN}:9.9`, img('sha256:1', [`${GUN}@${OTHER}`])))).toBe('unsigned');
    expect(result(facts('targets/alice', `${GUN}:2.0`, img('sha256:1', [`${GUN}@${OTHER}`])))).toBe('retagged');
    expect(result(facts('targets/alice', `${GUN}:2.0`, img('sha256:1', [])))).toBe('no-digest');
    // Key ids narrow a role: alice's role, but a key she does not hold.
    const keyed = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { policy: { allowedSigners: [{ role: 'targets/alice', keyIds: ['0'.repeat(64)] }], defaulted: false } });
    expect(result(keyed)).toBe('unknown-signer');
  });

  it('passes on the allowed signer\'s verified chain alone: a broken delegation it does not rely on changes nothing', () => {
    const broken = { ...FILES, delegations: { ...FILES.delegations, 'targets/alice': FILES.delegations['targets/alice']!.replace('"version":1', '"version":2') } };
    const facts = (role: string) =>
      nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { policy: { allowedSigners: [{ role }], defaulted: false }, repositories: { [GUN]: { trustServer: 'notary', status: 'found', files: broken } } });
    expect(signedNodeImagesCheck.evaluate(facts('targets/releases'))).toMatchObject({ status: 'pass', observations: [{ value: { signedBy: [{ role: 'targets/releases' }] } }] });
    // Alice's own chain is broken: her signature no longer counts, and the failure says why.
    expect(signedNodeImagesCheck.evaluate(facts('targets/alice'))).toMatchObject({ status: 'fail', observations: [{ value: { result: 'unknown-signer' } }] });
  });

  it('gives error, never pass, for trust data of a repository without a recognised status', () => {
    const { status: _status, ...noStatus } = { trustServer: 'notary', status: 'found' as const, files: FILES };
    const facts = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { repositories: { [GUN]: noStatus as never } });
    expect(signedNodeImagesCheck.evaluate(facts)).toMatchObject({ status: 'error', message: expect.stringContaining('no recognised status') });
  });

  it('fails on expired or tampered trust data, judged as of the collection time', () => {
    const late = { ...nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage]), collectedAt: '2026-12-20T00:00:00.000Z' };
    expect(signedNodeImagesCheck.evaluate(late).observations[0]?.value).toMatchObject({ result: 'invalid-trust-data', tufRule: 'expired', tufRole: 'timestamp' });
    const tampered = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { repositories: { [GUN]: { trustServer: 'notary', status: 'found', files: { ...FILES, timestamp: FILES.timestamp.replace('"version":3', '"version":4') } } } });
    expect(signedNodeImagesCheck.evaluate(tampered).observations[0]?.value).toMatchObject({ result: 'invalid-trust-data', tufRule: 'signature-threshold' });
  });

  it('fails an image whose registry has no trust server, and one the server never signed', () => {
    const foreign = nodeWith([container('web', `other.example:5000/app:1`, 'sha256:1')], [img('sha256:1', [`other.example:5000/app@${OTHER}`])]);
    expect(signedNodeImagesCheck.evaluate(foreign).observations[0]?.value).toMatchObject({ result: 'no-trust-server' });
    const never = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { repositories: { [GUN]: { trustServer: 'notary', status: 'not-found' } } });
    expect(signedNodeImagesCheck.evaluate(never)).toMatchObject({ status: 'fail', observations: [{ value: { result: 'unsigned', trustData: 'none' } }] });
  });

  it('gives error, never pass, when facts are missing or the trust server failed', () => {
    const base = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage]);
    expect(signedNodeImagesCheck.evaluate({ ...base, trust: undefined }).status).toBe('error');
    expect(signedNodeImagesCheck.evaluate({ ...base, trust: { status: 'failed', error: 'boom' } }).status).toBe('error');
    const failed = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { repositories: { [GUN]: { trustServer: 'notary', status: 'failed', error: 'trust server notary is unreachable' } } });
    expect(signedNodeImagesCheck.evaluate(failed)).toMatchObject({ status: 'error', message: expect.stringContaining('unreachable') });
    const noEngine: NodeFacts = { ...base, engine: { status: 'failed', error: 'x' } };
    const trust = { status: 'collected' as const, data: trustFacts(imageTrustSubjects(noEngine)) };
    expect(signedNodeImagesCheck.evaluate({ ...noEngine, trust }).status).toBe('error');
    expect(signedNodeImagesCheck.evaluate({ ...base, engine: undefined }).status).toBe('error');
    expect(signedNodeImagesCheck.evaluate({ ...base, containers: [] }).status).toBe('error');
    const noFiles = nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { repositories: {} });
    expect(signedNodeImagesCheck.evaluate(noFiles).status).toBe('error');
  });

  it('is not applicable without containers, and manual without a trust server', () => {
    expect(signedNodeImagesCheck.evaluate(nodeWith([], [])).status).toBe('not-applicable');
    const manual = signedNodeImagesCheck.evaluate(nodeWith([container('web', `${GUN}:2.0`, 'sha256:1')], [signedImage], { policy: null }));
    expect(manual).toMatchObject({ status: 'not-checked', message: expect.stringContaining('No trust server is configured for environment prod') });
  });
});

describe('DKER-EE-004260', () => {
  const registries: RegistryInventory = { environment: 'prod', registries: [{ name: 'r', host: '127.0.0.1:15000', url: 'http://127.0.0.1:15000', status: 'collected', repositories: [] }] };
  const withTags = (tags: TrustFacts['registryTags'], extra: Partial<TrustFacts> = {}) => nodeWith([], [], { registryTags: tags, ...extra }, registries);

  it('judges each tag by its digest', () => {
    const outcome = signedRegistryImagesCheck.evaluate(withTags([{ registry: 'r', repository: GUN, tag: '2.0', digest: SIGNED }, { registry: 'r', repository: GUN, tag: '1.0', digest: OTHER }]));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations.map((o) => [o.target.name, (o.value as { result: string }).result])).toEqual([[`${GUN}:2.0`, 'signed'], [`${GUN}:1.0`, 'retagged']]);
  });

  it('passes signed tags, errs on an unreadable registry, is manual without registries', () => {
    expect(signedRegistryImagesCheck.evaluate(withTags([{ registry: 'r', repository: GUN, tag: '2.0', digest: SIGNED }])).status).toBe('pass');
    expect(signedRegistryImagesCheck.evaluate(withTags(undefined, { registryTagsProblem: 'collecting the registries failed: x' })).status).toBe('error');
    expect(signedRegistryImagesCheck.evaluate(withTags([{ registry: 'r', repository: GUN, tag: '2.0', digest: SIGNED }], { registryTagsProblem: 'registries could not be read (r2: down)' })).status).toBe('error');
    expect(signedRegistryImagesCheck.evaluate(withTags([])).status).toBe('not-applicable');
    const none = nodeWith([], [], { registryTags: [] });
    expect(signedRegistryImagesCheck.evaluate(none)).toMatchObject({ status: 'not-checked', message: expect.stringContaining('No registry is configured') });
    expect(signedRegistryImagesCheck.evaluate({ ...none, registries: undefined }).status).toBe('error');
  });
});
