/**
 * CCI reverse queries. A rule evidences a control when one of its CCIs maps (through the latest CCI
 * list, statement level, see domain/cci-mapping.ts) to the control or one of its statements. From
 * there: the rules of every stored benchmark that evidence a control, and how much of a baseline the
 * stored benchmarks cover, split into automated (a check decides the rule) and manual rules.
 */
import { directRev5References } from '../domain/cci-mapping.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { Baseline, BaselineCoverage, ControlCoverage, RuleEvidence } from '../domain/library.js';
import type { ControlMapping, CoverageService, LibraryService, StoredDocument, StoredRule } from '../domain/services.js';

export interface CoverageDeps {
  library: Pick<LibraryService, 'mapCcisToControls' | 'findBenchmark' | 'listDocuments'> & Partial<Pick<LibraryService, 'mapReferencesToControls'>>;
  /** Rules by CCI and the CCIs rules cite, and rules citing SP 800-53 directly (LibraryIndexRepository). */
  index: {
    ruleCcis(benchmarkDocumentIds?: readonly string[]): Promise<string[]>;
    rulesCiting(ccis: readonly string[], benchmarkDocumentIds?: readonly string[]): Promise<StoredRule[]>;
    rulesWithDirectReferences?(benchmarkDocumentIds?: readonly string[]): Promise<StoredRule[]>;
  };
  baselines: {
    get(ref: string): Promise<Baseline | undefined>;
    controlsOf(documentId: string): Promise<{ id: string; title: string }[]>;
  };
  /** Whether a check decides the rule with this STIG id (src/checks/registry.ts). */
  automated(stigId: string): boolean;
}

const ruleKey = (r: StoredRule): string => `${r.documentId}\u0000${r.ruleId}`;

/** CCI → the mappings of it that name each control, for controls in `wanted` (all when undefined). */
function byControl(mappings: readonly ControlMapping[], wanted?: ReadonlySet<string>): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const m of mappings) {
    if (m.controlId === '' || (wanted !== undefined && !wanted.has(m.controlId))) continue;
    const ccis = out.get(m.controlId) ?? new Map<string, string[]>();
    const statements = ccis.get(m.cci) ?? [];
    if (!statements.includes(m.statementId)) statements.push(m.statementId);
    ccis.set(m.cci, statements);
    out.set(m.controlId, ccis);
  }
  return out;
}

/** A rule that cites SP 800-53 directly, with the statements its references name, for one control. */
interface DirectEvidence {
  rule: StoredRule;
  statementIds: string[];
}

export class DefaultCoverageService implements CoverageService {
  constructor(private readonly deps: CoverageDeps) {}

  /**
   * Rules with direct SP 800-53 rev5 references (a control no CCI covers, as in Plimsoll's own benchmark), by the
   * controls those references resolve to; only controls in `wanted` when given.
   */
  private async directEvidence(documentIds?: readonly string[], wanted?: ReadonlySet<string>): Promise<Map<string, DirectEvidence[]>> {
    const out = new Map<string, DirectEvidence[]>();
    const rules = (await this.deps.index.rulesWithDirectReferences?.(documentIds)) ?? [];
    if (rules.length === 0 || this.deps.library.mapReferencesToControls === undefined) return out;
    const mappings = await this.deps.library.mapReferencesToControls([...new Set(rules.flatMap((r) => directRev5References(r)))]);
    for (const rule of rules) {
      const refs = new Set(directRev5References(rule));
      const byControl = new Map<string, string[]>();
      for (const m of mappings) {
        if (!refs.has(m.index) || !m.resolved || (wanted !== undefined && !wanted.has(m.controlId))) continue;
        byControl.set(m.controlId, [...new Set([...(byControl.get(m.controlId) ?? []), m.statementId])]);
      }
      for (const [controlId, statementIds] of byControl) out.set(controlId, [...(out.get(controlId) ?? []), { rule, statementIds }]);
    }
    return out;
  }

