/**
 * One line per drift change (pure), naming the rule (STIG id), the node and target and the field, as the CLI
 * prints it and the API's `message` gives it: `regression DKER-EE-001240 high alpha container \`api\`
 * (name/api): pass → fail; HostConfig.PidMode "" → "host"`. Hidden values (environment values, file contents)
 * only say that they changed.
 */
import type { DriftChange, DriftField, DriftTarget } from '../domain/drift.js';
import { UnreachableCaseError } from '../domain/errors.js';

const MAX_VALUE_CHARS = 120;

/** A value as JSON, cut to a readable length. */
export function showValue(v: unknown): string {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** `container \`api\` (name/api)`; the key is left out when it only repeats the name. */
export function showTarget(t: DriftTarget): string {
  if (t.kind === 'node' || t.kind === 'daemon' || t.kind === 'swarm') return t.kind;
  const plainKey = t.key === `name/${t.name}` || t.key === t.name || t.key === `tag/${t.name}` || t.key === `hostname/${t.name}`;
  return `${t.kind} \`${t.name}\`${plainKey ? '' : ` (${t.key})`}`;
}

/** `HostConfig.PidMode changed from "" to "host"`, `Config.Env[API_KEY] value changed`, `Mounts[/data] added: {...}`. */
export function showFieldChange(f: DriftField): string {
  const hasOld = 'old' in f;
  const hasNew = 'new' in f;
  if (f.redacted === true) return `${f.field} ${!hasOld ? 'added (value not shown)' : !hasNew ? 'removed' : 'value changed (not shown)'}`;
  if (!hasOld) return `${f.field} added: ${showValue(f.new)}`;
  if (!hasNew) return `${f.field} removed (was ${showValue(f.old)})`;
  return `${f.field} changed from ${showValue(f.old)} to ${showValue(f.new)}`;
}

/** `HostConfig.PidMode "" → "host"` for a transition's deciding field. */
function showDecidingField(f: DriftField): string {
  if (f.redacted === true) return `${f.field} (value not shown)`;
  const side = (has: boolean, v: unknown): string => (has ? showValue(v) : '-');
  return `${f.field} ${side('old' in f, f.old)} → ${side('new' in f, f.new)}`;
}

const listed = (ids: readonly string[], max = 5): string => (ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`);

/** The change as one line. */
export function describeChange(c: DriftChange): string {
  switch (c.kind) {
    case 'regression':
    case 'remediation':
    case 'error-appeared':
    case 'error-cleared':
    case 'status-changed':
    case 'exemption-changed': {
      const fields = c.fields.length > 0 ? `; ${c.fields.map(showDecidingField).join('; ')}` : '';
      const exemption = c.kind === 'exemption-changed' ? ` (exemption ${c.fromExemption ?? 'none'} → ${c.toExemption ?? 'none'})` : '';
      return `${c.kind} ${c.stigId} ${c.severity} ${c.nodeName} ${showTarget(c.target)}: ${c.from} → ${c.to}${exemption}${fields}`;
    }
    case 'target-appeared':
    case 'target-disappeared': {
      const where = c.kind === 'target-appeared' ? 'now' : 'then';
      const failing = c.failing.length > 0 ? `, failing ${listed(c.failing.map((f) => f.stigId))}` : ', failing none';
      return `${c.kind === 'target-appeared' ? 'appeared' : 'disappeared'} - ${c.nodeName} ${showTarget(c.target)}: ${c.ruleCount} rules ${where}${failing}`;
    }
    case 'evidence-changed':
      return `evidence ${c.stigIds.length > 0 ? c.stigIds.join(',') : '-'} ${c.nodeName} ${showTarget(c.target)}: ${showFieldChange(c.change)}`;
    case 'rule-added':
    case 'rule-removed':
      return `${c.kind} ${c.stigId} ${c.severity} ${c.nodeName}: ${c.kind === 'rule-added' ? 'assessed only in the newer run' : 'assessed only in the older run'}, ${c.failingTargets} failing target(s) there`;
    case 'node-not-compared':
      return `not-compared - ${c.nodeName}: ${c.reason}`;
    case 'expiring':
    case 'expired':
      return `${c.kind} ${c.stigId} ${c.nodeName} ${c.subject} \`${c.subjectName}\` (${c.subjectId}): ${c.kind === 'expired' ? 'expired' : 'expires'} ${c.expiresAt}`;
    case 'newer-release':
      return (
        `newer-release - ${c.nodeName} ${c.benchmarkId}: ${c.newerRelease} is in the library (assessed against ${c.assessedRelease}); ` +
        `${c.added.length} added${c.added.length > 0 ? ` (${listed(c.added)})` : ''}, ${c.removed.length} removed${c.removed.length > 0 ? ` (${listed(c.removed)})` : ''}, ` +
        `${c.changed.length} changed${c.changed.length > 0 ? ` (${listed(c.changed)})` : ''}`
      );
    default:
      throw new UnreachableCaseError(c);
  }
}
