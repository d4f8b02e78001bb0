/**
 * Signed images (Docker Content Trust, Notary/TUF), decided where the node's environment configures a trust
 * server; without one the rules stay manual (`not-checked`, saying why), never pass:
 *
 * - DKER-EE-003610: every image the node's containers run (stopped ones too) is signed by an allowed signer,
 *   looked up by the container's own repository and the digest it has there;
 * - DKER-EE-004260: every tag of the environment's registries points to a digest signed by an allowed signer.
 *
 * The outcome is `fail` when any image fails (unsigned, re-tagged, unknown signer, invalid or expired trust
 * data, no trust server), else `error` when any can't be decided (trust server or registry unreadable, digest
 * unknown for lack of facts), else `pass`. See trust-judgement.ts for each judgement's evidence.
 */
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import type { CheckOutcome, Observation, TargetRef } from '../../domain/results.js';
import type { TrustFacts } from '../../domain/supply-chain-facts.js';
import type { Check } from '../check.js';
import { labelField } from '../evidence.js';
import { requirePart } from '../parts.js';
import { describeSigners, judgeImage, type TrustJudgement } from './trust-judgement.js';

const MANUAL_WHEN = 'no trust server is configured for the node\'s environment (PLIMSOLL_SUPPLY_CHAIN_CONFIG): signatures are kept by Notary, not the engine';
const MAX_LISTED = 5;

interface Judged {
  target: TargetRef;
  judgement: TrustJudgement;
  /** The subject's own problem (no digest, not collected), decided without trust data. */
}

function expectedOf(trust: TrustFacts): string {
  return `signed by an allowed signer (${describeSigners(trust.policy?.allowedSigners ?? [])}) with a target whose sha256 is the image digest; TUF metadata valid as of collection (signatures, thresholds, expiry, hashes)`;
}

function notConfigured(trust: TrustFacts): CheckOutcome {
  return { status: 'not-checked', message: `No trust server is configured for environment ${trust.environment} (PLIMSOLL_SUPPLY_CHAIN_CONFIG): signatures are kept by Notary, not the engine, so this rule needs manual review.`, observations: [] };
}

