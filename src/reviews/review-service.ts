/**
 * Manual reviews and their workflow, with separation of duties:
 *
 * - admins and assessors write drafts (the gateway's policy); the author or an admin edits a draft and
 *   submits it; the submitter or an admin withdraws a submitted review back to draft;
 * - only an admin accepts or rejects (the same role that approves exemptions: Plimsoll has no reviewer role,
 *   and an admin is who answers for an authorisation package). Accepting follows the one separation-of-duties
 *   rule (src/domain/separation-of-duties.ts) against the submitter AND the author: whoever wrote or vouched
 *   for the answer never accepts it (FORBIDDEN_SEPARATION_OF_DUTIES);
 * - acceptance fixes `expiresAt` (a date as given, a period counted from acceptance); a date already past
 *   can't be accepted.
 *
 * A review's rule must exist in an imported benchmark: its check-content hash and rule id are taken from it.
 */
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { connectionOfList, type Connection, type PageRequest } from '../domain/paging.js';
import {
  expiresAtOn,
  type ImportedReviewInput,
  type ManualReview,
  type ManualReviewView,
  REVIEW_STATUSES,
  type ReviewDraftChanges,
  type ReviewDraftInput,
  type ReviewEvidence,
  type ReviewEvidenceInput,
  type ReviewLifecycle,
  type ReviewOrigin,
  type ReviewPerson,
  type ReviewRuleKey,
  type ReviewScope,
  type ReviewScopeInput,
  reviewExpired,
  reviewStatusAt,
} from '../domain/review.js';
import { sameUser } from '../domain/separation-of-duties.js';
import type { LibraryService, NodeService, ReviewCarryOver, ReviewEvidenceFile, ReviewFilter, ReviewService } from '../domain/services.js';
import type { SeparationOfDuties } from '../auth/separation-of-duties.js';
import type { EvidenceFileBody, ReviewRepository } from '../repositories/review-repository.js';
import { badInput, fileEvidence, MAX_EVIDENCE, MAX_URL, prose, validExpiry, validLabels, validResult, validUrl } from './review-validation.js';

/** Where uploaded evidence comes from (the upload service's resolve: only the uploader's own, unexpired uploads). */
export interface EvidenceUploads {
  resolve(inputs: readonly { uploadId: string }[], actor: Principal): Promise<{ name: string; bytes: Uint8Array }[]>;
}

export interface ReviewServiceDeps {
  repo: ReviewRepository;
  library: Pick<LibraryService, 'findBenchmark' | 'getRule'>;
  nodes: Pick<NodeService, 'find'>;
  separation: SeparationOfDuties;
  /** Absent: evidence by upload id is refused (text, URL and given files still work). */
  uploads?: EvidenceUploads;
  now?: () => Date;
  newId?: () => string;
}

/** The most reviews one checklist import creates. */
export const MAX_IMPORTED_REVIEWS = 10_000;

function personOf(actor: Principal): ReviewPerson {
  return { userId: actor.userId, name: actor.name };
}

