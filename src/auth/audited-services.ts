/**
 * Audit for transports without their own (the CLI): wraps the mutating service calls so each leaves one
 * audit record (who, what, when, outcome). GraphQL records its mutations itself (refusals included), so
 * it uses the services unwrapped.
 */
import type { AppServices } from '../domain/services.js';
import { type ContentInput, isUploadRef } from '../domain/content-input.js';
import { audited } from './audited.js';
import { withExemptionAudit } from '../exemptions/audited-exemption-service.js';

export function withAudit(services: AppServices): AppServices {
  const { audit, imports, nodes, assessments, auth, exemptions } = services;
  return {
    ...services,
    exemptions: withExemptionAudit(exemptions, audit),
    imports: {
      importDocuments: (inputs, actor, options) => audited(audit, actor, 'importDocuments', JSON.stringify({ documents: inputs.map(contentLabel) }), () => imports.importDocuments(inputs, actor, options)),
    },
    nodes: overriding(nodes, {
      register: (input, actor) => audited(audit, actor, 'registerNode', JSON.stringify({ name: input.name, endpoint: input.endpoint }), () => nodes.register(input, actor)),
      remove: (ref, actor) => audited(audit, actor, 'removeNode', JSON.stringify({ ref }), () => nodes.remove(ref, actor)),
    }),
    assessments: overriding(assessments, {
      run: (request, actor) =>
        audited(audit, actor, 'runAssessment', JSON.stringify({ nodes: request.nodes, benchmark: typeof request.benchmark === 'string' ? request.benchmark : contentLabel(request.benchmark), profileId: request.profileId }), () => assessments.run(request, actor)),
    }),
    auth: overriding(auth, {
      createToken: (name, role, actor) => audited(audit, actor, 'createApiToken', JSON.stringify({ name, role }), () => auth.createToken(name, role, actor)),
      revokeToken: (id, actor) => audited(audit, actor, 'revokeApiToken', JSON.stringify({ id }), () => auth.revokeToken(id, actor)),
    }),
  };
}

/** How an audit record names content: the upload id, or the name it was given under (never its bytes). */
function contentLabel(input: ContentInput): string {
  return isUploadRef(input) ? `upload:${input.uploadId}` : input.name;
}

/**
 * The service with some methods replaced; every other member is the service's own, called on the service.
 * A Proxy rather than a copy of the methods: services built on first use (main.ts `deferred`) are Proxies
 * whose methods cannot be listed.
 */
function overriding<T extends object>(service: T, overrides: Partial<T>): T {
  return new Proxy(service, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return (overrides as Record<PropertyKey, unknown>)[prop];
      const member = Reflect.get(target, prop, target) as unknown;
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(target) : member;
    },
  });
}
