import type { Principal } from '../domain/auth.js';
import { isPlimsollError } from '../domain/errors.js';
import type { AuditService } from '../domain/services.js';

/** Runs `call` and records its outcome (failures with their error code) as one audit record. */
export async function audited<T>(audit: AuditService, actor: Principal, action: string, target: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    await audit.record({ actor: actor.name, role: actor.role, action, ...(target !== undefined ? { target } : {}), outcome: 'success' });
    return result;
  } catch (e) {
    const detail = isPlimsollError(e) ? `${e.code}: ${e.message}` : 'INTERNAL';
    await audit.record({ actor: actor.name, role: actor.role, action, ...(target !== undefined ? { target } : {}), outcome: 'failure', detail: detail.slice(0, 1000) });
    throw e;
  }
}