/** ReviewService over a repository. */
export class DefaultReviewService implements ReviewService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ReviewServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  async create(input: ReviewDraftInput, actor: Principal): Promise<ManualReviewView> {
    const { review, files } = await this.build(input, actor, 'manual', { state: 'draft' }, new Map());
    await this.deps.repo.insert([review], files);
    return this.view(review);
  }

  async importReviews(reviews: readonly ImportedReviewInput[], actor: Principal): Promise<ManualReviewView[]> {
    if (reviews.length > MAX_IMPORTED_REVIEWS) throw badInput(`A checklist import may create at most ${MAX_IMPORTED_REVIEWS} reviews, got ${reviews.length}`);
    const at = this.now().toISOString();
    const rules = new Map<string, Promise<ReviewRuleKey>>();
    const built: ManualReview[] = [];
    const files: EvidenceFileBody[] = [];
    for (const [index, input] of reviews.entries()) {
      try {
        const lifecycle: ReviewLifecycle = { state: 'submitted', submittedBy: personOf(actor), submittedAt: at };
        const one = await this.build(input, actor, 'import', lifecycle, rules);
        built.push(one.review);
        files.push(...one.files);
      } catch (e) {
        if (e instanceof PlimsollError) throw new PlimsollError(e.code, `review #${index + 1} (${String(input.stigId)}): ${e.message}`, e.problems);
        throw e;
      }
    }
    await this.deps.repo.insert(built, files);
    return built.map((r) => this.view(r));
  }

  async update(id: string, changes: ReviewDraftChanges, actor: Principal): Promise<ManualReviewView> {
    const r = await this.find(id);
    this.requireAuthorOrAdmin(r, actor, 'edit');
    if (r.lifecycle.state !== 'draft') throw this.wrongState(r, 'edit', 'withdraw it to draft first');
    const now = this.now();
    const files: EvidenceFileBody[] = [];
    const next: ManualReview = {
      ...r,
      ...(changes.scope !== undefined ? { scope: await this.validScope(changes.scope) } : {}),
      ...(changes.result !== undefined ? { result: validResult(changes.result) } : {}),
      ...(changes.statement !== undefined ? { statement: prose(changes.statement, 'A review statement') } : {}),
      ...(changes.evidence !== undefined ? { evidence: await this.validEvidence(changes.evidence, actor, files) } : {}),
      ...(changes.expiry !== undefined ? { expiry: validExpiry(changes.expiry, now) } : {}),
      updatedAt: now.toISOString(),
    };
    return this.move(r, next, files);
  }

  async submit(id: string, actor: Principal): Promise<ManualReviewView> {
    const r = await this.find(id);
    this.requireAuthorOrAdmin(r, actor, 'submit');
    if (r.lifecycle.state !== 'draft') throw this.wrongState(r, 'submit');
    const now = this.now();
    if (r.expiry.kind === 'date') validExpiry(r.expiry, now);
    return this.move(r, { ...r, updatedAt: now.toISOString(), lifecycle: { state: 'submitted', submittedBy: personOf(actor), submittedAt: now.toISOString() } });
  }

  async withdraw(id: string, actor: Principal): Promise<ManualReviewView> {
    const r = await this.find(id);
    if (r.lifecycle.state !== 'submitted') throw this.wrongState(r, 'withdraw');
    if (actor.role !== 'admin' && !sameUser(r.lifecycle.submittedBy, actor)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `Only the submitter (${r.lifecycle.submittedBy.name}) or an admin may withdraw review ${r.id}; ${actor.name} has role ${actor.role}`);
    }
    return this.move(r, { ...r, updatedAt: this.now().toISOString(), lifecycle: { state: 'draft' } });
  }

  async accept(id: string, actor: Principal): Promise<ManualReviewView> {
    const r = await this.find(id);
    if (r.lifecycle.state !== 'submitted') throw this.wrongState(r, 'accept');
    const what = `review ${r.id} (${r.rule.stigId})`;
    await this.deps.separation.assertIndependent(r.lifecycle.submittedBy, actor, what);
    if (!sameUser(r.createdBy, r.lifecycle.submittedBy)) await this.deps.separation.assertIndependent(r.createdBy, actor, what);
    const now = this.now();
    const expiresAt = expiresAtOn(r.expiry, now);
    if (expiresAt === undefined || reviewExpired(expiresAt, now)) {
      throw new PlimsollError(ErrorCode.CONFLICT, `Review ${r.id} expired (${r.expiry.kind === 'date' ? r.expiry.date : r.expiry.period}) and can't be accepted; reject it or withdraw and edit it`);
    }
    const { submittedBy, submittedAt } = r.lifecycle;
    return this.move(r, { ...r, updatedAt: now.toISOString(), lifecycle: { state: 'accepted', submittedBy, submittedAt, acceptedBy: personOf(actor), acceptedAt: now.toISOString(), expiresAt } });
  }

  async reject(id: string, reason: string, actor: Principal): Promise<ManualReviewView> {
    const why = prose(reason, 'A rejection reason');
    const r = await this.find(id);
    if (r.lifecycle.state !== 'submitted') throw this.wrongState(r, 'reject');
    const now = this.now();
    const { submittedBy, submittedAt } = r.lifecycle;
    return this.move(r, { ...r, updatedAt: now.toISOString(), lifecycle: { state: 'rejected', submittedBy, submittedAt, rejectedBy: personOf(actor), rejectedAt: now.toISOString(), reason: why } });
  }

  async list(filter: ReviewFilter = {}): Promise<ManualReviewView[]> {
    const status = filter.status;
    if (status !== undefined && !REVIEW_STATUSES.includes(status)) throw badInput(`unknown review status "${String(status)}"; one of ${REVIEW_STATUSES.join(', ')}`);
    const states = status === undefined ? undefined : status === 'expired' ? (['accepted'] as const) : [status];
    const rows = await this.deps.repo.list({
      ...(states !== undefined ? { states } : {}),
      ...(filter.stigId !== undefined ? { stigId: filter.stigId } : {}),
      ...(filter.benchmarkId !== undefined ? { benchmarkId: filter.benchmarkId } : {}),
    });
    const views = rows.map((r) => this.view(r));
    return status === undefined ? views : views.filter((v) => v.status === status);
  }

  async page(filter: ReviewFilter, page: PageRequest): Promise<Connection<ManualReviewView>> {
    return connectionOfList(await this.list(filter), page);
  }

  async get(id: string): Promise<ManualReviewView | undefined> {
    const r = await this.deps.repo.get(id);
    return r && this.view(r);
  }

  async evidenceFile(id: string, sha256: string): Promise<ReviewEvidenceFile> {
    const r = await this.find(id);
    const file = r.evidence.find((e): e is Extract<ReviewEvidence, { kind: 'file' }> => e.kind === 'file' && e.sha256 === sha256);
    const content = file && (await this.deps.repo.evidenceFile(file.sha256));
    if (file === undefined || content === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `Review ${r.id} has no evidence file with sha256 ${sha256.slice(0, 64)}`);
    return { name: file.name, mediaType: file.mediaType, sha256: file.sha256, content };
  }

  async carryOver(benchmarkRef: string): Promise<ReviewCarryOver> {
    const benchmark = await this.deps.library.findBenchmark((benchmarkRef ?? '').trim());
    if (benchmark === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No imported benchmark ${JSON.stringify((benchmarkRef ?? '').slice(0, 200))}`);
    const out: ReviewCarryOver = { benchmarkId: benchmark.id, ...(benchmark.release !== undefined ? { release: `V${benchmark.version}R${benchmark.release}` } : {}), carried: [], stale: [], removed: [] };
    for (const r of await this.deps.repo.list({ benchmarkId: benchmark.id, states: ['draft', 'submitted', 'accepted'] })) {
      const view = this.view(r);
      const rule = await this.deps.library.getRule(benchmark.documentId, r.rule.stigId);
      if (rule === undefined) out.removed.push(view);
      else if (rule.checkContentHash === r.rule.checkContentHash) out.carried.push(view);
      else out.stale.push({ review: view, checkContentHash: rule.checkContentHash, ruleId: rule.ruleId });
    }
    return out;
  }

  listAccepted(): Promise<ManualReview[]> {
    return this.deps.repo.list({ states: ['accepted'] });
  }

  private view(r: ManualReview): ManualReviewView {
    return { ...r, status: reviewStatusAt(r, this.now()) };
  }

  private async find(id: string): Promise<ManualReview> {
    const r = await this.deps.repo.get(id);
    if (r === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No review with id ${id}`);
    return r;
  }

  private requireAuthorOrAdmin(r: ManualReview, actor: Principal, action: string): void {
    if (actor.role !== 'admin' && !sameUser(r.createdBy, actor)) {
      throw new PlimsollError(ErrorCode.FORBIDDEN, `Only the author (${r.createdBy.name}) or an admin may ${action} review ${r.id}; ${actor.name} has role ${actor.role}`);
    }
  }

  private wrongState(r: ManualReview, action: string, hint?: string): PlimsollError {
    return new PlimsollError(ErrorCode.CONFLICT, `Review ${r.id} is ${reviewStatusAt(r, this.now())}; can't ${action} it${hint !== undefined ? ` (${hint})` : ''}`);
  }

  /** Stores `next` unless someone changed the review first (then CONFLICT, with its new state). */
  private async move(current: ManualReview, next: ManualReview, files: readonly EvidenceFileBody[] = []): Promise<ManualReviewView> {
    if (!(await this.deps.repo.replace(current, next, files))) {
      const now = await this.deps.repo.get(current.id);
      throw new PlimsollError(ErrorCode.CONFLICT, `Review ${current.id} changed meanwhile (now ${now?.lifecycle.state ?? 'gone'}); reload and retry`);
    }
    return this.view(next);
  }

  private async build(
    input: ReviewDraftInput,
    actor: Principal,
    origin: ReviewOrigin,
    lifecycle: ReviewLifecycle,
    rules: Map<string, Promise<ReviewRuleKey>>,
  ): Promise<{ review: ManualReview; files: EvidenceFileBody[] }> {
    const now = this.now();
    const ruleRef = `${input.benchmark}\u0000${input.stigId}`;
    let rule = rules.get(ruleRef);
    if (rule === undefined) rules.set(ruleRef, (rule = this.ruleKey(input.benchmark, input.stigId)));
    const files: EvidenceFileBody[] = [];
    const review: ManualReview = {
      id: this.newId(),
      rule: await rule,
      scope: await this.validScope(input.scope),
      result: validResult(input.result),
      statement: prose(input.statement, 'A review statement'),
      evidence: await this.validEvidence(input.evidence ?? [], actor, files),
      expiry: validExpiry(input.expiry, now),
      origin,
      createdBy: personOf(actor),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      lifecycle,
    };
    return { review, files };
  }

  /** The rule's key from the benchmark as imported (latest release for an XCCDF benchmark id). */
  private async ruleKey(benchmarkRef: string, stigId: string): Promise<ReviewRuleKey> {
    const ref = (benchmarkRef ?? '').trim();
    if (ref === '') throw badInput('A review needs a benchmark (document id or XCCDF benchmark id)');
    const benchmark = await this.deps.library.findBenchmark(ref);
    if (benchmark === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No imported benchmark ${JSON.stringify(ref.slice(0, 200))}`);
    const id = (stigId ?? '').trim();
    const rule = id === '' ? undefined : await this.deps.library.getRule(benchmark.documentId, id);
    if (rule === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `Benchmark ${benchmark.id} ${benchmark.release ?? benchmark.version} has no rule ${JSON.stringify(id.slice(0, 100))}`);
    return { benchmarkId: benchmark.id, stigId: rule.stigId, checkContentHash: rule.checkContentHash, ruleId: rule.ruleId, ...(benchmark.release !== undefined ? { release: `V${benchmark.version}R${benchmark.release}` } : {}) };
  }

  private async validScope(scope: ReviewScopeInput): Promise<ReviewScope> {
    switch (scope?.kind) {
      case 'all-nodes':
        return { kind: 'all-nodes' };
      case 'labels':
        return { kind: 'labels', labels: validLabels(scope.labels) };
      case 'node': {
        const node = await this.deps.nodes.find((scope.node ?? '').trim());
        if (node === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `No node ${JSON.stringify((scope.node ?? '').slice(0, 200))} (by id, name or endpoint)`);
        return { kind: 'node', nodeId: node.id, nodeName: node.name };
      }
      default:
        throw badInput('A review scope is one node, a label selector, or every node');
    }
  }

  private async validEvidence(inputs: readonly ReviewEvidenceInput[], actor: Principal, files: EvidenceFileBody[]): Promise<ReviewEvidence[]> {
    if (inputs.length > MAX_EVIDENCE) throw badInput(`A review takes at most ${MAX_EVIDENCE} pieces of evidence, got ${inputs.length}`);
    const out: ReviewEvidence[] = [];
    for (const e of inputs) {
      switch (e.kind) {
        case 'text':
          out.push({ kind: 'text', text: prose(e.text, 'Evidence text') });
          break;
        case 'url':
          out.push({ kind: 'url', url: validUrl(e.url) });
          break;
        case 'file':
          out.push(this.keep(fileEvidence(e.name, e.content), e.content, files));
          break;
        case 'upload': {
          if (this.deps.uploads === undefined) throw badInput('Evidence by upload id is not available on this server');
          const [f] = await this.deps.uploads.resolve([{ uploadId: e.uploadId }], actor);
          if (f === undefined) throw new PlimsollError(ErrorCode.NOT_FOUND, `no upload ${JSON.stringify(e.uploadId)}`);
          out.push(this.keep(fileEvidence(f.name, f.bytes), f.bytes, files));
          break;
        }
        default:
          throw badInput(`Evidence is text, a URL (at most ${MAX_URL} characters) or a file`);
      }
    }
    return out;
  }

  private keep(file: Extract<ReviewEvidence, { kind: 'file' }>, content: Uint8Array, files: EvidenceFileBody[]): Extract<ReviewEvidence, { kind: 'file' }> {
    files.push({ sha256: file.sha256, content });
    return file;
  }
}
