/** A checklist input over the real Docker STIG V2R2: every rule, statuses cycling through all of them, one node with asset facts. */
import fs from 'node:fs';
import { summarize } from '../../../src/domain/assessment.js';
import type { BenchmarkDocument } from '../../../src/domain/content.js';
import type { Observation, RuleResult, RuleStatus } from '../../../src/domain/results.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseBenchmark } from '../../../src/formats/xccdf/parse.js';
import type { ChecklistReportInput, ChecklistRuleDetails } from '../../../src/reporting/checklist-builder.js';
import type { ArNode } from '../../../src/reporting/oscal-ar-builder.js';
import { DOCKER_STIG_V2R2, shared } from '../../harness/content.js';
import { reportInput } from './report-input.js';

const COLLECTED = '2026-11-30T10:00:00.000Z';
const file = shared(...DOCKER_STIG_V2R2);
const fp = fingerprint(file, fs.readFileSync(file));
if (fp.kind !== 'benchmark') throw new Error('not a benchmark');
export const benchmark: BenchmarkDocument = parseBenchmark(fp.root, file, fp.xccdfVersion);

/** The rules as the library stores them: the parser keeps each rule's group title (the SRG id). */
const details: ChecklistRuleDetails[] = benchmark.rules;

export const NODE: ArNode = {
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

export const HOSTILE_NAME = 'web<&>"\'\u0001]]>';

function observation(name: string, verdict: 'pass' | 'fail'): Observation {
  return { target: { kind: 'container', id: `id-${name}`, name }, field: 'HostConfig.Privileged', value: verdict === 'fail', expected: 'false', verdict, message: `${name} ${verdict}`, collectedAt: COLLECTED };
}

/** Every rule of the benchmark with a status cycling through all of them; failing rules fail on many containers. */
export function checklistInput(extra: Partial<ChecklistReportInput> = {}): ChecklistReportInput {
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

