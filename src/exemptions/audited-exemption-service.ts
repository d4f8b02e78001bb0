/**
 * Audit of exemption decisions for transports without their own (the CLI), like auth/audited-services.ts
 * does for the other services: each request, approval, rejection and revocation leaves one record, refusals
 * (separation of duties included) as failures. GraphQL audits its mutations itself and uses the service as is.
 */
import type { Principal } from '../domain/auth.js';
import { isPlimsollError } from '../domain/errors.js';
import type { AuditService, ExemptionService } from '../domain/services.js';

/** The service with its mutating calls audited. */
export function withExemptionAudit(exemptions: ExemptionService, audit: AuditService): ExemptionService {
  async function audited<T>(actor: Principal, action: string, target: string, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      await audit.record({ actor: actor.name, role: actor.role, action, target, outcome: 'success' });
      return result;
    } catch (e) {
      const detail = isPlimsollError(e) ? `${e.code}: ${e.message}` : 'INTERNAL';
      await audit.record({ actor: actor.name, role: actor.role, action, target, outcome: 'failure', detail: detail.slice(0, 1000) });
      throw e;
    }
  }
  return {
    request: (input, actor) =>
      audited(actor, 'requestExemption', JSON.stringify({ name: input.name, rule: input.rule, container: input.container, labels: input.labels, node: input.node, expiresAt: input.expiresAt }), () =>
        exemptions.request(input, actor),
      ),
    approve: (id, actor) => audited(actor, 'approveExemption', JSON.stringify({ id }), () => exemptions.approve(id, actor)),
    reject: (id, reason, actor) => audited(actor, 'rejectExemption', JSON.stringify({ id, reason }), () => exemptions.reject(id, reason, actor)),
    revoke: (id, actor, reason) => audited(actor, 'revokeExemption', JSON.stringify({ id, reason }), () => exemptions.revoke(id, actor, reason)),
    list: (filter) => exemptions.list(filter),
    get: (id) => exemptions.get(id),
    listApproved: () => exemptions.listApproved(),
  };
}