  async rulesForControl(controlId: string): Promise<RuleEvidence[]> {
    const id = controlId.trim().toLowerCase();
    if (id === '') throw new PlimsollError(ErrorCode.BAD_INPUT, 'a control id is required (e.g. "cm-6" or "ac-2.1")');
    const mappings = await this.deps.library.mapCcisToControls(await this.deps.index.ruleCcis());
    const statementsByCci = byControl(mappings, new Set([id])).get(id) ?? new Map<string, string[]>();
    const rules = await this.deps.index.rulesCiting([...statementsByCci.keys()]);
    const direct = (await this.directEvidence(undefined, new Set([id]))).get(id) ?? [];
    const directByRule = new Map(direct.map((d) => [ruleKey(d.rule), d.statementIds]));
    // Rules citing the control directly (no CCI for it) join those citing it through CCIs, once each.
    const seen = new Set(rules.map(ruleKey));
    const all = [...rules, ...direct.map((d) => d.rule).filter((r) => !seen.has(ruleKey(r)))];
    const benchmarks = new Map((await this.deps.library.listDocuments('benchmark')).map((d) => [d.documentId, d]));
    return all.map((rule) => {
      const ccis = rule.ccis.filter((c) => statementsByCci.has(c));
      const statementIds = [...new Set([...ccis.flatMap((c) => statementsByCci.get(c) ?? []), ...(directByRule.get(ruleKey(rule)) ?? [])])];
      const doc = benchmarks.get(rule.documentId);
      const { documentId, ...body } = rule;
      return {
        benchmarkDocumentId: documentId,
        benchmarkId: doc?.id ?? '',
        ...(doc?.release !== undefined ? { benchmarkRelease: doc.release } : {}),
        rule: body,
        ccis,
        statementIds,
        automated: this.deps.automated(rule.stigId),
      };
    });
  }

  async baselineCoverage(baselineRef: string, options: { benchmark?: string } = {}): Promise<BaselineCoverage> {
    const baseline = await this.deps.baselines.get(baselineRef);
    if (!baseline) throw new PlimsollError(ErrorCode.NOT_FOUND, `no stored baseline "${baselineRef}" (a baseline document id or profile uuid)`);
    const benchmarks = await this.benchmarksOf(options.benchmark);
    const documentIds = benchmarks.map((b) => b.documentId);
    const controls = await this.deps.baselines.controlsOf(baseline.documentId);
    const ids = new Set(controls.map((c) => c.id));
    const mappings = await this.deps.library.mapCcisToControls(await this.deps.index.ruleCcis(documentIds));
    const cciByControl = byControl(mappings, ids);
    const ccis = [...new Set([...cciByControl.values()].flatMap((m) => [...m.keys()]))];
    const rules = await this.deps.index.rulesCiting(ccis, documentIds);
    const rulesByCci = new Map<string, StoredRule[]>();
    for (const r of rules) for (const c of r.ccis) rulesByCci.set(c, [...(rulesByCci.get(c) ?? []), r]);

    const direct = await this.directEvidence(documentIds, ids);
    const counted = new Map<string, boolean>();
    const perControl: ControlCoverage[] = controls.map((c) => {
      const evidence = new Map<string, StoredRule>();
      for (const cci of cciByControl.get(c.id)?.keys() ?? []) for (const r of rulesByCci.get(cci) ?? []) evidence.set(ruleKey(r), r);
      for (const d of direct.get(c.id) ?? []) evidence.set(ruleKey(d.rule), d.rule);
      let automatedRules = 0;
      for (const [key, r] of evidence) {
        const automated = this.deps.automated(r.stigId);
        counted.set(key, automated);
        if (automated) automatedRules += 1;
      }
      return { controlId: c.id, title: c.title, automatedRules, manualRules: evidence.size - automatedRules };
    });
    const covered = perControl.filter((c) => c.automatedRules + c.manualRules > 0);
    const automatedControls = perControl.filter((c) => c.automatedRules > 0).length;
    return {
      baselineDocumentId: baseline.documentId,
      benchmarkDocumentIds: documentIds,
      totalControls: perControl.length,
      coveredControls: covered.length,
      automatedControls,
      manualOnlyControls: covered.length - automatedControls,
      uncoveredControls: perControl.length - covered.length,
      ruleCount: counted.size,
      automatedRuleCount: [...counted.values()].filter(Boolean).length,
      controls: perControl,
    };
  }

  private async benchmarksOf(ref: string | undefined): Promise<StoredDocument[]> {
    if (ref === undefined) return this.deps.library.listDocuments('benchmark');
    const found = await this.deps.library.findBenchmark(ref);
    if (!found) throw new PlimsollError(ErrorCode.NOT_FOUND, `no stored benchmark "${ref}" (a document id or XCCDF benchmark id)`);
    return [found];
  }
}
