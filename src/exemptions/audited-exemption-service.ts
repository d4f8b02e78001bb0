/**
 * Audit of exemption decisions for transports without their own (the CLI), like auth/audited-services.ts
 * does for the other services: each request, approval, rejection and revocation leaves one record, refusals
 * (separation of duties included) as failures. GraphQL audits its mutations itself and uses the service as is.
 */
import { audited } from '../auth/audited.js';
import type { AuditService, ExemptionService } from '../domain/services.js';

/** The service with its mutating calls audited. */
export function withExemptionAudit(exemptions: ExemptionService, audit: AuditService): ExemptionService {
  return {
    request: (input, actor) =>
      audited(audit, actor, 'requestExemption', JSON.stringify({ name: input.name, rule: input.rule, container: input.container, labels: input.labels, node: input.node, expiresAt: input.expiresAt }), () =>
        exemptions.request(input, actor),
      ),
    approve: (id, actor) => audited(audit, actor, 'approveExemption', JSON.stringify({ id }), () => exemptions.approve(id, actor)),
    reject: (id, reason, actor) => audited(audit, actor, 'rejectExemption', JSON.stringify({ id, reason }), () => exemptions.reject(id, reason, actor)),
    revoke: (id, actor, reason) => audited(audit, actor, 'revokeExemption', JSON.stringify({ id, reason }), () => exemptions.revoke(id, actor, reason)),
    list: (filter) => exemptions.list(filter),
    page: (filter, page) => exemptions.page(filter, page),
    get: (id) => exemptions.get(id),
    listApproved: () => exemptions.listApproved(),
  };
}
