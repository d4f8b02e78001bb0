/**
 * What changed around two runs rather than on the node: exemptions (later also reviews) expiring soon or
 * expired since the earlier run, and a newer release of the benchmark in the library (which rules it adds,
 * removes and changes: the benchmark diff service). Times are the runs' own (when each was evaluated), so the
 * same two runs always give the same changes, and each expiry is reported once: by the first run after it
 * entered the warning window (`expiring`), and by the first run after it passed (`expired`).
 */
import { type AssessedBenchmark, type Assessment, assessedBenchmarks } from '../domain/assessment.js';
import type { ExpiryChange, NewerReleaseChange } from '../domain/drift.js';
import { ALL_RULES, expiryInstant, matchesNode } from '../domain/exemption.js';
import type { ExemptionService, LibraryService } from '../domain/services.js';
import type { BenchmarkDiff } from '../domain/library.js';
import { type ManualReview, scopeMatchesNode } from '../domain/review.js';

/** Something that stops applying at a date: an approved exemption, an accepted review. */
export interface ExpiringItem {
  subject: 'exemption' | 'review';
  id: string;
  name: string;
  /** A STIG id or `*`. */
  stigId: string;
  expiresAt: string;
  /** The node it is limited to (id, name or endpoint); absent: every node. */
  node?: string;
  /** Node labels it is limited to (every one must match); absent: no label condition. */
  nodeLabels?: Record<string, string>;
}

/** A source of expiring items (exemptions now; manual reviews plug in beside it). */
export interface ExpirySource {
  expiring(): Promise<ExpiringItem[]>;
}

/** Approved exemptions (revoked ones are not approved any more; expired ones still are, with their date). */
export function exemptionExpiries(exemptions: Pick<ExemptionService, 'listApproved'>): ExpirySource {
  return {
    async expiring() {
      return (await exemptions.listApproved()).map((e) => ({
        subject: 'exemption' as const, id: e.id, name: e.name, stigId: e.rule, expiresAt: e.expiresAt,
        ...(e.target.node !== undefined ? { node: e.target.node } : {}),
      }));
    },
  };
}

/**
 * Accepted manual reviews (expired ones too, with their date): a review scoped to one node concerns that node,
 * one scoped by labels the nodes carrying them, one for every node every node.
 */
export function reviewExpiries(reviews: { listAccepted(): Promise<ManualReview[]> }): ExpirySource {
  return {
    async expiring() {
      const out: ExpiringItem[] = [];
      for (const r of await reviews.listAccepted()) {
        if (r.lifecycle.state !== 'accepted') continue;
        out.push({
          subject: 'review', id: r.id, name: `review ${r.id}`, stigId: r.rule.stigId, expiresAt: r.lifecycle.expiresAt,
          ...(r.scope.kind === 'node' ? { node: r.scope.nodeId } : {}),
          ...(r.scope.kind === 'labels' ? { nodeLabels: { ...r.scope.labels } } : {}),
        });
      }
      return out;
    },
  };
}

export interface DriftContextDeps {
  expiries: readonly ExpirySource[];
  library: Pick<LibraryService, 'findBenchmark'>;
  benchmarkDiff: { diffStored(oldRef: string, newRef: string): Promise<BenchmarkDiff> };
  /** How long before its expiry an item is reported as expiring (days). */
  warningDays: number;
}

/** The release of a run's benchmark as `V2R2` (or its version alone). */
export function releaseLabel(version: string, release?: string): string {
  return release !== undefined ? `V${version}R${release}` : version;
}

/** Run-level changes between two runs, ready to be given to each node (filtered to what concerns it). */
export interface RunContext {
  /** `node` undefined: the whole run (every item); a node without known labels matches no label condition. */
  changesFor(node: { id: string; name: string; endpoint: string; labels?: Readonly<Record<string, string>> } | undefined, stigIds: ReadonlySet<string>): (ExpiryChange | NewerReleaseChange)[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const timeOf = (a: Assessment): number => Date.parse(a.finishedAt ?? a.startedAt);

export class DriftContext {
  constructor(private readonly deps: DriftContextDeps) {}

  /** The context of a run compared with an earlier one (none: its first run). */
  async between(old: Assessment | undefined, now: Assessment): Promise<RunContext> {
    // Every benchmark of the run is checked for a newer release (a run may assess several).
    const [items, releases] = await Promise.all([this.items(), Promise.all(assessedBenchmarks(now).map((b) => this.newerRelease(b)))]);
    const end = timeOf(now);
    const start = old !== undefined ? timeOf(old) : undefined;
    const window = this.deps.warningDays * DAY_MS;
    const found: { item: ExpiringItem; kind: 'expiring' | 'expired'; at: number }[] = [];
    for (const item of items) {
      const at = expiryInstant(item.expiresAt)?.getTime();
      if (at === undefined) continue;
      if (start !== undefined && at > start && at <= end) found.push({ item, kind: 'expired', at });
      else if (at > end && at <= end + window && (start === undefined || at > start + window)) found.push({ item, kind: 'expiring', at });
    }
    found.sort((a, b) => a.at - b.at || (a.item.id < b.item.id ? -1 : 1));
    return {
      changesFor(node, stigIds) {
        const nodeRef = node === undefined ? { nodeId: '', nodeName: '(every node)' } : { nodeId: node.id, nodeName: node.name };
        const out: (ExpiryChange | NewerReleaseChange)[] = [];
        for (const { item, kind } of found) {
          if (node !== undefined && !matchesNode({ labels: {}, ...(item.node !== undefined ? { node: item.node } : {}) }, node)) continue;
          if (node !== undefined && item.nodeLabels !== undefined && !scopeMatchesNode({ kind: 'labels', labels: item.nodeLabels }, { id: node.id, labels: node.labels ?? {} })) continue;
          if (item.stigId !== ALL_RULES && !stigIds.has(item.stigId)) continue;
          out.push({ kind, ...nodeRef, subject: item.subject, subjectId: item.id, subjectName: item.name, stigId: item.stigId, expiresAt: item.expiresAt });
        }
        for (const release of releases) if (release !== undefined) out.push({ ...release, ...nodeRef });
        return out;
      },
    };
  }

  private async items(): Promise<ExpiringItem[]> {
    return (await Promise.all(this.deps.expiries.map((s) => s.expiring()))).flat();
  }

  /** A newer release of one benchmark of the run in the library, with the rules it changes. */
  private async newerRelease(assessed: AssessedBenchmark): Promise<Omit<NewerReleaseChange, 'nodeId' | 'nodeName'> | undefined> {
    const newest = await this.deps.library.findBenchmark(assessed.benchmarkId);
    if (newest === undefined || newest.documentId === assessed.documentId) return undefined;
    const diff = await this.deps.benchmarkDiff.diffStored(assessed.documentId, newest.documentId);
    return {
      kind: 'newer-release',
      benchmarkId: assessed.benchmarkId,
      assessedRelease: releaseLabel(assessed.version, assessed.release),
      newerRelease: releaseLabel(newest.version, newest.release),
      newerDocumentId: newest.documentId,
      added: diff.added.map((r) => r.stigId),
      removed: diff.removed.map((r) => r.stigId),
      changed: diff.changed.map((r) => r.stigId),
    };
  }
}
