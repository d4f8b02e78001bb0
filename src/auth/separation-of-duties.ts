/**
 * The separation-of-duties check as workflows call it: loads the decider's creator chain and applies the
 * domain rule (src/domain/separation-of-duties.ts), refusing with FORBIDDEN_SEPARATION_OF_DUTIES. Exemption
 * approval uses it now; review attestations and remediation plans are meant to use the same.
 */
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { type Proposer, separationOfDutiesViolation } from '../domain/separation-of-duties.js';

/** Where the users who created a user come from (UserRepository.creatorChain). */
export interface CreatorChains {
  creatorChain(userId: string): Promise<readonly { id: string; name: string }[]>;
}

export class SeparationOfDuties {
  constructor(private readonly users: CreatorChains) {}

  /** Throws FORBIDDEN_SEPARATION_OF_DUTIES when `decider` may not decide `what`, which `proposer` proposed. */
  async assertIndependent(proposer: Proposer, decider: Principal, what: string): Promise<void> {
    const creators = (await this.users.creatorChain(decider.userId)).map((u) => ({ userId: u.id, name: u.name }));
    const violation = separationOfDutiesViolation(proposer, { userId: decider.userId, name: decider.name, kind: decider.kind, creators });
    if (violation !== undefined) {
      throw new PlimsollError(ErrorCode.FORBIDDEN_SEPARATION_OF_DUTIES, `${decider.name} may not decide ${what}: ${violation}; another person must`);
    }
  }
}
