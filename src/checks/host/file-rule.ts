/**
 * Ownership and permission rules of host files. A rule selects its files from the host part (and the daemon
 * part, for TLS material and sockets), then judges each: ownership by uid 0 and the required group, or a mode
 * with no permission bit outside the allowed mask ("644 or more restrictive"). A file the rule needs but the
 * collector did not read makes the rule `error`; a file that must exist and doesn't is a failure.
 */
import type { HostFacts, HostFileFacts, NodeFacts } from '../../domain/facts.js';
import type { CheckOutcome, TargetRef } from '../../domain/results.js';
import type { Check } from '../check.js';
import { engineCheck, type EngineDecision, type EngineJudgement } from '../engine/engine-rule.js';
import { requirePart } from '../parts.js';

/** The node's file at `path` as an observation target. */
export function fileTarget(path: string): TargetRef {
  return { kind: 'file', id: path, name: path };
}

/** What a rule judges: present files, and required files found missing. */
export type FileSelection =
  | { files: HostFileFacts[]; missing?: { path: string; why: string }[]; note?: string }
  | { notApplicable: string }
  | { invalid: string }
  | { outcome: CheckOutcome };

export type FileRequirement = { owner: 'root'; group: 'root' | 'docker' } | { mask: number };

export interface FileRuleSpec {
  stigId: string;
  title: string;
  requirement: FileRequirement;
  select(facts: NodeFacts, host: HostFacts): FileSelection;
}

function octal(n: number): string {
  return n.toString(8).padStart(3, '0');
}

/** The words for what passes. */
export function expectedOf(r: FileRequirement): string {
  if ('owner' in r) return `owned by ${r.owner}:${r.group} (user uid 0, group ${r.group === 'root' ? 'gid 0' : r.group})`;
  return `mode ${octal(r.mask)} or more restrictive (no permission bit outside ${octal(r.mask)})`;
}

/** `owner:group` as stat prints it, with ids where the host's tables have no name. */
export function ownerGroup(f: HostFileFacts): string {
  return `${f.owner ?? String(f.uid ?? '?')}:${f.group ?? String(f.gid ?? '?')}`;
}

/** Judges one present file against the requirement. */
export function judgeFile(file: HostFileFacts, r: FileRequirement): EngineJudgement {
  const target = fileTarget(file.path);
  const kind = file.type === 'directory' ? 'directory' : file.type === 'socket' ? 'socket' : 'file';
  if ('owner' in r) {
    const value = ownerGroup(file);
    const userOk = file.uid === 0;
    const groupOk = r.group === 'root' ? file.gid === 0 : file.group === r.group;
    const ok = userOk && groupOk;
    const why = !groupOk && r.group !== 'root' && file.group === undefined ? ` (gid ${String(file.gid)} has no name in the host's /etc/group)` : '';
    return { target, field: 'owner:group', value, verdict: ok ? 'pass' : 'fail', message: `The ${kind} ${file.path} is owned by ${value}${ok ? '' : `, not ${r.owner}:${r.group}${why}`}.` };
  }
  const mode = file.mode === undefined ? NaN : parseInt(file.mode, 8);
  if (Number.isNaN(mode)) return { target, field: 'mode', value: file.mode ?? null, verdict: 'fail', message: `The mode of ${file.path} was not read.` };
  const extra = mode & ~r.mask;
  return {
    target,
    field: 'mode',
    value: file.mode,
    verdict: extra === 0 ? 'pass' : 'fail',
    message: extra === 0 ? `The ${kind} ${file.path} has mode ${file.mode}, within ${octal(r.mask)}.` : `The ${kind} ${file.path} has mode ${file.mode}: bits ${octal(extra)} exceed ${octal(r.mask)}.`,
  };
}

/** Builds the check of a file rule. */
export function fileCheck(spec: FileRuleSpec): Check {
  const expected = expectedOf(spec.requirement);
  return engineCheck({
    stigId: spec.stigId,
    title: spec.title,
    targetKinds: ['file'],
    expected,
    judge(facts): EngineDecision {
      const host = requirePart(facts, 'host');
      if ('outcome' in host) return host;
      const selection = spec.select(facts, host.data);
      if (!('files' in selection)) return selection;
      const judgements = selection.files.map((f) => judgeFile(f, spec.requirement));
      for (const m of selection.missing ?? []) {
        judgements.push({ target: fileTarget(m.path), field: 'exists', value: false, verdict: 'fail', message: `${m.path} does not exist: ${m.why}.` });
      }
      if (selection.note !== undefined && judgements.length > 0) {
        const last = judgements[judgements.length - 1] as EngineJudgement;
        last.message = `${last.message} ${selection.note}`;
      }
      return { judgements };
    },
  });
}

/**
 * A file the rule names, as collected: present, absent (ENOENT), or not read (then the rule can't be decided):
 * never collected, or its stat failed for another reason (permission denied, I/O error), which is named.
 */
export function lookup(host: HostFacts, path: string): HostFileFacts | { notRead: string } {
  const f = host.files.find((x) => x.path === path);
  if (f === undefined) return { notRead: `${path} was not read from the host (${host.via} ${host.source})` };
  if (f.error !== undefined) return { notRead: unreadable(host, f) };
  return f;
}

/** Why a file's existence is unknown, naming the file, the cause and where it was read. */
export function unreadable(host: HostFacts, f: HostFileFacts): string {
  return `${f.path} could not be read on the host (${f.error ?? 'unknown cause'}; ${host.via} ${host.source}), so whether it exists is unknown`;
}

/** Why a file's content (or a directory's list of entries) is unknown, naming the file and the cause. */
export function contentUnreadable(host: HostFacts, f: HostFileFacts): string {
  return `${f.path} exists but its ${f.type === 'directory' ? 'entries' : 'content'} could not be read (${f.contentError ?? 'not collected'}; ${host.via} ${host.source})`;
}

/** Selection of one file that must exist (`why` says who requires it). */
export function requiredFile(host: HostFacts, path: string, why: string): FileSelection {
  const f = lookup(host, path);
  if ('notRead' in f) return { invalid: f.notRead };
  return f.exists ? { files: [f] } : { files: [], missing: [{ path, why }] };
}

/** Selection of one file that the rule covers only when it exists. */
export function optionalFile(host: HostFacts, path: string, absent: string): FileSelection {
  const f = lookup(host, path);
  if ('notRead' in f) return { invalid: f.notRead };
  return f.exists ? { files: [f] } : { notApplicable: `${path} does not exist on ${host.source}: ${absent}` };
}
