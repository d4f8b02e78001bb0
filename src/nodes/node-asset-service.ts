/**
 * Node asset facts: recorded from each collection, overridden by assessors. An override is kept apart from the
 * collected values, so a later collection never erases it; clearing it (`null`) lets the collected value show
 * again. Overrides are validated (IP and MAC address syntax, no control characters) and carry who set them.
 */
import net from 'node:net';
import { ASSET_FIELDS, type AssetFacts, type AssetField, type AssetOverrideInput, type AssetValue, effectiveAsset, LIST_ASSET_FIELDS, type NodeAsset } from '../domain/asset.js';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { NodeAssetService, NodeService } from '../domain/services.js';
import type { NodeAssetRepository } from '../repositories/node-asset-repository.js';

const MAX_TEXT = 255;
const MAX_LIST = 64;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

export interface NodeAssetServiceDeps {
  nodes: Pick<NodeService, 'find'>;
  assets: NodeAssetRepository;
  now?: () => Date;
}

function checkText(field: AssetField, v: unknown, problems: Problem[]): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') problems.push({ pointer: `/${field}`, message: `${field} must be a non-empty string (null clears the override)` });
  else if (v.length > MAX_TEXT) problems.push({ pointer: `/${field}`, message: `${field} is longer than ${MAX_TEXT} characters` });
  else if (CONTROL_CHARS.test(v)) problems.push({ pointer: `/${field}`, message: `${field} contains control characters` });
  else return v.trim();
  return undefined;
}

function checkList(field: AssetField, v: unknown, problems: Problem[]): string[] | undefined {
  if (!Array.isArray(v) || v.length > MAX_LIST) {
    problems.push({ pointer: `/${field}`, message: `${field} must be a list of at most ${MAX_LIST} addresses (null clears the override)` });
    return undefined;
  }
  const out: string[] = [];
  v.forEach((item, i) => {
    const text = typeof item === 'string' ? item.trim() : '';
    const ok = field === 'ipAddresses' ? net.isIP(text) !== 0 : MAC.test(text);
    if (!ok) problems.push({ pointer: `/${field}/${i}`, message: `${JSON.stringify(item)} is not ${field === 'ipAddresses' ? 'an IPv4 or IPv6 address' : 'a MAC address (six hex pairs)'}` });
    else out.push(field === 'macAddresses' ? text.toLowerCase().replace(/-/g, ':') : text);
  });
  return out;
}

/** NodeAssetService over the node and asset repositories. */
export class DefaultNodeAssetService implements NodeAssetService {
  private readonly now: () => Date;

  constructor(private readonly deps: NodeAssetServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async get(ref: string): Promise<NodeAsset> {
    const nodeId = await this.nodeIdOf(ref);
    return this.view(nodeId);
  }

  async set(ref: string, input: AssetOverrideInput, actor: Principal): Promise<NodeAsset> {
    const nodeId = await this.nodeIdOf(ref);
    const stored = await this.deps.assets.get(nodeId);
    const overrides: AssetFacts = { ...(stored?.overrides ?? {}) };
    const problems: Problem[] = [];
    const at = this.now().toISOString();
    const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim().slice(0, MAX_TEXT) : 'set by an assessor';
    let changed = 0;
    for (const field of ASSET_FIELDS) {
      const v = input[field];
      if (v === undefined) continue;
      changed += 1;
      if (v === null) {
        delete overrides[field];
        continue;
      }
      const checked = LIST_ASSET_FIELDS.has(field) ? checkList(field, v, problems) : checkText(field, v, problems);
      if (checked !== undefined) (overrides as Record<AssetField, AssetValue<unknown>>)[field] = { value: checked, source: 'assessor', detail: note, recordedAt: at, recordedBy: actor.name };
    }
    if (changed === 0) problems.push({ message: `give at least one of ${ASSET_FIELDS.join(', ')} (null clears an override)` });
    if (problems.length > 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid asset facts: ${problems.map((p) => p.message).join('; ')}`, problems);
    await this.deps.assets.saveOverrides(nodeId, overrides, actor.name, at);
    return this.view(nodeId);
  }

  async recordCollected(nodeId: string, collected: AssetFacts, at: string): Promise<AssetFacts> {
    await this.deps.assets.recordCollected(nodeId, collected, at);
    return (await this.view(nodeId)).effective;
  }

  private async view(nodeId: string): Promise<NodeAsset> {
    const stored = await this.deps.assets.get(nodeId);
    const collected = stored?.collected ?? {};
    const overrides = stored?.overrides ?? {};
    return { nodeId, collected, ...(stored?.collectedAt !== undefined ? { collectedAt: stored.collectedAt } : {}), overrides, effective: effectiveAsset(collected, overrides) };
  }

  /** A present node by id, name or endpoint; a removed one by id (its history stays readable). */
  private async nodeIdOf(ref: string): Promise<string> {
    const node = await this.deps.nodes.find(ref, { includeRemoved: true });
    if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No node matches "${ref}" (by id, name or endpoint)`);
    return node.id;
  }
}
