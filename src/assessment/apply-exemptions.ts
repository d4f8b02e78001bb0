/**
 * Application of exemptions to a run's rule results: pure, in memory, after evaluation and before the
 * OSCAL document is built. What it decides:
 *
 * - Only approved exemptions whose expiry has not passed apply; requested, rejected and revoked ones
 *   never do. An approved one that matches but has expired is listed on the result (`expiredExemptions`)
 *   so a lapsed risk acceptance is visible, never silently gone.
 * - An exemption covers the failing observations of a failed rule whose target matches it (rule `*` or the
 *   STIG id; container name glob and labels; node ref). Covered observations are kept, verdict `fail`,
 *   with `exemptedBy` set: evidence is never dropped.
 * - When every failing observation of the result is covered, the result keeps status `fail` and records the
 *   exemption (`exemption`): the finding is an approved deviation, counted apart in the summary and given
 *   risk status `deviation-approved` in the OSCAL results. A partly covered result stays an open finding.
 * - An exemption of the whole rule (`allTargets`) covers every failing observation, and a failure without
 *   failing observations (a manual rule a review found failing): risk acceptance of a failed rule.
 * - Each observation is recorded under the covering exemption that lasts longest; the result under the one,
 *   among those, that expires first (when the accepted deviation first needs review again).
 */
import { type Exemption, expiryInstant, isExpired, matchesNode, matchesRule, matchesTarget } from '../domain/exemption.js';
import type { NodeFacts } from '../domain/facts.js';
import type { Observation, RuleResult } from '../domain/results.js';

/** What matching needs beyond the results: the clock, the nodes assessed and their facts (container labels). */
export interface ExemptionScope {
  now: Date;
  nodes: readonly { id: string; name: string; endpoint: string }[];
  facts: readonly NodeFacts[];
}

/** Where an assessment reads exemptions from (ExemptionService.listApproved). */
export interface ExemptionSource {
  listApproved(): Promise<Exemption[]>;
}

type Labels = Readonly<Record<string, string>>;

/** Container labels (`Config.Labels`) per node id and container id. */
function labelIndex(facts: readonly NodeFacts[]): Map<string, Map<string, Labels>> {
  const byNode = new Map<string, Map<string, Labels>>();
  for (const f of facts) {
    const byContainer = new Map<string, Labels>();
    for (const c of f.containers) {
      const config = c.inspect.Config;
      const raw = config !== null && typeof config === 'object' ? (config as Record<string, unknown>).Labels : undefined;
      const labels: Record<string, string> = {};
      if (raw !== null && typeof raw === 'object') {
        for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') labels[k] = v;
      }
      byContainer.set(c.id, labels);
    }
    byNode.set(f.nodeId, byContainer);
  }
  return byNode;
}

function expiryMs(e: Exemption): number {
  return expiryInstant(e.expiresAt)?.getTime() ?? Number.NEGATIVE_INFINITY;
}

/** Results with exemptions applied; results no exemption touches are returned unchanged (same objects). */
export function applyExemptions(results: readonly RuleResult[], exemptions: readonly Exemption[], scope: ExemptionScope): RuleResult[] {
  const approved = exemptions.filter((e) => e.lifecycle.status === 'approved');
  if (approved.length === 0) return [...results];
  // Longest-lasting first, then by id, so an observation's exemption does not depend on list order.
  const active = approved.filter((e) => !isExpired(e, scope.now)).sort((a, b) => expiryMs(b) - expiryMs(a) || a.id.localeCompare(b.id));
  const expired = approved.filter((e) => isExpired(e, scope.now));
  const nodes = new Map(scope.nodes.map((n) => [n.id, n]));
  const labels = labelIndex(scope.facts);

  return results.map((r) => {
    if (r.status !== 'fail') return r;
    const node = nodes.get(r.nodeId) ?? { id: r.nodeId, name: r.nodeId, endpoint: r.nodeId };
    const applies = (e: Exemption): boolean => matchesRule(e, r.stigId) && matchesNode(e.target, node);
    const covers = (e: Exemption, o: Observation): boolean => e.target.allTargets === true || matchesTarget(e.target, o.target, labels.get(r.nodeId)?.get(o.target.id));
    const candidates = active.filter(applies);
    const lapsed = expired.filter(applies);

    const used = new Map<string, Exemption>();
    let failing = 0;
    let covered = 0;
    const observations = r.observations.map((o) => {
      if (o.verdict !== 'fail') return o;
      failing += 1;
      const by = candidates.find((e) => covers(e, o));
      if (by === undefined) return o;
      covered += 1;
      used.set(by.id, by);
      return { ...o, exemptedBy: by.id };
    });
    // A failure without failing observations (a manual rule a review found failing, a node-level failure) is
    // covered only by an exemption of the whole rule.
    const wholeRule = failing === 0 ? candidates.filter((e) => e.target.allTargets === true) : [];
    for (const e of wholeRule) used.set(e.id, e);
    const expiredMatches = lapsed.filter((e) => (failing === 0 ? e.target.allTargets === true : r.observations.some((o) => o.verdict === 'fail' && covers(e, o))));
    if (covered === 0 && wholeRule.length === 0 && expiredMatches.length === 0) return r;

    const out: RuleResult = { ...r, observations };
    if ((failing > 0 && covered === failing) || wholeRule.length > 0) {
      const first = [...used.values()].sort((a, b) => expiryMs(a) - expiryMs(b) || a.id.localeCompare(b.id))[0]!;
      if (first.lifecycle.status !== 'approved') throw new Error(`exemption ${first.id} applied without approval`);
      out.exemption = { id: first.id, name: first.name, kind: first.kind, justification: first.justification, approvedBy: first.lifecycle.approvedBy, approvedAt: first.lifecycle.approvedAt, expiresAt: first.expiresAt };
    }
    if (expiredMatches.length > 0) out.expiredExemptions = expiredMatches.map((e) => ({ id: e.id, name: e.name, expiresAt: e.expiresAt }));
    return out;
  });
}
