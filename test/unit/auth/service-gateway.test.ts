/**
 * The service gateway over strict fakes: every method of every service, called by every kind of caller,
 * passes the policy table (roles, anonymous, system-only), gets the caller in its Principal slot, and leaves
 * exactly one audit record when audited, refusals included. A refused call never reaches the service.
 */
import { describe, expect, it } from 'vitest';
import { ServiceGateway, summarizeTarget } from '../../../src/auth/service-gateway.js';
import { POLICIES } from '../../../src/auth/service-policy.js';
import type { AuditEntry, Caller, Principal } from '../../../src/domain/auth.js';
import { ErrorCode, isPlimsollError } from '../../../src/domain/errors.js';
import type { AppServices } from '../../../src/domain/services.js';
import { tokenPrincipal } from '../../fixtures/principals.js';

interface Call {
  service: string;
  method: string;
  args: unknown[];
}

/** Services whose every method records its call; only methods named in the policy table exist. */
function strictServices(calls: Call[]): AppServices {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [service, methods] of Object.entries(POLICIES)) {
    out[service] = {};
    for (const [method, policy] of Object.entries(methods as Record<string, { sync?: true }>)) {
      out[service]![method] = (...args: unknown[]) => {
        calls.push({ service, method, args });
        return policy.sync ? [] : Promise.resolve('done');
      };
    }
  }
  return out as unknown as AppServices;
}

function setup(): { gateway: ServiceGateway; calls: Call[]; records: AuditEntry[] } {
  const calls: Call[] = [];
  const records: AuditEntry[] = [];
  const gateway = new ServiceGateway({
    services: strictServices(calls),
    audit: { record: async (e) => (records.push(e), { ...e, id: records.length, at: 'now', prevHash: '', hash: '' }) },
    authenticator: { bearer: async () => ({ anonymous: true, reason: 'r' }), local: async () => ({ anonymous: true, reason: 'r' }), system: async () => SYSTEM, scheduleOwner: async () => ({ anonymous: true, reason: 'r' }) },
  });
  return { gateway, calls, records };
}

const ADMIN = tokenPrincipal('carol', 'admin');
const ASSESSOR = tokenPrincipal('alice', 'assessor');
const AUDITOR = tokenPrincipal('bob', 'auditor');
const SYSTEM: Principal = { userId: 'u-system', name: 'plimsoll-system', role: 'admin', kind: 'system', via: 'system' };
const ANONYMOUS: Caller = { anonymous: true, reason: 'unknown API token' };

type Entry = [service: string, method: string, policy: { allow: 'anyone' | 'system' | readonly string[]; actor?: number; sync?: true; audit?: { action: string } }];
const ENTRIES: Entry[] = Object.entries(POLICIES).flatMap(([s, methods]) => Object.entries(methods as Record<string, Entry[2]>).map(([m, p]): Entry => [s, m, p]));

/** Arguments for a method (strings; the actor slot left out, as a transport calls it). */
const argsFor = (p: Entry[2]): unknown[] => ['a1', 'a2', 'a3'].slice(0, p.actor !== undefined ? Math.max(p.actor, 1) : 1);

async function outcome(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    return isPlimsollError(e) ? e.code : `unexpected ${String(e)}`;
  }
}

function allowed(p: Entry[2], caller: Caller): boolean {
  if ('anonymous' in caller) return false;
  if (p.allow === 'anyone') return true;
  if (p.allow === 'system') return caller.kind === 'system';
  return p.allow.includes(caller.role);
}

describe('the service gateway', () => {
  it('covers many methods (the table is typed against AppServices, so none can be missing)', () => {
    expect(ENTRIES.length).toBeGreaterThan(50);
    expect(ENTRIES.filter(([, , p]) => p.audit !== undefined).map(([, , p]) => p.audit!.action)).toEqual(
      expect.arrayContaining(['importDocuments', 'registerDockerNode', 'removeDockerNode', 'runAssessment', 'createUser', 'createApiToken', 'revokeApiToken', 'requestExemption', 'approveExemption', 'rejectExemption', 'revokeExemption', 'convertDocument']),
    );
  });

  for (const caller of [ADMIN, ASSESSOR, AUDITOR, SYSTEM, ANONYMOUS]) {
    const who = 'anonymous' in caller ? 'anonymous' : `${caller.name} (${caller.role})`;
    it(`applies the policy of every method to ${who}`, async () => {
      for (const [service, method, policy] of ENTRIES) {
        const { gateway, calls, records } = setup();
        const bound = gateway.servicesFor(caller) as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
        const args = argsFor(policy);
        const result = await outcome(() => bound[service]![method]!(...args));
        const name = `${service}.${method}`;
        if (allowed(policy, caller)) {
          expect(result, name).toBe('ok');
          expect(calls, name).toHaveLength(1);
          // The caller sits in the Principal slot; the transport's arguments around it.
          const expected = policy.actor === undefined ? args : [...args.slice(0, policy.actor), caller, ...args.slice(policy.actor)];
          expect(calls[0]!.args, name).toEqual(expected);
        } else {
          expect(result, name).toBe('anonymous' in caller ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN);
          expect(calls, `${name} must not reach the service`).toHaveLength(0);
        }
        if (policy.audit !== undefined) {
          expect(records, name).toHaveLength(1);
          expect(records[0], name).toMatchObject({ action: policy.audit.action, outcome: result === 'ok' ? 'success' : 'failure', actor: 'anonymous' in caller ? 'anonymous' : caller.name });
          if (result !== 'ok') expect(records[0]!.detail, name).toMatch(new RegExp(`^${result}: `));
        } else {
          expect(records, name).toHaveLength(0);
        }
      }
    });
  }

  it('records failures of the service itself with the code, and INTERNAL for unexpected errors', async () => {
    const { gateway, records } = setup();
    const raw = (gateway as unknown as { deps: { services: AppServices } }).deps.services;
    (raw.nodes as unknown as Record<string, unknown>).remove = async () => {
      throw new Error('disk on fire at /secret/path');
    };
    await expect(gateway.servicesFor(ADMIN).nodes.remove('n1')).rejects.toThrow('disk on fire');
    expect(records).toEqual([{ actor: 'carol', actorUserId: 'u-carol', role: 'admin', via: 'token', action: 'removeDockerNode', target: '{"ref":"n1"}', outcome: 'failure', detail: 'INTERNAL' }]);
  });

  it('tells an observer about each record it writes', async () => {
    const { gateway } = setup();
    let seen = 0;
    const bound = gateway.servicesFor(ASSESSOR, () => (seen += 1));
    await bound.nodes.remove('n1');
    await bound.nodes.list();
    await bound.exemptions.approve('e1').catch(() => undefined);
    expect(seen).toBe(2);
  });
});

describe('summarizeTarget', () => {
  it('keeps targets short and never records secrets', () => {
    expect(summarizeTarget(undefined)).toBeUndefined();
    expect(summarizeTarget({ role: 'assessor', name: 'ci' })).toBe('{"name":"ci","role":"assessor"}');
    expect(summarizeTarget({ input: { secret: 'plm_abc', password: 'x', apiToken: 'y', keyPem: 'z', key: 'k' } })).toBe('{"input":{"apiToken":"[redacted]","key":"[redacted]","keyPem":"[redacted]","password":"[redacted]","secret":"[redacted]"}}');
    const long = summarizeTarget({ paths: Array.from({ length: 100 }, (_, i) => `/data/file-${i}.xml`) })!;
    expect(long.length).toBe(500);
    expect(long.endsWith('…')).toBe(true);
  });
});
