/**
 * Image rules: containers must run as a non-root USER (judged per container, as the check text reads it), and
 * no UCP or DTR image older than the installed version may remain (per image of the engine part).
 */
import type { ApiObject } from '../../domain/facts.js';
import type { TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';
import { fieldCheck } from '../container-rule.js';
import { hasField, labelField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from './engine-rule.js';

/** The image's tags, without the `<none>:<none>` placeholder of untagged images; undefined when RepoTags (always in an image inspection) is missing. */
export function imageTags(image: ApiObject): string[] | undefined {
  if (!hasField(image, 'RepoTags')) return undefined;
  const tags = readField(image, 'RepoTags');
  if (tags === null) return [];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string' && t !== '<none>:<none>') : undefined;
}

/** An image as an observation target: its id, named by its first tag (else digest, else short id). Naming only. */
export function imageTarget(image: ApiObject): TargetRef {
  const rawId = labelField(image, 'Id');
  const id = typeof rawId === 'string' ? rawId : '';
  const tags = labelField(image, 'RepoTags');
  const tag = Array.isArray(tags) ? tags.find((t): t is string => typeof t === 'string' && t !== '<none>:<none>') : undefined;
  const digests = labelField(image, 'RepoDigests');
  const digest = Array.isArray(digests) && typeof digests[0] === 'string' ? digests[0] : undefined;
  return { kind: 'image', id, name: tag ?? digest ?? id.replace(/^sha256:/, '').slice(0, 12) };
}

/** True when a USER value (`name`, `uid`, `name:group`, `uid:gid`, or empty) runs as root. */
export function isRootUser(user: string): boolean {
  const name = user.split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
}

const MAX_NAMES = 5;

function list(names: readonly string[]): string {
  return names.length > MAX_NAMES ? `${names.slice(0, MAX_NAMES).join(', ')}, … (${names.length} in all)` : names.join(', ');
}

/**
 * DKER-EE-003200: every container must run as a non-root user. The check text inspects each container's
 * `Config.User` (`docker ps -q -a | xargs docker inspect --format '{{ .Id }}: User={{ .Config.User }}'`): "If
 * User is 0, root or undefined, this is a finding". A container's Config.User is its image's USER unless
 * `--user` overrides it, so judging containers also catches `--user 0` on a non-root image, and a root image
 * run with `--user 1000` passes. Empty, `root` or `0` (with or without a group) fails.
 */
export const containerUserCheck: Check = fieldCheck({
  stigId: 'DKER-EE-003200',
  title: 'Docker Enterprise images must be built with the USER instruction to prevent containers from running as root.',
  field: 'Config.User',
  expected: 'Config.User names a non-root user or uid (not empty, root or 0)',
  excludesPlatformContainers: false,
  failing: 'run as root',
  decide: (value) => {
    if (typeof value !== 'string') return { invalid: 'expected a string' };
    if (!isRootUser(value)) return { verdict: 'pass', message: `Config.User is ${show(value)}: it runs as a non-root user.` };
    return {
      verdict: 'fail',
      message: value.trim() === '' ? 'Config.User is empty: it runs as root (no USER in its image, no --user).' : `Config.User is ${show(value)}: it runs as root.`,
    };
  },
});

/** A platform image tag: `docker/ucp-agent:3.2.5`, `docker/dtr-registry:2.7.6` (docker.io/ optional). */
const PLATFORM_TAG = /^(?:docker\.io\/)?docker\/(ucp|dtr)[^/:@]*:([^/@]+)$/i;

/** The numeric release of a tag (`3.2.5`, `v2.7.6`, `3.3.0-tp2`), or undefined. */
export function parseRelease(tag: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Orders releases numerically. */
export function compareReleases(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

interface PlatformImage {
  image: ApiObject;
  product: 'ucp' | 'dtr';
  tags: { tag: string; release: number[] }[];
}

/**
 * DKER-EE-004130: no UCP or DTR image older than the installed version. The installed version of each
 * product is the newest release among its images (`docker images --filter reference='docker/ucp*'`); an
 * image all of whose tags are older fails. A node without UCP or DTR images is not applicable; a tag that
 * names no release (`latest`) can't be ordered, which is an error.
 */
export const outdatedPlatformImagesCheck: Check = engineCheck({
  stigId: 'DKER-EE-004130',
  title: 'Docker Enterprise older Universal Control Plane (UCP) and Docker Trusted Registry (DTR) images must be removed from all cluster nodes upon upgrading.',
  targetKinds: ['image'],
  expected: 'every docker/ucp* and docker/dtr* image is tagged with the newest installed release of its product',
  judge: (facts): EngineDecision => {
    const part = requirePart(facts, 'engine');
    if ('outcome' in part) return part;
    const platform: PlatformImage[] = [];
    const unordered: string[] = [];
    for (const image of part.data.images) {
      const imageTagList = imageTags(image);
      if (imageTagList === undefined) return { invalid: `an image inspection (${imageTarget(image).name}) has no RepoTags list: whether it is a UCP or DTR image is unknown` };
      for (const product of ['ucp', 'dtr'] as const) {
        const tags: PlatformImage['tags'] = [];
        for (const tag of imageTagList) {
          const m = PLATFORM_TAG.exec(tag);
          if (m === null || (m[1] as string).toLowerCase() !== product) continue;
          const release = parseRelease(m[2] as string);
          if (release === undefined) unordered.push(tag);
          else tags.push({ tag, release });
        }
        if (tags.length > 0) platform.push({ image, product, tags });
      }
    }
    if (unordered.length > 0) return { invalid: `the platform image tags ${list(unordered)} name no release to compare` };
    if (platform.length === 0) return { notApplicable: 'The engine has no docker/ucp* or docker/dtr* images.' };
    const newest = (p: PlatformImage): PlatformImage['tags'][number] =>
      p.tags.reduce((best, t) => (compareReleases(t.release, best.release) > 0 ? t : best));
    const installed = new Map<string, PlatformImage['tags'][number]>();
    for (const p of platform) {
      const n = newest(p);
      const current = installed.get(p.product);
      if (current === undefined || compareReleases(n.release, current.release) > 0) installed.set(p.product, n);
    }
    return {
      judgements: platform.map((p): EngineJudgement => {
        const target = imageTarget(p.image);
        const own = newest(p);
        const current = installed.get(p.product) as PlatformImage['tags'][number];
        const older = compareReleases(own.release, current.release) < 0;
        const version = (t: { release: number[] }) => t.release.join('.');
        return {
          target,
          field: 'RepoTags',
          value: p.tags.map((t) => t.tag),
          verdict: older ? 'fail' : 'pass',
          message: older
            ? `Image ${own.tag} is ${p.product.toUpperCase()} ${version(own)}, older than the installed ${version(current)} (${current.tag}).`
            : `Image ${own.tag} is the installed ${p.product.toUpperCase()} release ${version(current)}.`,
        };
      }),
    };
  },
  summarize: (status, judgements) => {
    const failing = judgements.filter((j) => j.verdict === 'fail');
    return status === 'fail'
      ? `${failing.length} of ${judgements.length} UCP/DTR images are older than the installed release: ${failing.map((j) => j.message).slice(0, MAX_NAMES).join(' ')}`
      : `All ${judgements.length} UCP/DTR images are of the installed release.`;
  },
});

/** The image rules. */
export const IMAGE_CHECKS: readonly Check[] = [containerUserCheck, outdatedPlatformImagesCheck];
