import { reviewsFromCkl, reviewsFromCklb } from '@nuwcdivnpt/stig-manager-client-modules';
import { describe, expect, it } from 'vitest';
import { checklistImports, GENERATED_COMMENTS_MARKER } from '../../../src/domain/checklist.js';
import { checklistEntries } from '../../../src/formats/ckl/checklist-read.js';
import { readChecklist } from '../../../src/formats/ckl/read-checklist.js';
import { buildChecklist, type ChecklistAttestation, MAX_LISTED_TARGETS } from '../../../src/reporting/checklist-builder.js';
import { cklbRenderer, cklRenderer } from '../../../src/reporting/checklist-renderers.js';
import { thrown } from '../../harness/errors.js';
import { READER_OPTIONS } from '../../harness/stig-manager-reader.js';
import { benchmark, checklistInput, HOSTILE_NAME, NODE } from './checklist-input.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('STIG Viewer checklists of an assessment', () => {
  it('hold the asset facts, STIG info and every rule of the benchmark with STIG Viewer\'s attributes', async () => {
    const ckl = text(await cklRenderer.render(checklistInput()));
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
    expect(cklRenderer.fileName({ assessmentId: 'asm-1', node: { id: NODE.id, name: 'alpha/../x y' } })).toBe('alpha_.._x_y_asm-1.ckl');
    expect(cklbRenderer.fileName({ assessmentId: 'asm-1' })).toBe('checklist_asm-1.cklb');
  });

  it('map statuses, keep an accepted risk open with a lower severity, and list failing targets concisely', () => {
    const c = buildChecklist(checklistInput());
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
    const c = buildChecklist(checklistInput());
    const expected = new Map(c.stigs[0]!.rules.map((r) => [r.ruleId, r]));
    const RESULT = { 'not-a-finding': 'pass', open: 'fail', 'not-applicable': 'notapplicable', 'not-reviewed': 'notchecked' } as const;
    for (const [parse, bytes] of [
      [reviewsFromCkl, await cklRenderer.render(checklistInput())],
      [reviewsFromCklb, await cklbRenderer.render(checklistInput())],
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
    const two = checklistInput();
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
      const first = text(await renderer.render(checklistInput({ attestations: [attestation] })));
      const read = readChecklist(first, `alpha.${renderer.format}`);
      const { imports, skipped } = checklistImports(checklistEntries(read));
      // Only the reviewer's answer is a review: automated verdicts, unreviewed rules are left out.
      expect(imports).toEqual([
        expect.objectContaining({ benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', release: 'V2R2', ruleId: manual.ruleId, stigId: manual.stigId, result: 'not-applicable', statement: attestation.statement }),
      ]);
      expect(new Set(skipped.map((s) => s.reason))).toEqual(new Set(['automated', 'not-reviewed']));
      // The imported review, accepted by another person, answers the rule again: the export is unchanged.
      const again = imports.map((i) => ({ ...attestation, ruleId: i.ruleId, result: i.result, statement: i.statement }));
      expect(text(await renderer.render(checklistInput({ attestations: again })))).toBe(first);
    }
  });

  it('reads the attestation an assessment applied to a result, and lowers the category for an accepted risk only', async () => {
    const manual = benchmark.rules[2]!;
    const base = checklistInput();
    const attestation = { reviewId: 'rev-9', result: 'fail' as const, statement: 'Two admins share one UCP account.', submittedBy: 'carol', submittedAt: '2026-11-20T09:00:00Z', acceptedBy: 'dave', acceptedAt: '2026-11-21T09:00:00Z', expiresAt: '2027-11-21', writtenFor: 'V2R2', evidence: [] };
    const results = base.results.map((r, i) =>
      r.ruleId === manual.ruleId ? { ...r, status: 'fail' as const, attestation } : i === 6 ? { ...r, exemption: { ...r.exemption!, kind: 'false-positive' as const } } : r,
    );
    const c = buildChecklist({ ...base, results });
    const answered = c.stigs[0]!.rules[2]!;
    expect(answered).toMatchObject({ status: 'open', findingDetails: 'Not decided by a check: Manual review: the check text asks a person.' });
    expect(answered.comments.startsWith(`${attestation.statement}\n\n${GENERATED_COMMENTS_MARKER}\nAttested (review rev-9, written for V2R2)`)).toBe(true);
    expect(c.stigs[0]!.rules[6]!.severityOverride).toBeUndefined();
    expect(c.stigs[0]!.rules[6]!.comments).toContain('False positive (approved): exemption legacy-web');
    // Imported back and applied by the next assessment, the same answer gives the same checklist.
    const read = readChecklist(text(await cklRenderer.render({ ...base, results })), 'alpha.ckl');
    const [imported] = checklistImports(checklistEntries(read)).imports;
    expect(imported).toMatchObject({ ruleId: manual.ruleId, result: 'fail', statement: attestation.statement });
    const reapplied = base.results.map((r, i) => (r.ruleId === manual.ruleId ? { ...r, status: imported!.result, attestation: { ...attestation, statement: imported!.statement } } : i === 6 ? { ...r, exemption: { ...r.exemption!, kind: 'false-positive' as const } } : r));
    expect(text(await cklRenderer.render({ ...base, results: reapplied }))).toBe(text(await cklRenderer.render({ ...base, results })));
  });

  it('renders one assessment to the same bytes every time', async () => {
    expect(text(await cklbRenderer.render(checklistInput()))).toBe(text(await cklbRenderer.render(checklistInput())));
    expect(text(await cklRenderer.render(checklistInput()))).toBe(text(await cklRenderer.render(checklistInput())));
  });
});
