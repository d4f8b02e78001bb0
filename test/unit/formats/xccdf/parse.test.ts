import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchmarkDocument } from '../../../../src/domain/content.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { parseXml } from '../../../../src/formats/safe-xml.js';
import { parseBenchmark } from '../../../../src/formats/xccdf/parse.js';
import { parseBenchmarkDate, parseReleaseInfo } from '../../../../src/formats/xccdf/release-info.js';
import { checkContentHash, normalizeCheckContent } from '../../../../src/formats/xccdf/rule.js';
import { DOCKER_STIG_V2R1, DOCKER_STIG_V2R2, shared } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';

function load(...segments: string[]): BenchmarkDocument {
  const file = shared(...segments);
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'benchmark') throw new Error(`${file} is a ${fp.kind}`);
  return parseBenchmark(fp.root, file, fp.xccdfVersion);
}

describe('DISA Docker STIG', () => {
  const v2r2 = load(...DOCKER_STIG_V2R2);
  const v2r1 = load(...DOCKER_STIG_V2R1);

  it('reads benchmark id, version, release and date', () => {
    expect(v2r2).toMatchObject({
      benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG',
      title: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide',
      version: '2', release: '2', releaseDate: '2024-07-24', status: 'accepted', xccdfVersion: '1.1',
    });
    expect(v2r1).toMatchObject({ benchmarkId: v2r2.benchmarkId, version: '2', release: '1', releaseDate: '2021-04-23' });
  });

  it('has 101 rules in V2R2 and 100 in V2R1, V2R2 adding DKER-EE-999999', () => {
    expect(v2r2.rules).toHaveLength(101);
    expect(v2r1.rules).toHaveLength(100);
    const ids1 = new Set(v2r1.rules.map((r) => r.stigId));
    expect(v2r2.rules.map((r) => r.stigId).filter((s) => !ids1.has(s))).toEqual(['DKER-EE-999999']);
  });

  it('maps rule V-235802 completely', () => {
    const rule = v2r2.rules.find((r) => r.groupId === 'V-235802')!;
    expect(rule).toMatchObject({
      ruleId: 'SV-235802r960963_rule', stigId: 'DKER-EE-001960', severity: 'medium', weight: 10,
      title: 'Privileged Linux containers must not be used for Docker Enterprise.',
      ccis: ['CCI-000381'], legacyIds: ['SV-104777', 'V-95639'],
    });
    expect(rule.discussion).toMatch(/^Using the --privileged flag gives all Linux Kernel Capabilities/);
    expect(rule.discussion).not.toContain('<');
    expect(rule.checkContent).toContain("docker ps --quiet --all | grep -iv \"ucp\\|kube\\|dtr\"");
    expect(rule.fixText).toContain('Do not run containers with the --privileged flag.');
    expect(rule.checkContentHash).toBe(checkContentHash(rule.checkContent));
    expect(rule.checkContentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has unique rule and STIG ids and a hash per rule', () => {
    expect(new Set(v2r2.rules.map((r) => r.ruleId)).size).toBe(101);
    expect(new Set(v2r2.rules.map((r) => r.stigId)).size).toBe(101);
    expect(v2r2.rules.every((r) => r.checkContent.length > 0 && r.fixText.length > 0)).toBe(true);
  });

  it('resolves profile selections of groups to rule ids', () => {
    expect(v2r2.profiles.map((p) => p.id)).toContain('MAC-1_Classified');
    const mac1 = v2r2.profiles.find((p) => p.id === 'MAC-1_Classified')!;
    expect(mac1.title).toBe('I - Mission Critical Classified');
    expect(mac1.selectedRuleIds).toHaveLength(101);
    expect(mac1.selectedRuleIds).toContain('SV-235802r960963_rule');
  });

  it('keeps the check content hash of rules whose check text did not change between releases', () => {
    const old = new Map(v2r1.rules.map((r) => [r.stigId, r]));
    const same = v2r2.rules.filter((r) => old.get(r.stigId)?.checkContentHash === r.checkContentHash);
    const changed = v2r2.rules.filter((r) => old.has(r.stigId) && old.get(r.stigId)!.checkContentHash !== r.checkContentHash);
    for (const r of same) expect(normalizeCheckContent(old.get(r.stigId)!.checkContent)).toBe(normalizeCheckContent(r.checkContent));
    for (const r of changed) expect(normalizeCheckContent(old.get(r.stigId)!.checkContent)).not.toBe(normalizeCheckContent(r.checkContent));
    expect(same.length + changed.length).toBe(100);
  });
});

describe('other shared STIGs', () => {
  it.each([
    ['U_Kubernetes_STIG_V1R9_Manual-xccdf.xml', 95, '9'],
    ['U_Container_Platform_SRG_V2R1_Manual-xccdf.xml', 185, '1'],
    ['U_RHEL_9_STIG_V2R4_Manual-xccdf.xml', 452, '4'],
    ['U_CAN_Ubuntu_22-04_LTS_STIG_V2R4_Manual-xccdf.xml', 179, '4'],
    ['U_MS_Windows_Server_2022_STIG_V1R3_Manual-xccdf.xml', 273, '3'],
    ['U_AIX_6-1_V1R9_STIG_SCAP_1-1_Benchmark-xccdf.xml', 184, '9'],
  ])('%s has %i rules, release %s', (file, count, release) => {
    const doc = load('stig', file);
    expect(doc.rules).toHaveLength(count);
    expect(doc.release).toBe(release);
    expect(doc.releaseDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.rules.every((r) => r.stigId !== '' && r.groupId !== '')).toBe(true);
  });

  it('reads CCIs given with the older iase.disa.mil ident system and OVAL check references (AIX SCAP)', () => {
    const aix = load('stig', 'U_AIX_6-1_V1R9_STIG_SCAP_1-1_Benchmark-xccdf.xml');
    const rule = aix.rules.find((r) => r.ruleId === 'SV-38932r1_rule')!;
    expect(rule.stigId).toBe('GEN000400');
    expect(rule.ccis).toEqual(['CCI-000048']);
    expect(rule.checkContent.length).toBeGreaterThan(0);
  });
});

const XCCDF12 = `<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:h="http://www.w3.org/1999/xhtml" id="xccdf_org.example_benchmark_test">
  <status date="2024-05-06">draft</status>
  <title>Nested</title>
  <version>0.3</version>
  <Profile id="xccdf_org.example_profile_p"><title>P</title>
    <select idref="xccdf_org.example_group_outer" selected="true"/>
    <select idref="xccdf_org.example_rule_one" selected="true"/>
    <select idref="xccdf_org.example_rule_two" selected="false"/>
    <refine-value idref="xccdf_org.example_value_timeout" selector="long"/>
  </Profile>
  <Profile id="xccdf_org.example_profile_child" extends="xccdf_org.example_profile_p"><title>Child</title>
    <select idref="xccdf_org.example_group_inner" selected="false"/>
    <select idref="pair" selected="true"/>
  </Profile>
  <Profile id="xccdf_org.example_profile_group_only"><title>Group only</title>
    <select idref="xccdf_org.example_group_outer" selected="true"/>
  </Profile>
  <Value id="xccdf_org.example_value_timeout" type="number" operator="equals">
    <title>Timeout</title><value>600</value><value selector="long">900</value>
  </Value>
  <Group id="xccdf_org.example_group_outer"><title>Outer</title>
    <Group id="xccdf_org.example_group_inner"><title>Inner</title>
      <Rule id="xccdf_org.example_rule_one" severity="high" selected="false">
        <title>One</title>
        <description>Plain <h:b>text</h:b> description.<h:br/>Set <h:code>TMOUT=<sub idref="xccdf_org.example_value_timeout"/></h:code>.</description>
        <reference href="https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r5.pdf">AC-12, CM-6(a)</reference>
        <reference href="https://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53A.pdf">AC-99</reference>
        <reference href="https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cunix-linux">RHEL-09-000001</reference>
        <ident system="https://ncp.nist.gov/cce">CCE-1234-5</ident>
        <ident system="http://cyber.mil/cci">CCI-000366</ident>
        <fix system="urn:xccdf:fix:script:sh" reboot="false">echo TMOUT=<sub idref="xccdf_org.example_value_timeout"/></fix>
        <check system="urn:x"><check-content>  check
          one </check-content></check>
      </Rule>
    </Group>
    <Rule id="xccdf_org.example_rule_two" severity="info" cluster-id="pair"><title>Two</title>
      <complex-check operator="AND">
        <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:2"/></check>
      </complex-check>
    </Rule>
    <Rule id="xccdf_org.example_rule_three" severity="low" cluster-id="pair"><title>Three</title></Rule>
  </Group>
</Benchmark>`;

describe('XCCDF 1.2 and structure', () => {
  const doc = parseBenchmark(parseXml(XCCDF12, 'b12.xml'), 'b12.xml', '1.2');

  it('reads nested groups, 1.2 ids, idents, references and plain descriptions', () => {
    expect(doc).toMatchObject({ benchmarkId: 'xccdf_org.example_benchmark_test', version: '0.3', xccdfVersion: '1.2', status: 'draft', statusDate: '2024-05-06' });
    expect(doc.release).toBeUndefined();
    expect(doc.rules.map((r) => [r.ruleId, r.groupId, r.stigId, r.severity])).toEqual([
      ['xccdf_org.example_rule_one', 'xccdf_org.example_group_inner', 'RHEL-09-000001', 'high'],
      ['xccdf_org.example_rule_two', 'xccdf_org.example_group_outer', 'xccdf_org.example_rule_two', 'low'],
      ['xccdf_org.example_rule_three', 'xccdf_org.example_group_outer', 'xccdf_org.example_rule_three', 'low'],
    ]);
    const one = doc.rules[0]!;
    expect(one).toMatchObject({
      discussion: 'Plain text description.\nSet TMOUT=600.', ccis: ['CCI-000366'], legacyIds: ['CCE-1234-5'],
      groupPath: ['xccdf_org.example_group_outer', 'xccdf_org.example_group_inner'], selected: false,
      sp80053: [{ control: 'AC-12', revision: '5' }, { control: 'CM-6(a)', revision: '5' }],
      fixes: [{ system: 'urn:xccdf:fix:script:sh', reboot: false, content: 'echo TMOUT=600' }],
      valueIds: ['xccdf_org.example_value_timeout'],
    });
    expect(one.checkContent).toBe('check\n          one');
    expect(one.checkContentHash).toBe(checkContentHash('check one'));
    // Checks inside complex-check count; a reference-only check is hashed by system, href and name.
    expect(doc.rules[1]!.checkContent).toBe('[http://oval.mitre.org/XMLSchema/oval-definitions-5] oval.xml#oval:x:def:2');
    expect(doc.groups!.map((g) => [g.id, g.groups.map((i) => i.id), g.ruleIds])).toEqual([
      ['xccdf_org.example_group_outer', ['xccdf_org.example_group_inner'], ['xccdf_org.example_rule_two', 'xccdf_org.example_rule_three']],
    ]);
    expect(doc.values).toEqual([{
      id: 'xccdf_org.example_value_timeout', title: 'Timeout', type: 'number', operator: 'equals', groupId: '',
      values: [{ selector: '', value: '600' }, { selector: 'long', value: '900' }], defaultValue: '600',
    }]);
  });

  it('applies profile selections over defaults: a rule runs when it and all its groups are selected', () => {
    const byId = new Map(doc.profiles.map((p) => [p.id.replace('xccdf_org.example_profile_', ''), p]));
    // p: rule one switched on (its groups are on by default), rule two off, rule three on by default.
    expect(byId.get('p')!.selectedRuleIds).toEqual(['xccdf_org.example_rule_one', 'xccdf_org.example_rule_three']);
    expect(byId.get('p')!.refineValues).toEqual([{ valueId: 'xccdf_org.example_value_timeout', selector: 'long', value: '900' }]);
    // child inherits p, deselects the inner group (and so rule one) and selects the cluster "pair".
    expect(byId.get('child')).toMatchObject({
      extends: 'xccdf_org.example_profile_p',
      selectedRuleIds: ['xccdf_org.example_rule_two', 'xccdf_org.example_rule_three'],
      refineValues: [{ valueId: 'xccdf_org.example_value_timeout', selector: 'long', value: '900' }],
      selections: [{ idref: 'xccdf_org.example_group_inner', selected: false }, { idref: 'pair', selected: true }],
    });
    // Selecting a group does not switch on the rules in it that are off by default.
    expect(byId.get('group_only')!.selectedRuleIds).toEqual(['xccdf_org.example_rule_two', 'xccdf_org.example_rule_three']);
  });

  it('names the element and line of structural errors', () => {
    const ns = 'xmlns="http://checklists.nist.gov/xccdf/1.1"';
    const noId = thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b">\n<Group id="g">\n<Rule severity="low"/></Group></Benchmark>`, 'r.xml'), 'r.xml', '1.1'));
    expect(noId.code).toBe('CONTENT_INVALID');
    expect(noId.problems[0]).toMatchObject({ file: 'r.xml', line: 3 });
    expect(noId.message).toContain('<Rule> has no id attribute');
    const dup = thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b"><Rule id="r"/><Rule id="r"/></Benchmark>`, 'd.xml'), 'd.xml', '1.1'));
    expect(dup.message).toContain('duplicate item id "r"');
    const badSelect = thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b"><Profile id="p"><select idref="nope" selected="true"/></Profile><Rule id="r"/></Benchmark>`, 'p.xml'), 'p.xml', '1.1'));
    expect(badSelect.message).toContain('selects "nope"');
    const badExtends = thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b"><Profile id="p" extends="q"/><Profile id="q" extends="p"/><Rule id="r"/></Benchmark>`, 'x.xml'), 'x.xml', '1.1'));
    expect(badExtends.message).toContain('extends itself');
    const badRefine = thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b"><Profile id="p"><refine-value idref="v" selector="s"/></Profile><Rule id="r"/></Benchmark>`, 'v.xml'), 'v.xml', '1.1'));
    expect(badRefine.message).toContain('refines "v", which is no Value');
    expect(thrown(() => parseBenchmark(parseXml(`<Benchmark ${ns} id="b"/>`, 'e.xml'), 'e.xml', '1.1')).message).toContain('holds no <Rule>');
    expect(thrown(() => parseBenchmark(parseXml('<Benchmark id="b"><Rule id="r"/></Benchmark>', 'n.xml'), 'n.xml', '1.1')).message).toContain('expected the XCCDF 1.1 namespace');
  });
});

describe('release info', () => {
  it('parses DISA release lines and dates', () => {
    expect(parseReleaseInfo('Release: 2 Benchmark Date: 24 Jul 2024')).toEqual({ release: '2', releaseDate: '2024-07-24' });
    expect(parseReleaseInfo('Release: 10 Benchmark Date: 5 January 2021')).toEqual({ release: '10', releaseDate: '2021-01-05' });
    expect(parseReleaseInfo('nothing here')).toEqual({});
    expect(parseBenchmarkDate('31 Foo 2020')).toBeUndefined();
    expect(parseBenchmarkDate('2020-02-03')).toBe('2020-02-03');
  });
});
