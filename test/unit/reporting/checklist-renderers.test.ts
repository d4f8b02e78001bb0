import fs from 'node:fs';
import { reviewsFromCkl, reviewsFromCklb } from '@nuwcdivnpt/stig-manager-client-modules';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/domain/assessment.js';
import { checklistImports, GENERATED_COMMENTS_MARKER } from '../../../src/domain/checklist.js';
import type { BenchmarkDocument, BenchmarkGroup } from '../../../src/domain/content.js';
import type { Observation, RuleResult, RuleStatus } from '../../../src/domain/results.js';
import { checklistEntries } from '../../../src/formats/ckl/checklist-read.js';
import { readChecklist } from '../../../src/formats/ckl/read-checklist.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseBenchmark } from '../../../src/formats/xccdf/parse.js';
import { buildChecklist, type ChecklistAttestation, type ChecklistReportInput, type ChecklistRuleDetails, MAX_LISTED_TARGETS } from '../../../src/reporting/checklist-builder.js';
import { cklbRenderer, cklRenderer } from '../../../src/reporting/checklist-renderers.js';
import type { ArNode } from '../../../src/reporting/oscal-ar-builder.js';
import { DOCKER_STIG_V2R2, shared } from '../../harness/content.js';
import { thrown } from '../../harness/errors.js';
import { READER_OPTIONS } from '../../harness/stig-manager-reader.js';
import { reportInput } from './report-input.js';

const COLLECTED = '2026-11-30T10:00:00.000Z';
const file = shared(...DOCKER_STIG_V2R2);
const fp = fingerprint(file, fs.readFileSync(file));
if (fp.kind !== 'benchmark') throw new Error('not a benchmark');
const benchmark: BenchmarkDocument = parseBenchmark(fp.root, file, fp.xccdfVersion);

function groupTitles(groups: readonly BenchmarkGroup[], out = new Map<string, string>()): Map<string, string> {
  for (const g of groups) {
    out.set(g.id, g.title);
    groupTitles(g.groups, out);
  }
  return out;
}
const titles = groupTitles(benchmark.groups ?? []);
const details: ChecklistRuleDetails[] = benchmark.rules.map((r) => ({ ...r, groupTitle: titles.get(r.groupId) ?? '' }));