function list(items: readonly string[]): string {
  return items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(' ')} … (${items.length} in all)` : items.join(' ');
}

/** fail if any fails, else error if any is undecided, else pass; observations for decided subjects. */
function aggregate(facts: NodeFacts, trust: TrustFacts, judged: readonly Judged[], noun: string, extraError?: string): CheckOutcome {
  const observations: Observation[] = judged
    .filter((j) => j.judgement.verdict !== 'error')
    .map((j) => ({
      target: j.target,
      field: 'trust',
      value: j.judgement.evidence,
      expected: expectedOf(trust),
      verdict: j.judgement.verdict as 'pass' | 'fail',
      message: j.judgement.message,
      collectedAt: facts.collectedAt,
    }));
  const failed = judged.filter((j) => j.judgement.verdict === 'fail');
  const errors = [...judged.filter((j) => j.judgement.verdict === 'error').map((j) => j.judgement.message), ...(extraError !== undefined ? [extraError] : [])];
  const undecided = errors.length > 0 ? ` ${errors.length} could not be decided: ${list(errors)}` : '';
  if (failed.length > 0) return { status: 'fail', message: `${failed.length} of ${judged.length} ${noun} are not signed by an allowed signer: ${list(failed.map((j) => j.judgement.message))}${undecided}`, observations };
  if (errors.length > 0) return { status: 'error', message: `Cannot decide:${undecided}`, observations };
  return { status: 'pass', message: judged.length === 1 ? `The one ${noun.replace(/s$/, '')} is signed by an allowed signer.` : `All ${judged.length} ${noun} are signed by an allowed signer.`, observations };
}

/** The trust part with a configured policy, or the outcome to give instead (error when missing, not-checked when unconfigured). */
function configuredTrust(facts: NodeFacts): { trust: TrustFacts } | { outcome: CheckOutcome } {
  const part = requirePart(facts, 'trust');
  if ('outcome' in part) return part;
  return part.data.policy === null ? { outcome: notConfigured(part.data) } : { trust: part.data };
}

/**
 * A subject's field that only names the target or words the evidence (a container's id and name, the reference
 * it was created from, a tag: signatures are judged by repository and digest), as a string or null when missing.
 */
function label(subject: object, field: string): string | null {
  const v = labelField(subject as ApiObject, field);
  return typeof v === 'string' ? v : null;
}

function now(facts: NodeFacts): Date {
  return new Date(facts.collectedAt);
}

export const signedNodeImagesCheck: Check = {
  stigId: 'DKER-EE-003610',
  title: 'Only trusted, signed images must be on Universal Control Plane (UCP) in Docker Enterprise.',
  targetKinds: ['container', 'image'],
  facts: ['trust', 'engine'],
  manualWhen: MANUAL_WHEN,
  evaluate(facts) {
    const configured = configuredTrust(facts);
    if ('outcome' in configured) return configured.outcome;
    const trust = configured.trust;
    // The subjects were resolved from the containers and the engine's images: without them they can't be trusted.
    const engine = requirePart(facts, 'engine');
    if ('outcome' in engine) return engine.outcome;
    if (!Array.isArray(facts.containers) || facts.containers.length !== trust.images.length) {
      return { status: 'error', message: `Cannot decide: the trust facts name ${trust.images.length} container images, the inventory ${Array.isArray(facts.containers) ? facts.containers.length : 'no'} containers.`, observations: [] };
    }
    if (trust.images.length === 0) return { status: 'not-applicable', message: `${facts.nodeName} runs no containers.`, observations: [] };
    const at = now(facts);
    const judged = trust.images.map((s): Judged => {
      const containerName = label(s, 'containerName') ?? '(unnamed)';
      const reference = label(s, 'reference');
      const target: TargetRef = { kind: 'container', id: label(s, 'containerId') ?? '', name: containerName };
      if (s.repository === null || s.digest === null) {
        const p = s.problem ?? { kind: 'not-collected', message: `The repository or digest of ${reference ?? 'its image'} is unknown.` };
        const verdict = p.kind === 'not-collected' ? 'error' : 'fail';
        return { target, judgement: { verdict, kind: 'unsigned', message: p.message, evidence: { reference, imageId: s.imageId, repository: s.repository, digest: null, result: p.kind } } };
      }
      const j = judgeImage(trust, { repository: s.repository, tag: label(s, 'tag'), digest: s.digest }, at);
      return { target, judgement: { ...j, message: `Container ${containerName}: ${j.message}`, evidence: { container: containerName, reference, ...j.evidence } } };
    });
    return aggregate(facts, trust, judged, 'container images');
  },
};

export const signedRegistryImagesCheck: Check = {
  stigId: 'DKER-EE-004260',
  title: 'Only trusted, signed images must be stored in Docker Trusted Registry (DTR) in Docker Enterprise.',
  targetKinds: ['image'],
  facts: ['trust', 'registry'],
  manualWhen: MANUAL_WHEN,
  evaluate(facts) {
    const configured = configuredTrust(facts);
    if ('outcome' in configured) return configured.outcome;
    const trust = configured.trust;
    const registries = requirePart(facts, 'registries');
    if ('outcome' in registries) return registries.outcome;
    if (registries.data.registries.length === 0) {
      return { status: 'not-checked', message: `No registry is configured for environment ${trust.environment} (PLIMSOLL_SUPPLY_CHAIN_CONFIG): which images the registry stores needs manual review.`, observations: [] };
    }
    const tags = trust.registryTags;
    if (tags === undefined) return { status: 'error', message: `Cannot decide: ${trust.registryTagsProblem ?? 'the registries\' tags were not collected'}.`, observations: [] };
    if (tags.length === 0 && trust.registryTagsProblem === undefined) return { status: 'not-applicable', message: `The registries of environment ${trust.environment} hold no tagged images.`, observations: [] };
    const at = now(facts);
    const judged = tags.map((t): Judged => {
      const tag = label(t, 'tag');
      return {
        target: { kind: 'image', id: `${t.repository}@${t.digest}`, name: tag !== null ? `${t.repository}:${tag}` : `${t.repository}@${t.digest}` },
        judgement: judgeImage(trust, { repository: t.repository, tag, digest: t.digest }, at),
      };
    });
    return aggregate(facts, trust, judged, 'registry tags', trust.registryTagsProblem);
  },
};

/** The supply-chain checks. */
export const SUPPLY_CHAIN_CHECKS: readonly Check[] = [signedNodeImagesCheck, signedRegistryImagesCheck];
