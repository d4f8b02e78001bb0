/**
 * A run collects only the parts its rules' checks read (src/checks/parts-read.ts). Guard: every check, on the
 * compliant nodes (full facts on which each automated rule passes somewhere), decides exactly the same with the
 * facts limited to the parts a run of that rule alone collects.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS, checkFor } from '../../../src/checks/registry.js';
import { ALL_PARTS, partsToCollect } from '../../../src/checks/parts-read.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import { compliantNodes } from './compliant-nodes.js';

function limited(facts: NodeFacts, parts: ReadonlySet<string>): NodeFacts {
  const copy: Record<string, unknown> = { ...facts };
  for (const p of ALL_PARTS) if (!parts.has(p)) delete copy[p];
  return copy as unknown as NodeFacts;
}

describe('parts read by the checks', () => {
  it('decide every check the same on the parts a run of its rule collects as on all facts', async () => {
    const nodes = await compliantNodes();
    for (const node of nodes) for (const p of ALL_PARTS) expect(node.facts[p], `${node.name} has ${p}`).toMatchObject({ status: 'collected' });
    for (const check of CHECKS) {
      const parts = partsToCollect([check.stigId], checkFor);
      for (const node of nodes) {
        expect(check.evaluate(limited(node.facts, parts)), `${check.stigId} on ${node.name} with ${[...parts].join(', ')}`).toEqual(check.evaluate(node.facts));
      }
    }
  });


  it('collect what collecting the parts needs, the asset facts always, and everything for a check that says nothing readable', () => {
    expect([...partsToCollect([], checkFor)]).toEqual(['asset']);
    const host = partsToCollect(['x'], () => ({ targetKinds: ['file'] }));
    expect([...host].sort()).toEqual(['asset', 'daemon', 'host']);
    const trust = partsToCollect(['x'], () => ({ targetKinds: ['image'], facts: ['trust'] }));
    expect([...trust].sort()).toEqual(['asset', 'engine', 'registries', 'trust']);
    expect(partsToCollect(['x'], () => ({ targetKinds: [], facts: ['kernel'] })).size).toBe(ALL_PARTS.length);
  });
});
