/**
 * Separation of duties, written once for every workflow where one person proposes and another decides
 * (exemptions now; review attestations and remediation plans next). The decider must be:
 *
 * - a different user from the proposer: compared by user id and by user name case-insensitively (names are
 *   unique that way, and records made before users existed carry a name only);
 * - not a user the proposer created, directly or through users they created (an admin who mints an account
 *   for a second identity does not get a second pair of eyes);
 * - a person: Plimsoll's own system user never decides.
 */
import { userNameKey, type UserKind } from './auth.js';

/** Who proposed: a user id when known (records older than users carry a name only). */
export interface Proposer {
  userId?: string;
  name: string;
}

/** Who would decide, with the users who created them, nearest first (their creator, its creator, …). */
export interface Decider {
  userId: string;
  name: string;
  kind: UserKind;
  creators: readonly { userId: string; name: string }[];
}

/** True when both name the same user: equal ids, or names equal case-insensitively. */
export function sameUser(a: { userId?: string; name: string }, b: { userId?: string; name: string }): boolean {
  if (a.userId !== undefined && b.userId !== undefined && a.userId === b.userId) return true;
  return userNameKey(a.name) === userNameKey(b.name);
}

/** Why `decider` may not decide what `proposer` proposed, or undefined when they may. */
export function separationOfDutiesViolation(proposer: Proposer, decider: Decider): string | undefined {
  if (decider.kind !== 'person') return `${decider.name} is not a person`;
  if (sameUser(proposer, decider)) return `${decider.name} is the same user as the requester ${proposer.name}`;
  const index = decider.creators.findIndex((c) => sameUser(proposer, c));
  if (index >= 0) {
    const chain = [decider.name, ...decider.creators.slice(0, index + 1).map((c) => c.name)].join(' ← created by ');
    return `${decider.name} was created by the requester ${proposer.name} (${chain})`;
  }
  return undefined;
}
