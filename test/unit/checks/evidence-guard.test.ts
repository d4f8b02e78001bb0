/**
 * No verdict without evidence, for every automated rule: generated from the check registry. Each rule passes
 * on at least one compliant node; on each such node, every piece of data the rule reads is taken away in
 * turn (see test/harness/evidence-guard.ts), and the rule must not pass. A new check is covered here
 * without new test code. The last test shows the guard catching a deliberately lax check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../../src/checks/check.js';
import { CHECKS } from '../../../src/checks/registry.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../src/domain/results.js';
import { RECORDED_GUN } from '../../fixtures/tuf/recorded.js';
import { evidenceGaps, recordReads } from '../../harness/evidence-guard.js';
import { compliantNodes } from './compliant-nodes.js';

let nodes: { name: string; facts: NodeFacts }[] = [];
beforeAll(async () => {
  nodes = await compliantNodes();
});

describe('no verdict without evidence (every automated rule)', () => {
  for (const check of CHECKS) {
    it(`${check.stigId} never passes once data it reads is missing or unreadable`, () => {
      const passing = nodes.filter((n) => check.evaluate(n.facts).status === 'pass');
      expect(passing.map((n) => n.name), `${check.stigId} passes on no compliant node: ${nodes.map((n) => `${n.name}: ${check.evaluate(n.facts).message}`).join(' | ')}`).not.toEqual([]);
      for (const node of passing) {
        const { tried, gaps } = evidenceGaps(check, node.facts);
        expect(tried, `${check.stigId} on ${node.name}: nothing to take away`).toBeGreaterThan(0);
        expect(gaps.map((g) => g.what), `${check.stigId} on ${node.name} still passes after`).toEqual([]);
      }
    });
  }
});

describe('asset facts are never evidence', () => {
  it('no check reads the asset part (host name, hosts file, interfaces): it names a host for checklists, it decides no rule', () => {
    for (const node of nodes) expect(node.facts.asset?.status, `${node.name} has no collected asset part to watch`).toBe('collected');
    const readers = CHECKS.flatMap((check) => nodes.flatMap((n) => recordReads(check, n.facts).reads.filter((p) => p[0] === 'asset').map((p) => `${check.stigId} reads ${p.join('.')}`)));
    // A check that starts reading it must get the asset part's unreadable files and failed part into
    // test/harness/evidence-guard.ts (mutationsFor) first, so the guard takes them away like the host part's.
    expect(readers).toEqual([]);
    // The watch works: a check reading the host name is seen.
    const probe: Check = { stigId: 'PROBE', title: 'probe', targetKinds: ['node'], evaluate: (f) => ({ status: f.asset?.status === 'collected' && f.asset.data.hostname === null ? 'pass' : 'fail', message: '', observations: [] }) };
    expect(recordReads(probe, nodes[0]!.facts).reads).toContainEqual(['asset', 'data', 'hostname']);
  });
});

describe('the evidence guard', () => {
  /** A lax privileged rule: a missing Privileged field reads as false. */
  const lax: Check = {
    stigId: 'LAX-001960',
    title: 'lax',
    targetKinds: ['container'],
    evaluate(facts): CheckOutcome {
      const privileged = facts.containers.filter((c) => (c.inspect.HostConfig as { Privileged?: unknown } | undefined)?.Privileged === true);
      return { status: privileged.length > 0 ? 'fail' : 'pass', message: '', observations: [] };
    },
  };

  it('catches a check that reads a missing field as safe', () => {
    const node = nodes[0]!;
    expect(recordReads(lax, node.facts).reads).toContainEqual(['containers', 0, 'inspect', 'HostConfig', 'Privileged']);
    const { status, gaps } = evidenceGaps(lax, node.facts);
    expect(status).toBe('pass');
    expect(gaps.map((g) => g.what)).toEqual(expect.arrayContaining(['delete containers.0.inspect.HostConfig.Privileged', 'delete containers.0.inspect.HostConfig']));
  });

  it('catches a host rule that reads an unreadable file as absent', () => {
    const node = nodes[0]!;
    const absentIsFine: Check = {
      stigId: 'LAX-005330',
      title: 'lax',
      targetKinds: ['file'],
      evaluate(facts): CheckOutcome {
        const f = facts.host?.status === 'collected' ? facts.host.data.files.find((x) => x.path === '/etc/docker/daemon.json') : undefined;
        return { status: f?.exists === true && f.mode !== '644' && f.mode !== '600' ? 'fail' : 'pass', message: '', observations: [] };
      },
    };
    expect(evidenceGaps(absentIsFine, node.facts).gaps.map((g) => g.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^host file #\d+ fails to stat$/), 'host part failed']));
  });

  it('catches a trust check that reads a missing TUF field, or a missing repository status, as safe', () => {
    const node = nodes[0]!;
    const laxExpiry: Check = {
      stigId: 'LAX-003610',
      title: 'lax',
      targetKinds: ['image'],
      evaluate(facts): CheckOutcome {
        const repos = facts.trust?.status === 'collected' ? Object.values(facts.trust.data.repositories) : [];
        // Reads the timestamp's expiry without verifying anything: a missing `expires` compares as not expired.
        const expired = repos.some((r) => r.status === 'found' && (JSON.parse(r.files.timestamp) as { signed: { expires?: string } }).signed.expires! < facts.collectedAt);
        return { status: repos.length === 0 || expired ? 'fail' : 'pass', message: '', observations: [] };
      },
    };
    const files = `trust.data.repositories.${RECORDED_GUN}.files`;
    expect(evidenceGaps(laxExpiry, node.facts).gaps.map((g) => g.what)).toEqual(
      expect.arrayContaining([`delete signed.expires in ${files}.timestamp`, `delete trust.data.repositories.${RECORDED_GUN}.status`]),
    );
  });
});
