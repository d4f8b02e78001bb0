/**
 * PLM-SEC-004 and PLM-SEC-005: the swarm's secrets management. Services must take their secrets from swarm
 * secrets (encrypted in the Raft log, mounted in memory under /run/secrets, given only to the services granted
 * them), not from environment values in the service spec, which every manager stores and shows in plain text
 * (`docker service inspect`). Swarm secrets must be rotated: a secret's data can't change once created (only its
 * labels can, which moves UpdatedAt), so rotation is a new secret, and its age is counted from CreatedAt.
 * Services and secrets are read on a manager; on a worker the rules are not applicable (assessed on the managers),
 * outside a swarm too; a locked manager can't list them (error).
 */
import type { ApiObject, NodeFacts } from '../../domain/facts.js';
import type { EnvClassification } from '../../domain/env-redaction.js';
import type { TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';
import { hasField, labelField, readField } from '../evidence.js';
import { engineCheck, show, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { swarmRole, swarmTarget, workerJudgement } from '../swarm/swarm-state.js';
import { findingsByLocation, judgeEnv, listed as listNames, storedVariables, unscreened } from './secret-evidence.js';

const CONTAINER_SPEC = 'Spec.TaskTemplate.ContainerSpec';
const DAY_MS = 86_400_000;
/** A secret created this far after the facts were collected shows clocks that disagree: its age can't be told. */
const CLOCK_SKEW_MS = DAY_MS;

/** A swarm object (service, secret) as an observation target: its id, named by its Spec.Name. */
function swarmObjectTarget(kind: 'service' | 'secret', object: ApiObject): TargetRef {
  const id = labelField(object, 'ID');
  const name = labelField(object, 'Spec.Name');
  const idText = typeof id === 'string' ? id : '';
  return { kind, id: idText, name: typeof name === 'string' && name !== '' ? name : idText.slice(0, 12) };
}

/**
 * A manager's listing of services or secrets, or the decision for any other role and for an empty listing
 * (not applicable, with the listing as evidence).
 */
function managerListing(facts: NodeFacts, listing: 'services' | 'secrets'): { items: ApiObject[] } | { decision: EngineDecision } {
  const role = swarmRole(facts);
  if ('decision' in role) return role;
  switch (role.role) {
    case 'worker':
      return {
        decision: {
          notApplicable: `${facts.nodeName} is a swarm worker: ${listing} are read on the swarm's managers, where the rule is assessed.`,
          judgements: [workerJudgement(facts, `The node is a worker: only managers list the swarm's ${listing}.`)],
        },
      };
    case 'locked':
      return { decision: { invalid: `${facts.nodeName} is a locked swarm manager: its ${listing} can't be read until it is unlocked (docker swarm unlock)` } };
    case 'manager': {
      const items = role.data[listing];
      if (items.length > 0) return { items };
      const noun = listing === 'services' ? 'service' : 'secret';
      return {
        decision: {
          notApplicable: `The swarm holds no ${noun}.`,
          judgements: [{ target: swarmTarget(role.swarm), field: listing, value: 0, verdict: 'pass', message: `GET /${listing} lists no ${noun}.` }],
        },
      };
    }
  }
}

/** PLM-SEC-004: services' `ContainerSpec.Env` holds no secret value; their secrets are swarm secrets. */
export const SERVICE_SECRETS_FROM_SWARM: Check = engineCheck({
  stigId: 'PLM-SEC-004',
  title: 'Swarm services must take secrets from swarm secrets, not from environment values.',
  targetKinds: ['service', 'swarm'],
  expected: 'no secret value in a service spec environment (Spec.TaskTemplate.ContainerSpec.Env); secrets are swarm secrets granted to the service (--secret), read from /run/secrets',
  judge(facts): EngineDecision {
    const listed = managerListing(facts, 'services');
    if ('decision' in listed) return listed.decision;
    const why = unscreened(facts);
    if (why !== undefined) return why;
    const services = listed.items;
    const findings = findingsByLocation(facts);
    const judgements: EngineJudgement[] = [];
    for (const [i, service] of services.entries()) {
      const target = swarmObjectTarget('service', service);
      if (!hasField(service, CONTAINER_SPEC)) return { invalid: `service ${target.name} has no ${CONTAINER_SPEC} (a plugin or malformed service spec)` };
      const spec = readField(service, CONTAINER_SPEC);
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { invalid: `service ${target.name}'s ${CONTAINER_SPEC} is not an object` };
      // The engine leaves out an empty Env (omitempty): absent is no variable.
      const variables = Object.prototype.hasOwnProperty.call(spec, 'Env') ? storedVariables(spec as ApiObject, 'Env', `service ${target.name}`) : [];
      if ('invalid' in variables) return variables;
      const judged = judgeEnv(target, `${CONTAINER_SPEC}.Env`, variables, findings, (k) => `swarm/services/${i}/Spec/TaskTemplate/ContainerSpec/Env/${k}`, `Service ${target.name}`);
      judgements.push(...judged.map((j) => (j.verdict === 'pass' ? withSecrets(j, spec as ApiObject) : { ...j, message: `${j.message} Grant it as a swarm secret (docker secret create; docker service update --secret-add) instead.` })));
      const previous = previousSpecFindings(service, i, target, findings);
      if ('invalid' in previous) return previous;
      judgements.push(...previous);
    }
    return { judgements };
  },
});

const PREVIOUS_ENV = 'PreviousSpec.TaskTemplate.ContainerSpec.Env';

/**
 * The secrets in a service's previous spec: after `docker service update --env-rm`, the manager keeps the old spec
 * (for `docker service rollback`) and shows it in `docker service inspect` until the next update. Only failing
 * judgements: the previous spec is absent after a service's first version (omitted when empty).
 */
function previousSpecFindings(service: ApiObject, i: number, target: TargetRef, findings: ReadonlyMap<string, EnvClassification[]>): EngineJudgement[] | { invalid: string } {
  if (!hasField(service, PREVIOUS_ENV)) return [];
  const variables = storedVariables(service, PREVIOUS_ENV, `service ${target.name}`);
  if ('invalid' in variables) return variables;
  return judgeEnv(target, PREVIOUS_ENV, variables, findings, (k) => `swarm/services/${i}/PreviousSpec/TaskTemplate/ContainerSpec/Env/${k}`, `The previous spec of service ${target.name}`)
    .filter((j) => j.verdict === 'fail')
    .map((j) => ({ ...j, message: `${j.message} The manager keeps it for rollback and shows it in docker service inspect: update the service once more and rotate the credential.` }));
}

/** A passing judgement, worded with the swarm secrets the service is granted (naming only: they decide nothing). */
function withSecrets(j: EngineJudgement, spec: ApiObject): EngineJudgement {
  const granted = labelField(spec, 'Secrets');
  const names = Array.isArray(granted) ? granted.map((s) => (typeof s === 'object' && s !== null ? String((s as ApiObject).SecretName ?? '') : '')).filter((s) => s !== '') : [];
  const from = names.length > 0 ? ` It takes ${names.length} swarm secret(s): ${listNames(names)}.` : ' It is granted no swarm secret.';
  return { ...j, message: `${j.message}${from}` };
}

/** PLM-SEC-005: every swarm secret is younger than the configured maximum age. */
export const SWARM_SECRET_ROTATION: Check = engineCheck({
  stigId: 'PLM-SEC-005',
  title: 'Swarm secrets must be younger than the configured maximum age.',
  targetKinds: ['secret', 'swarm'],
  expected: 'every swarm secret was created within the maximum age (PLIMSOLL_SECRET_MAX_AGE_DAYS) before the facts were collected',
  judge(facts): EngineDecision {
    const listed = managerListing(facts, 'secrets');
    if ('decision' in listed) return listed.decision;
    const maxAgeDays = facts.secretPolicy?.maxAgeDays;
    if (typeof maxAgeDays !== 'number' || !(maxAgeDays > 0)) return { invalid: `no maximum secret age was recorded with the facts of ${facts.nodeName} (PLIMSOLL_SECRET_MAX_AGE_DAYS)` };
    const secrets = listed.items;
    const collected = Date.parse(facts.collectedAt);
    const judgements: EngineJudgement[] = [];
    for (const secret of secrets) {
      const target = swarmObjectTarget('secret', secret);
      const createdAt = readField(secret, 'CreatedAt');
      const created = typeof createdAt === 'string' ? Date.parse(createdAt) : NaN;
      if (Number.isNaN(created)) return { invalid: `secret ${target.name} has CreatedAt ${show(createdAt)}: expected a timestamp` };
      if (created - collected > CLOCK_SKEW_MS) return { invalid: `secret ${target.name} was created at ${createdAt}, after the facts were collected (${facts.collectedAt}): the clocks disagree` };
      const ageDays = Math.max(0, Math.floor((collected - created) / DAY_MS));
      const ok = collected - created <= maxAgeDays * DAY_MS;
      judgements.push({
        target,
        field: 'CreatedAt',
        value: { createdAt, updatedAt: labelField(secret, 'UpdatedAt'), ageDays, maxAgeDays },
        verdict: ok ? 'pass' : 'fail',
        message: ok
          ? `Secret ${target.name} is ${ageDays} day(s) old, within the ${maxAgeDays} allowed.`
          : `Secret ${target.name} is ${ageDays} day(s) old, more than the ${maxAgeDays} allowed: rotate it (create a new secret and move the services to it with docker service update --secret-rm/--secret-add).`,
      });
    }
    return { judgements };
  },
});
