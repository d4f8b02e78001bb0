/**
 * Segregation of environments (Plimsoll's own benchmark, issue #11 item 3), decided from the node's
 * `environmentPolicy` part (what its environment allows, as configured at collection) and its containers:
 *
 * - PLM-ENV-001: every container (stopped ones too) runs an image from one of the environment's registries.
 *   The registry is the host of the reference the container was created from (`Config.Image`, normalised as
 *   the engine does: no host is Docker Hub); a container created from an image id is traced to the image's
 *   RepoTags and RepoDigests, and an image known only by its digest, with neither, is `error` (where it came
 *   from can't be told), never a pass. No registries configured for the environment: `not-checked`, saying so.
 * - PLM-ENV-002: on a production node, every container carries the access label (`com.docker.ucp.access.label`
 *   unless configured) naming a collection of the node's environment. Other environments: `not-applicable`;
 *   no collections configured for a production environment: `not-checked`, saying so.
 *
 * fail when any container fails, else error when any can't be decided, else pass; evidence names the
 * container, the field path and the observed value.
 */
import type { ApiObject, ContainerFacts, NodeFacts } from '../../domain/facts.js';
import { collectionMatches, type EnvironmentPolicyFacts } from '../../domain/environment-policy.js';
import { parseImageReference } from '../../domain/image-reference.js';
import type { CheckOutcome, Observation } from '../../domain/results.js';
import type { Check } from '../check.js';
import { containerObservation, labelField, readField } from '../evidence.js';
import { requirePart } from '../parts.js';

const MAX_LISTED = 5;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

type Judged = { container: ContainerFacts; observation: Observation } | { container: ContainerFacts; error: string };

function list(items: readonly string[]): string {
  return items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join('; ')} … (${items.length} in all)` : items.join('; ');
}

/** The aggregate outcome of per-container judgements. */
function aggregate(judged: readonly Judged[], failing: string, passing: string): CheckOutcome {
  const observations = judged.flatMap((j) => ('observation' in j ? [j.observation] : []));
  const failed = observations.filter((o) => o.verdict === 'fail');
  const errors = judged.flatMap((j) => ('error' in j ? [`${j.container.name}: ${j.error}`] : []));
  const undecided = errors.length > 0 ? ` ${errors.length} could not be decided: ${list(errors)}.` : '';
  if (failed.length > 0) return { status: 'fail', message: `${failed.length} of ${judged.length} containers ${failing}: ${list(failed.map((o) => o.message))}${undecided}`, observations };
  if (errors.length > 0) return { status: 'error', message: `Cannot decide:${undecided}`, observations };
  return { status: 'pass', message: `All ${judged.length} containers ${passing}.`, observations };
}

/** The policy part, or the outcome to give instead (error when it is missing). */
function policyOf(facts: NodeFacts): { policy: EnvironmentPolicyFacts; name: string } | { outcome: CheckOutcome } {
  const part = requirePart(facts, 'environmentPolicy');
  if ('outcome' in part) return part;
  // The environment's name words the evidence; what decides is the policy configured for it.
  const name = labelField(part.data as unknown as ApiObject, 'environment');
  return { policy: part.data, name: typeof name === 'string' ? name : '(unnamed)' };
}

/** The image's RepoTags and RepoDigests, or why they can't be read. */
function imageReferences(facts: NodeFacts, imageId: string): { refs: string[] } | { error: string } {
  const engine = requirePart(facts, 'engine');
  if ('outcome' in engine) return { error: engine.outcome.message };
  const image = engine.data.images.find((i) => i.Id === imageId);
  if (image === undefined) return { error: `image ${imageId} is not among the engine's images` };
  const tags = readField(image, 'RepoTags');
  const digests = readField(image, 'RepoDigests');
  if (!Array.isArray(tags) || !Array.isArray(digests)) return { error: `image ${imageId} has no RepoTags or RepoDigests list in its inspection` };
  return { refs: [...tags, ...digests].filter((r): r is string => typeof r === 'string') };
}

function judgeRegistry(facts: NodeFacts, env: string, hosts: readonly string[], container: ContainerFacts): Judged {
  const expected = `an image from a registry of environment ${env}: ${hosts.join(', ')}`;
  const reference = readField(container.inspect, 'Config.Image');
  if (typeof reference !== 'string' || reference === '') return { container, error: 'its inspection has no Config.Image' };
  const parsed = IMAGE_ID.test(reference) ? undefined : parseImageReference(reference);
  if (parsed !== undefined) {
    const ok = hosts.includes(parsed.host.toLowerCase());
    return {
      container,
      observation: containerObservation(facts, container, {
        field: 'Config.Image', value: reference, expected, verdict: ok ? 'pass' : 'fail',
        message: `Container ${container.name} runs ${reference}, from registry ${parsed.host}${ok ? '' : `, not one of environment ${env} (${hosts.join(', ')})`}.`,
      }),
    };
  }
  // Created from an image id: where it came from is what the image's own references say.
  const imageId = readField(container.inspect, 'Image');
  if (typeof imageId !== 'string') return { container, error: `it was created from ${reference}, and its inspection has no Image id to trace it` };
  const refs = imageReferences(facts, imageId);
  if ('error' in refs) return { container, error: refs.error };
  const named = refs.refs.flatMap((r) => {
    const p = parseImageReference(r);
    return p === undefined ? [] : [{ ref: r, host: p.host.toLowerCase() }];
  });
  if (named.length === 0) return { container, error: `its image ${imageId} is known only by its digest (no RepoTags, no RepoDigests): the registry it came from can't be told` };
  const allowed = named.filter((n) => hosts.includes(n.host));
  return {
    container,
    observation: containerObservation(facts, container, {
      field: 'Image.RepoTags, Image.RepoDigests', value: named.map((n) => n.ref), expected, verdict: allowed.length > 0 ? 'pass' : 'fail',
      message: allowed.length > 0
        ? `Container ${container.name} runs image ${imageId}, which is ${allowed[0]!.ref} in registry ${allowed[0]!.host}.`
        : `Container ${container.name} runs image ${imageId}, known only as ${named.map((n) => n.ref).join(', ')}: no registry of environment ${env} (${hosts.join(', ')}).`,
    }),
  };
}

