/**
 * docs/stig-coverage.md is generated from the check registry and the manual-review reasons: the committed
 * document must be what the generator renders, every rule must be automated, explained or being automated,
 * and no rule may be both automated and listed as manual.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COVERAGE_DOC_PATH, GENERATE_COMMAND, generateStigData, loadBenchmark, REPO_ROOT } from '../../../scripts/generate-stig-data.js';
import { coverageOf, renderCoverageDoc } from '../../../src/checks/coverage-doc.js';
import { MANUAL_REASONS, manualReasonFor } from '../../../src/checks/manual-reasons.js';
import { CHECK_READINGS } from '../../../src/checks/readings.js';
import { CHECKS, checkFor } from '../../../src/checks/registry.js';
import { REMEDIATIONS } from '../../../src/checks/remediation.js';
import { DOCKER_STIG_V2R2, shared } from '../../harness/content.js';

const v2r2 = loadBenchmark(shared(...DOCKER_STIG_V2R2));
const planned = (id: string): boolean => Object.hasOwn(REMEDIATIONS, id);

describe('docs/stig-coverage.md', () => {
  it(`is what the generator renders (regenerate with ${GENERATE_COMMAND})`, () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, COVERAGE_DOC_PATH), 'utf8');
    expect(committed).toBe(generateStigData(shared(...DOCKER_STIG_V2R2)).get(COVERAGE_DOC_PATH));
  });

  it('has one line per V2R2 rule, in benchmark order, with severity and title', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, COVERAGE_DOC_PATH), 'utf8');
    const rows = doc.split('\n').filter((l) => l.startsWith('| DKER-EE-'));
    expect(rows).toHaveLength(101);
    expect(rows.map((l) => l.split(' | ')[0]!.slice(2))).toEqual(v2r2.rules.map((r) => r.stigId));
    expect(rows.find((l) => l.startsWith('| DKER-EE-002030 '))).toMatch(/^\| DKER-EE-002030 \| high \| All Docker Enterprise containers root filesystem must be mounted as read only\. \| automated \(container\) \|$/);
    expect(rows.find((l) => l.startsWith('| DKER-EE-001900 '))).toContain('manual, UCP/DTR setting');
  });

  it('leaves no rule unexplained, and no rule both automated and listed as manual', () => {
    const unexplained = v2r2.rules.filter((r) => coverageOf(r.stigId, { checkFor, manualReasonFor, planned }).kind === 'unexplained').map((r) => r.stigId);
    expect(unexplained).toEqual([]);
    expect(CHECKS.filter((c) => manualReasonFor(c.stigId) !== undefined).map((c) => c.stigId)).toEqual([]);
    expect(Object.keys(MANUAL_REASONS).filter((id) => planned(id))).toEqual([]);
    const ids = new Set(v2r2.rules.map((r) => r.stigId));
    expect(Object.keys(MANUAL_REASONS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('documents readings of automated rules only, and the platform filter of every rule that leaves containers out', () => {
    expect(Object.keys(CHECK_READINGS).filter((id) => checkFor(id) === undefined)).toEqual([]);
    const doc = fs.readFileSync(path.join(REPO_ROOT, COVERAGE_DOC_PATH), 'utf8');
    expect(doc).toContain('- DKER-EE-001250: Follows the text: IpcMode "shareable" is the finding');
    expect(doc).toContain('- DKER-EE-001190: `ucp|kubelet|dtr`');
    for (const c of CHECKS.filter((x) => x.platformFilter !== undefined)) expect(doc).toContain(`- ${c.stigId}: \`${c.platformFilter}\``);
    expect(CHECKS.find((c) => c.stigId === 'DKER-EE-001960')?.platformFilter).toBeUndefined();
  });

  it('describes automated rules by the facts their targets come from, and counts them', () => {
    const doc = renderCoverageDoc({
      benchmark: { title: 'T', version: '2', release: '2', file: 'f.xml' },
      rules: [
        { stigId: 'DKER-EE-1', severity: 'high', title: 'a | b' },
        { stigId: 'DKER-EE-2', severity: 'low', title: 'c' },
        { stigId: 'DKER-EE-3', severity: 'medium', title: 'd' },
        { stigId: 'DKER-EE-4', severity: 'medium', title: 'e' },
      ],
      checkFor: (id) => (id === 'DKER-EE-1' ? { targetKinds: ['container', 'image'] } : id === 'DKER-EE-2' ? { targetKinds: ['file', 'node'] } : undefined),
      manualReasonFor: (id) => (id === 'DKER-EE-3' ? { kind: 'siem', reason: 'SIEM alarms.' } : undefined),
      planned: () => false,
      command: 'gen',
    });
    expect(doc).toContain('| DKER-EE-1 | high | a \\| b | automated (container, engine) |');
    expect(doc).toContain('| DKER-EE-2 | low | c | automated (host) |');
    expect(doc).toContain('| DKER-EE-3 | medium | d | manual, SIEM configuration: SIEM alarms. |');
    expect(doc).toContain('| DKER-EE-4 | medium | e | manual: no check and no recorded reason |');
    expect(doc).toContain('- Automated: 2 (by facts read: container 1, engine 1, host 1)');
    expect(doc).toContain('- Without a check or a recorded reason: 1');
  });
});