const NODE: ArNode = {
  id: 'node-a',
  name: 'alpha',
  endpoint: 'tcp://10.0.0.4:2376',
  collectedAt: COLLECTED,
  engineVersion: '26.1.5',
  asset: {
    hostName: { value: 'alpha-host', source: 'host', detail: '/etc/hostname', recordedAt: COLLECTED },
    fqdn: { value: 'alpha.example.mil', source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
    ipAddresses: { value: ['10.0.0.4', 'fd00::4'], source: 'host', detail: '/etc/hosts', recordedAt: COLLECTED },
    macAddresses: { value: ['02:42:ac:11:00:02'], source: 'host', detail: '/sys/class/net/eth0/address', recordedAt: COLLECTED },
    os: { value: 'Debian GNU/Linux 12 (bookworm)', source: 'engine', detail: 'GET /info OperatingSystem', recordedAt: COLLECTED },
    role: { value: 'Member Server', source: 'assessor', detail: 'set by isso', recordedAt: COLLECTED, recordedBy: 'isso' },
  },
};

const HOSTILE_NAME = 'web<&>"\'\u0001]]>';

function observation(name: string, verdict: 'pass' | 'fail'): Observation {
  return { target: { kind: 'container', id: `id-${name}`, name }, field: 'HostConfig.Privileged', value: verdict === 'fail', expected: 'false', verdict, message: `${name} ${verdict}`, collectedAt: COLLECTED };
}

/** Every rule of the benchmark with a status cycling through all of them; failing rules fail on many containers. */
function input(extra: Partial<ChecklistReportInput> = {}): ChecklistReportInput {
  const cycle: RuleStatus[] = ['pass', 'fail', 'not-checked', 'not-applicable', 'error'];
  const results: RuleResult[] = benchmark.rules.map((r, i) => {
    const status = cycle[i % cycle.length]!;
    const observations =
      status === 'fail'
        ? [observation(HOSTILE_NAME, 'fail'), ...Array.from({ length: i === 1 ? 30 : 1 }, (_, k) => observation(`svc-${k}`, 'fail')), observation('db', 'pass')]
        : status === 'pass'
          ? [observation('db', 'pass')]
          : [];
    return {
      nodeId: NODE.id, stigId: r.stigId, ruleId: r.ruleId, groupId: r.groupId, checkContentHash: r.checkContentHash, title: r.title, severity: r.severity,
      status, message: status === 'not-checked' ? 'Manual review: the check text asks a person.' : status === 'error' ? 'GET /info failed: engine-error' : `${status} on alpha`,
      observations, controlIds: [], ccis: r.ccis, fixText: r.fixText,
      ...(i === 6 ? { exemption: { id: 'ex-1', name: 'legacy-web', justification: 'Vendor image needs it until Q3 <2027> & "then" gone.', approvedBy: 'ao-bob', approvedAt: '2026-11-01T00:00:00Z', expiresAt: '2027-06-30' } } : {}),
    };
  });
  const base = reportInput({
    assessment: { id: 'asm-1', status: 'completed', benchmarkDocumentId: 'doc-v2r2', benchmarkId: benchmark.benchmarkId, benchmarkTitle: benchmark.title, benchmarkVersion: '2', benchmarkRelease: '2', nodeIds: [NODE.id], startedAt: COLLECTED, finishedAt: COLLECTED, startedBy: 'alice', summary: summarize(results) },
    results,
    benchmark: { documentId: 'doc-v2r2', benchmarkId: benchmark.benchmarkId, title: benchmark.title, version: '2', release: '2', releaseDate: '2024-07-24', sourceFile: '/content/U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml' },
    nodes: [NODE],
  });
  return { ...base, ruleDetails: details, ...extra };
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('STIG Viewer checklists of an assessment', () => {
  it('hold the asset facts, STIG info and every rule of the benchmark with STIG Viewer\'s attributes', async () => {
    const ckl = text(await cklRenderer.render(input()));
    const read = readChecklist(ckl, 'alpha.ckl');
    expect(read.checklist.asset).toMatchObject({ hostName: 'alpha-host', fqdn: 'alpha.example.mil', ip: '10.0.0.4, fd00::4', mac: '02:42:ac:11:00:02', role: 'Member Server', assetType: 'Computing' });
    expect(read.checklist.asset.comment).toContain('Debian GNU/Linux 12');
    const stig = read.checklist.stigs[0]!;
    expect(stig.info).toMatchObject({ stigId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', version: '2', releaseInfo: 'Release: 2 Benchmark Date: 24 Jul 2024', fileName: 'U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml' });
    expect(stig.rules).toHaveLength(101);
    const r = stig.rules.find((x) => x.groupId === 'V-235802')!;
    const source = benchmark.rules.find((x) => x.groupId === 'V-235802')!;
    expect(r).toMatchObject({ ruleId: source.ruleId, stigId: source.stigId, ruleTitle: source.title, severity: source.severity, discussion: source.discussion, checkContent: source.checkContent, fixText: source.fixText, ccis: source.ccis, legacyIds: source.legacyIds });
    expect(r.groupTitle).toMatch(/^SRG-/);
    for (const attribute of ['Vuln_Num', 'Severity', 'Group_Title', 'Rule_ID', 'Rule_Ver', 'Rule_Title', 'Vuln_Discuss', 'Check_Content', 'Fix_Text', 'CCI_REF', 'STIGRef', 'STIG_UUID']) {
      expect(ckl).toContain(`<VULN_ATTRIBUTE>${attribute}</VULN_ATTRIBUTE>`);
    }
    expect(cklRenderer.fileName(input())).toBe('alpha_Docker_Enterprise_2-x_Linux-UNIX_STIG_V2R2.ckl');
  });

  it('map statuses, keep an accepted risk open with a lower severity, and list failing targets concisely', () => {
    const c = buildChecklist(input());
    const rules = c.stigs[0]!.rules;
    expect(rules.slice(0, 5).map((r) => r.status)).toEqual(['not-a-finding', 'open', 'not-reviewed', 'not-applicable', 'not-reviewed']);
    const failing = rules[1]!;
    expect(failing.findingDetails.split('\n')[0]).toBe('Plimsoll automated check (Plimsoll 0.1.0) on alpha, facts collected 2026-11-30T10:00:00.000Z: fail.');
    expect(failing.findingDetails).toContain(`Failing targets (31 of 32):`);
    expect(failing.findingDetails).toContain(`- container ${HOSTILE_NAME.replace('\u0001', '\uFFFD')}: HostConfig.Privileged = true (expected false)`);
    expect(failing.findingDetails).toContain(`… and ${31 - MAX_LISTED_TARGETS} more`);
    const accepted = rules[6]!;
    expect(accepted.status).toBe('open');
    expect(accepted.severityOverride).toEqual({ severity: accepted.severity === 'high' ? 'medium' : 'low', reason: expect.stringContaining('legacy-web (ex-1), approved by ao-bob, expires 2027-06-30') });
    expect(accepted.comments).toContain(`${GENERATED_COMMENTS_MARKER}\nRisk accepted: exemption legacy-web (ex-1) approved by ao-bob`);
    expect(rules[4]!.comments).toContain('The check could not decide this rule (error)');
  });

  it('are read by STIG Manager\'s parser with the same statuses, details and comments (CKL and CKLB)', async () => {
    const c = buildChecklist(input());
    const expected = new Map(c.stigs[0]!.rules.map((r) => [r.ruleId, r]));
    const RESULT = { 'not-a-finding': 'pass', open: 'fail', 'not-applicable': 'notapplicable', 'not-reviewed': 'notchecked' } as const;
    for (const [parse, bytes] of [
      [reviewsFromCkl, await cklRenderer.render(input())],
      [reviewsFromCklb, await cklbRenderer.render(input())],
    ] as const) {
      const parsed = parse({ data: text(bytes), ...READER_OPTIONS });
      expect(parsed.target).toMatchObject({ name: 'alpha-host', fqdn: 'alpha.example.mil' });
      expect(parsed.checklists[0]).toMatchObject({ benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', revisionStr: 'V2R2' });
      expect(parsed.checklists[0]!.reviews).toHaveLength(101);
      for (const review of parsed.checklists[0]!.reviews) {
        const ours = expected.get(review.ruleId)!;
        expect(review.result).toBe(RESULT[ours.status]);
        // The CKL parser trims values; U+0001 (not XML) is U+FFFD in both formats.
        expect(review.detail).toBe(ours.findingDetails.trim());
        expect(review.detail).not.toContain('\u0001');
        expect(review.comment).toBe(ours.comments.trim());
      }
    }
  });

  it('refuse to pick a node of a fleet for the caller', () => {
    const two = input();
    const e = thrown(() => buildChecklist({ ...two, nodes: [NODE, { ...NODE, id: 'node-b', name: 'beta' }] }));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('alpha, beta');
  });
});

describe('checklist round trip: export → import → export', () => {
  it('imports a reviewer\'s answers as reviews and, once accepted, exports the same bytes', async () => {
    // An accepted review answers the manual rule at index 2 (not-checked).
    const manual = benchmark.rules[2]!;
    const attestation: ChecklistAttestation = {
      nodeId: NODE.id, ruleId: manual.ruleId, reviewId: 'rev-1', result: 'not-applicable', statement: 'UCP is not deployed on this node.\n\nChecked <ucp> & "dtr" containers: none.',
      submittedBy: 'carol', submittedAt: '2026-11-20T09:00:00Z', acceptedBy: 'dave', acceptedAt: '2026-11-21T09:00:00Z', expiresAt: '2027-11-21', writtenFor: 'V2R2',
    };
    for (const renderer of [cklRenderer, cklbRenderer]) {
      const first = text(await renderer.render(input({ attestations: [attestation] })));
      const read = readChecklist(first, `alpha.${renderer.format}`);
      const { imports, skipped } = checklistImports(checklistEntries(read));
      // Only the reviewer's answer is a review: automated verdicts, unreviewed rules are left out.
      expect(imports).toEqual([
        expect.objectContaining({ benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', release: 'V2R2', ruleId: manual.ruleId, stigId: manual.stigId, result: 'not-applicable', statement: attestation.statement }),
      ]);
      expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['automated', 'not-reviewed']));
      // The imported review, accepted by another person, answers the rule again: the export is unchanged.
      const again = imports.map((i) => ({ ...attestation, ruleId: i.ruleId, result: i.result, statement: i.statement }));
      expect(text(await renderer.render(input({ attestations: again })))).toBe(first);
    }
  });

  it('renders one assessment to the same bytes every time', async () => {
    expect(text(await cklbRenderer.render(input()))).toBe(text(await cklbRenderer.render(input())));
    expect(text(await cklRenderer.render(input()))).toBe(text(await cklRenderer.render(input())));
  });
});
