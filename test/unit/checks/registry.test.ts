import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS, checkFor } from '../../../src/checks/registry.js';
import { isDockerStigId } from '../../../src/checks/check.js';
import { DOCKER_STIG_V2R2, shared } from '../../harness/content.js';

/** STIG id → rule title of the real V2R2 XCCDF, read with a simple regex (not the project's parser). */
function v2r2Rules(): Map<string, string> {
  const xml = fs.readFileSync(shared(...DOCKER_STIG_V2R2), 'utf8');
  const rules = new Map<string, string>();
  for (const m of xml.matchAll(/<Rule\b[\s\S]*?<\/Rule>/g)) {
    const version = /<version>([^<]+)<\/version>/.exec(m[0])?.[1];
    const title = /<title>([^<]+)<\/title>/.exec(m[0])?.[1];
    if (version !== undefined && title !== undefined) rules.set(version.trim(), title.trim().replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  return rules;
}

describe('check registry', () => {
  const rules = v2r2Rules();

  it('reads the 101 rules of the real V2R2 benchmark', () => {
    expect(rules.size).toBe(101);
  });

  it('has checks with distinct STIG ids, each Docker STIG check a rule of V2R2 with the same title', () => {
    expect(CHECKS.length).toBeGreaterThanOrEqual(14);
    expect(new Set(CHECKS.map((c) => c.stigId)).size).toBe(CHECKS.length);
    // Plimsoll's own rules (PLM-…) belong to its own benchmark, not to the STIG.
    for (const c of CHECKS.filter((x) => isDockerStigId(x.stigId))) {
      expect(rules.has(c.stigId), c.stigId).toBe(true);
      expect(c.title, c.stigId).toBe(rules.get(c.stigId));
      expect(c.targetKinds.length, c.stigId).toBeGreaterThan(0);
    }
  });

  it("has every other check decide a rule of Plimsoll's own benchmark (PLM-…)", () => {
    const own = CHECKS.filter((c) => !isDockerStigId(c.stigId));
    expect(own.map((c) => c.stigId).filter((id) => !/^PLM-(?:SEC|ENV)-\d{3}$/.test(id))).toEqual([]);
    expect(own.map((c) => c.stigId)).toEqual(expect.arrayContaining(['PLM-SEC-001', 'PLM-SEC-002', 'PLM-SEC-003', 'PLM-SEC-004', 'PLM-SEC-005']));
    for (const c of own) expect(c.targetKinds.length, c.stigId).toBeGreaterThan(0);
  });

  it('finds a check by STIG id', () => {
    for (const c of CHECKS) expect(checkFor(c.stigId)).toBe(c);
    expect(checkFor('DKER-EE-001000')).toBeUndefined(); // a UCP setting: manual
    expect(checkFor('')).toBeUndefined();
  });
});
