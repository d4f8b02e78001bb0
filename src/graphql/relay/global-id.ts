/**
 * Opaque global ids for the Node interface: base64url of `["Type", key…]`. Clients must not parse them;
 * the server decodes them to the type and the domain key (one or two parts, e.g. a document id and a
 * control id) and refuses a malformed id, or one of another type, with BAD_INPUT.
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** Every GraphQL type that implements Node. */
export const NODE_TYPES = ['Assessment', 'Rule', 'Benchmark', 'Catalog', 'Profile', 'CciList', 'Baseline', 'Control', 'Exemption', 'DockerNode', 'ApiToken', 'User', 'TargetResult', 'AssessedNode', 'DriftReport', 'ReferenceRun', 'Schedule', 'ScheduleJob', 'Webhook', 'WebhookDelivery', 'RemediationPlan', 'ManualReview', 'Registry', 'TrustServer'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** The global id of the entity of `type` with this domain key. */
export function toGlobalId(type: NodeTypeName, ...key: string[]): string {
  return Buffer.from(JSON.stringify([type, ...key]), 'utf8').toString('base64url');
}

/** The type and domain key of a global id; BAD_INPUT when it is not one this server issued. */
export function fromGlobalId(id: string): { type: NodeTypeName; key: string[] } {
  const bad = (): PlimsollError => new PlimsollError(ErrorCode.BAD_INPUT, `"${id.slice(0, 60)}" is not a Plimsoll id: pass the \`id\` field of an object the API returned`);
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parts) || parts.length < 2 || !parts.every((p) => typeof p === 'string')) throw bad();
  const [type, ...key] = parts as string[];
  if (!(NODE_TYPES as readonly string[]).includes(type!)) throw bad();
  return { type: type as NodeTypeName, key };
}

/** The domain key of a global id that must be of `type` (BAD_INPUT otherwise). */
export function keyOf(id: string, type: NodeTypeName): string[] {
  const decoded = fromGlobalId(id);
  if (decoded.type !== type) throw new PlimsollError(ErrorCode.BAD_INPUT, `the id given is a ${decoded.type} id; a ${type} id is needed here`);
  return decoded.key;
}
