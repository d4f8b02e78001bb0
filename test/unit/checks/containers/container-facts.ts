/**
 * Builders for the containers rules' unit tests: containers from the recorded hardened inspection (a real
 * 20.10 answer) with fields replaced, node facts with an /info and an engine part, and one rule's outcome.
 */
import { checkFor } from '../../../../src/checks/registry.js';
import type { ApiObject, Collected, ContainerFacts, EngineInventory, NodeFacts } from '../../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../../src/domain/results.js';
import { nodeFacts, variant } from '../facts-helpers.js';

export { COLLECTED_AT } from '../facts-helpers.js';

/** Sets a dotted path of a cloned object (undefined deletes the field). */
function set(obj: ApiObject, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = obj;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    current[key] = typeof next === 'object' && next !== null ? { ...(next as ApiObject) } : {};
    current = current[key] as ApiObject;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete current[last];
  else current[last] = value;
}

/** A container from the recorded hardened inspection with dotted paths replaced (`HostConfig.CpuShares`, `State.Running`). */
export function container(name: string, fields: Record<string, unknown> = {}, image = 'plimsoll/busybox:test'): ContainerFacts {
  const base = variant(name, {}, {}, image);
  const inspect = structuredClone(base.inspect);
  for (const [path, value] of Object.entries(fields)) set(inspect, path, value);
  return { ...base, inspect };
}

export interface FactsOptions {
  info?: ApiObject;
  engine?: Collected<EngineInventory>;
}

export function facts(containers: ContainerFacts[], options: FactsOptions = {}): NodeFacts {
  return { ...nodeFacts(containers), ...(options.info ? { info: options.info } : {}), ...(options.engine ? { engine: options.engine } : {}) };
}

/** A collected engine part with the given processes and exec sessions (null: none collected, as in older facts). */
export function engine(processes: Record<string, ApiObject> = {}, execs: Record<string, ApiObject[]> | null = {}): Collected<EngineInventory> {
  return { status: 'collected', data: { images: [], networks: [], volumes: [], plugins: [], processes, ...(execs === null ? {} : { execs }) } };
}

/** Evaluates the rule with this STIG id. */
export function evaluate(stigId: string, nodeFacts: NodeFacts): CheckOutcome {
  const check = checkFor(stigId);
  if (check === undefined) throw new Error(`no check ${stigId}`);
  return check.evaluate(nodeFacts);
}

/** The verdicts of the container observations, by container name. */
export function verdicts(outcome: CheckOutcome): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const o of outcome.observations) if (o.target.kind === 'container') (out[o.target.name] ??= []).push(o.verdict);
  return out;
}

/** The status of the rule on one container. */
export function statusOf(stigId: string, c: ContainerFacts, options: FactsOptions = {}): string {
  return evaluate(stigId, facts([c], options)).status;
}
