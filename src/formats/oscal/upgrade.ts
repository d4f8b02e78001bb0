/**
 * OSCAL 1.0.x (and 1.1.0/1.1.1) → 1.1.2. Compared model by model, NIST's 1.0.4 and 1.1.2 JSON Schemas differ
 * only by additions (link `resource-fragment`, prop `group`, metadata `actions`, POA&M findings and
 * assessment assets) and by parameter `depends-on`, which 1.1 deprecates but still accepts. Every 1.0.x
 * document is therefore a 1.1.2 document once it says so: the upgrade sets `oscal-version` and reports the
 * deprecated constructs it keeps (dropping `depends-on` would lose the link between two parameters).
 */
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import type { OscalJson } from './xml-json.js';

export const SUPPORTED_TARGET = '1.1.2';

export interface UpgradeResult {
  json: OscalJson;
  from: string;
  notes: string[];
}

function countKey(value: unknown, key: string): number {
  let n = 0;
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) stack.push(...v);
    else {
      if (key in v) n += 1;
      stack.push(...Object.values(v));
    }
  }
  return n;
}

/** The document's model body (`json.catalog`, `json.profile`…) and its metadata. */
function metadataOf(json: OscalJson, file: string): Record<string, unknown> {
  const root = Object.keys(json).find((k) => k !== '$schema');
  const body = root === undefined ? undefined : (json[root] as Record<string, unknown> | undefined);
  const metadata = body?.metadata as Record<string, unknown> | undefined;
  if (metadata === undefined) throw new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}: the document has no metadata`, [{ file, pointer: `/${root ?? ''}/metadata`, message: 'missing' }]);
  return metadata;
}

/** Upgrades a copy of the document to `target` (1.1.2); BAD_INPUT for another target or a newer document. */
export function upgradeOscal(json: OscalJson, target: string, file: string): UpgradeResult {
  if (target !== SUPPORTED_TARGET) throw new PlimsollError(ErrorCode.BAD_INPUT, `OSCAL version "${target}" is not a supported upgrade target (only ${SUPPORTED_TARGET})`);
  const out = structuredClone(json);
  const metadata = metadataOf(out, file);
  const from = String(metadata['oscal-version'] ?? '');
  const m = /^1\.(\d+)\.(\d+)/.exec(from);
  if (!m || Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) > 2)) {
    const message = `oscal-version "${from}" cannot be upgraded to ${target} (only 1.0.x and 1.1.x documents can)`;
    throw new PlimsollError(ErrorCode.BAD_INPUT, `${file}: ${message}`, [{ file, message }]);
  }
  metadata['oscal-version'] = target;
  const notes: string[] = [];
  const dependsOn = countKey(out, 'depends-on');
  if (dependsOn > 0) notes.push(`${dependsOn} parameter(s) keep "depends-on", which OSCAL 1.1 deprecates but accepts`);
  return { json: out, from, notes };
}
