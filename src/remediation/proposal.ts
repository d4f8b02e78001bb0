/**
 * A proposer's input checked: the settings a plan sets (in the ranges the engine and the STIG accept), the rules
 * it is limited to and the note. Every refusal is BAD_INPUT naming the value and the range.
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import {
  DEFAULT_CPU_SHARES,
  DEFAULT_RESTART_RETRIES,
  MIN_MEMORY_BYTES,
  parseMemory,
  type RemediationProposal,
  type RemediationSettings,
} from '../domain/remediation.js';
import { MAX_RESTART_RETRIES } from '../checks/containers/lifecycle-rules.js';

const STIG_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_NOTE = 4000;
/** The kernel's largest pid_max (2^22): a larger PIDs limit limits nothing. */
const MAX_PIDS = 4_194_304;
/** cgroup v1's cpu.shares range, which the engine maps to cgroup v2 weights. */
const CPU_SHARES_RANGE = [2, 262_144] as const;
/** The weight the STIG counts as "no CPU shares in place" (DKER-EE-002020). */
const DEFAULT_WEIGHT = 1024;
/** A memory limit above 1 TiB is a typo rather than a size from an SSP. */
const MAX_MEMORY_BYTES = 1024 ** 4;

function bad(message: string): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, message);
}

function integerIn(value: number | undefined, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) throw bad(`${what} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

/** The settings of a proposal, with defaults for CPU shares and the restart bound. */
export function settingsOf(p: RemediationProposal): RemediationSettings {
  let memoryBytes: number | undefined;
  if (p.memory !== undefined) {
    memoryBytes = parseMemory(p.memory);
    if (memoryBytes === undefined) throw bad(`memory must be a size like 256m, 1g or 536870912 (bytes), got ${JSON.stringify(p.memory.slice(0, 40))}`);
    if (memoryBytes < MIN_MEMORY_BYTES || memoryBytes > MAX_MEMORY_BYTES) throw bad(`memory must be from 6m (the engine's minimum) to 1024g, got ${p.memory}`);
  }
  const cpuShares = integerIn(p.cpuShares, 'cpuShares', CPU_SHARES_RANGE[0], CPU_SHARES_RANGE[1]) ?? DEFAULT_CPU_SHARES;
  if (cpuShares === DEFAULT_WEIGHT) throw bad(`cpuShares ${DEFAULT_WEIGHT} is the default weight, which DKER-EE-002020 counts as no CPU shares in place; choose another from the SSP`);
  const pidsLimit = integerIn(p.pidsLimit, 'pidsLimit', 1, MAX_PIDS);
  const restartMaxRetries = integerIn(p.restartMaxRetries, 'restartMaxRetries', 1, MAX_RESTART_RETRIES) ?? DEFAULT_RESTART_RETRIES;
  return { ...(memoryBytes !== undefined ? { memoryBytes } : {}), ...(pidsLimit !== undefined ? { pidsLimit } : {}), cpuShares, restartMaxRetries };
}

/** The rules a proposal is limited to: STIG ids, upper-cased, each once. */
export function rulesOf(p: RemediationProposal): string[] {
  const out: string[] = [];
  for (const raw of p.rules ?? []) {
    const r = raw.trim().toUpperCase();
    if (!STIG_ID.test(r)) throw bad(`a rule must be a STIG id such as DKER-EE-002010, got ${JSON.stringify(raw.slice(0, 100))}`);
    if (!out.includes(r)) out.push(r);
  }
  return out;
}

/** The proposer's note, trimmed; undefined when empty. */
export function noteOf(p: RemediationProposal): string | undefined {
  const note = (p.note ?? '').trim();
  if (note.length > MAX_NOTE) throw bad(`a note must be at most ${MAX_NOTE} characters`);
  return note === '' ? undefined : note;
}

/** A rejection reason: 1 to 4000 characters. */
export function reasonOf(reason: string): string {
  const r = (reason ?? '').trim();
  if (r === '' || r.length > MAX_NOTE) throw bad(`a rejection reason must be 1 to ${MAX_NOTE} characters`);
  return r;
}