function evaluateRegistries(facts: NodeFacts): CheckOutcome {
  const got = policyOf(facts);
  if ('outcome' in got) return got.outcome;
  const { policy, name: env } = got;
  if (policy.registryHosts === null) {
    return { status: 'not-checked', message: `No registries are configured for environment ${env} (PLIMSOLL_SUPPLY_CHAIN_CONFIG): which registries its nodes may pull from is not known, so this rule needs manual review.`, observations: [] };
  }
  if (facts.containers.length === 0) return { status: 'not-applicable', message: 'The node has no containers, running or stopped, to check.', observations: [] };
  const hosts = policy.registryHosts.map((h) => h.toLowerCase());
  return aggregate(facts.containers.map((c) => judgeRegistry(facts, env, hosts, c)), `run images from outside environment ${env}'s registries`, `run images from environment ${env}'s registries (${hosts.join(', ')})`);
}

function judgeLabel(facts: NodeFacts, env: string, policy: EnvironmentPolicyFacts, collections: readonly string[], container: ContainerFacts): Judged {
  const field = `Config.Labels[${JSON.stringify(policy.accessLabelKey)}]`;
  const expected = `the label ${policy.accessLabelKey} naming a collection of environment ${env}: ${collections.join(', ')}`;
  const labels = readField(container.inspect, 'Config.Labels');
  if (labels !== null && (typeof labels !== 'object' || Array.isArray(labels))) return { container, error: 'its Config.Labels is not a map' };
  const value = labels === null ? null : ((labels as ApiObject)[policy.accessLabelKey] ?? null);
  const ok = typeof value === 'string' && collections.some((p) => collectionMatches(value, p));
  const message = ok
    ? `Container ${container.name} is in collection ${value as string}.`
    : value === null
      ? `Container ${container.name} carries no ${policy.accessLabelKey} label.`
      : `Container ${container.name} is in collection ${JSON.stringify(value)}, not one of environment ${env} (${collections.join(', ')}).`;
  return { container, observation: containerObservation(facts, container, { field, value, expected, verdict: ok ? 'pass' : 'fail', message }) };
}

function evaluateAccessLabels(facts: NodeFacts): CheckOutcome {
  const got = policyOf(facts);
  if ('outcome' in got) return got.outcome;
  const { policy, name: env } = got;
  if (!policy.production) {
    return { status: 'not-applicable', message: `Environment ${env} is not a production environment (${policy.productionEnvironments.join(', ')}; PLIMSOLL_PROD_ENVIRONMENTS).`, observations: [] };
  }
  if (policy.collections === null) {
    return { status: 'not-checked', message: `No collections are configured for production environment ${env} (collections in PLIMSOLL_SUPPLY_CHAIN_CONFIG): which collections belong to it is not known, so this rule needs manual review.`, observations: [] };
  }
  if (facts.containers.length === 0) return { status: 'not-applicable', message: 'The node has no containers, running or stopped, to check.', observations: [] };
  const collections = policy.collections;
  return aggregate(facts.containers.map((c) => judgeLabel(facts, env, policy, collections, c)), `lack an access label naming a collection of environment ${env}`, `carry ${policy.accessLabelKey} naming a collection of environment ${env}`);
}

export const ENVIRONMENT_CHECKS: readonly Check[] = [
  {
    stigId: 'PLM-ENV-001',
    title: "A node runs only images from its environment's registries",
    targetKinds: ['container'],
    facts: ['environmentPolicy', 'engine'],
    manualWhen: "no registries are configured for the node's environment (PLIMSOLL_SUPPLY_CHAIN_CONFIG)",
    evaluate: evaluateRegistries,
  },
  {
    stigId: 'PLM-ENV-002',
    title: "A production node's containers carry an access label naming a collection of its environment",
    targetKinds: ['container'],
    facts: ['environmentPolicy'],
    manualWhen: "no collections are configured for the node's production environment (PLIMSOLL_SUPPLY_CHAIN_CONFIG)",
    evaluate: evaluateAccessLabels,
  },
];
