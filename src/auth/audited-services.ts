/**
 * Audit for transports without their own (the CLI): wraps the mutating service calls so each leaves one
 * audit record (who, what, when, outcome). GraphQL records its mutations itself (refusals included), so
 * it uses the services unwrapped.
 */
import type { AppServices } from '../domain/services.js';
import { audited } from './audited.js';
import { withExemptionAudit } from '../exemptions/audited-exemption-service.js';

export function withAudit(services: AppServices): AppServices {
  const { audit, imports, nodes, nodeAssets, assessments, auth, exemptions } = services;
  return {
    ...services,
    exemptions: withExemptionAudit(exemptions, audit),
    imports: {
      importFiles: (paths, actor, options) => audited(audit, actor, 'importDocuments', JSON.stringify({ paths }), () => imports.importFiles(paths, actor, options)),
    },
    nodes: {
      ...bind(nodes),
      register: (input, actor) => audited(audit, actor, 'registerNode', JSON.stringify({ name: input.name, endpoint: input.endpoint }), () => nodes.register(input, actor)),
      remove: (ref, actor) => audited(audit, actor, 'removeNode', JSON.stringify({ ref }), () => nodes.remove(ref, actor)),
    },
    nodeAssets: {
      ...bind(nodeAssets),
      set: (ref, input, actor) => audited(audit, actor, 'setNodeAsset', JSON.stringify({ ref, ...input }), () => nodeAssets.set(ref, input, actor)),
    },
    assessments: {
      ...bind(assessments),
      run: (request, actor) => audited(audit, actor, 'runAssessment', JSON.stringify({ nodes: request.nodes, benchmark: request.benchmark, profileId: request.profileId }), () => assessments.run(request, actor)),
    },
    auth: {
      ...bind(auth),
      createToken: (name, role, actor) => audited(audit, actor, 'createApiToken', JSON.stringify({ name, role }), () => auth.createToken(name, role, actor)),
      revokeToken: (id, actor) => audited(audit, actor, 'revokeApiToken', JSON.stringify({ id }), () => auth.revokeToken(id, actor)),
    },
  };
}

/** The object's methods bound to it, so they can be spread into a wrapper (class methods live on the prototype). */
function bind<T extends object>(service: T): T {
  const out: Record<string, unknown> = {};
  let proto: object | null = service;
  while (proto !== null && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const value = (service as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof value === 'function' && !(key in out)) out[key] = (value as (...a: unknown[]) => unknown).bind(service);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out as T;
}
