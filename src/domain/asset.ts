/**
 * A node's asset facts, as checklists (CKL ASSET, CKLB target_data) and OSCAL inventory items describe a host:
 * host name, FQDN, IP and MAC addresses, operating system and role. Each value says where it came from (the
 * engine's `/info`, the host's files, the endpoint, or an assessor) so an assessor can tell what was measured
 * from what was typed. Collected values are replaced by each collection; an assessor's override wins over them
 * and survives later collections until it is cleared.
 */

export type AssetSource = 'engine' | 'host' | 'endpoint' | 'assessor';

/** One asset value and its provenance. */
export interface AssetValue<T> {
  value: T;
  source: AssetSource;
  /** Where exactly: `GET /info Name`, `/etc/hosts`, `tcp endpoint host`, or the assessor's note. */
  detail: string;
  recordedAt: string;
  /** The assessor, for overrides. */
  recordedBy?: string;
}

export interface AssetFacts {
  hostName?: AssetValue<string>;
  fqdn?: AssetValue<string>;
  ipAddresses?: AssetValue<string[]>;
  macAddresses?: AssetValue<string[]>;
  /** Operating system, kernel and architecture. */
  os?: AssetValue<string>;
  /** The node's role (swarm manager, swarm worker, standalone engine), or what an assessor sets (e.g. Member Server). */
  role?: AssetValue<string>;
  /**
   * Collected facts only: the host files the collection could not read (anything but "no such file"), with the
   * cause. A value such a file would give is missing because it is unknown, not because the host has none.
   */
  unreadable?: AssetReadError[];
}

/** A host file the asset step could not read, and why. */
export interface AssetReadError {
  /** The host path, with how it was read (host root or helper container). */
  path: string;
  error: string;
}

export const ASSET_FIELDS = ['hostName', 'fqdn', 'ipAddresses', 'macAddresses', 'os', 'role'] as const;
export type AssetField = (typeof ASSET_FIELDS)[number];
export const LIST_ASSET_FIELDS: ReadonlySet<AssetField> = new Set<AssetField>(['ipAddresses', 'macAddresses']);

/** A node's asset facts: collected, overridden, and the effective view (override, else collected, per field). */
export interface NodeAsset {
  nodeId: string;
  collected: AssetFacts;
  collectedAt?: string;
  overrides: AssetFacts;
  effective: AssetFacts;
}

/**
 * An assessor's change: a value sets the override of that field, `null` clears it (the collected value shows
 * again); absent fields keep their override.
 */
export interface AssetOverrideInput {
  hostName?: string | null;
  fqdn?: string | null;
  ipAddresses?: string[] | null;
  macAddresses?: string[] | null;
  os?: string | null;
  role?: string | null;
  /** Why (kept as the values' detail). */
  note?: string;
}

/** Per field: the override when there is one, else the collected value; the collection's read errors stay. */
export function effectiveAsset(collected: AssetFacts, overrides: AssetFacts): AssetFacts {
  const out: AssetFacts = {};
  for (const field of ASSET_FIELDS) {
    const value = overrides[field] ?? collected[field];
    if (value !== undefined) (out as Record<AssetField, AssetValue<unknown>>)[field] = value;
  }
  if (collected.unreadable !== undefined && collected.unreadable.length > 0) out.unreadable = collected.unreadable;
  return out;
}
