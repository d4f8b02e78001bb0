import fs from 'node:fs';
import path from 'node:path';
import { reviewsFromCkl, reviewsFromCklb } from '@nuwcdivnpt/stig-manager-client-modules';
import { describe, expect, it } from 'vitest';
import type { Checklist, ChecklistRule } from '../../../../src/domain/checklist.js';
import { checklistEntries } from '../../../../src/formats/ckl/checklist-read.js';
import { readCkl } from '../../../../src/formats/ckl/ckl-reader.js';
import { writeCkl } from '../../../../src/formats/ckl/ckl-writer.js';
import { readCklb, writeCklb } from '../../../../src/formats/ckl/cklb.js';
import { checklistFormatOf, readChecklist } from '../../../../src/formats/ckl/read-checklist.js';
import { repoRoot } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';
import { READER_OPTIONS } from '../../../harness/stig-manager-reader.js';

const SAMPLES = path.join(repoRoot, 'test', 'fixtures', 'checklists', 'stig-manager');

function rule(over: Partial<ChecklistRule>): ChecklistRule {
  return {
    groupId: 'V-235802', groupTitle: 'SRG-APP-000141-CTR-000315', ruleId: 'SV-235802r960963_rule', stigId: 'DKER-EE-001960',
    ruleTitle: 'The Docker Enterprise hosts process namespace must not be shared.', severity: 'medium', weight: '10.0',
    discussion: 'Sharing the host PID namespace <breaks> isolation & more.', checkContent: 'docker ps --quiet --all | xargs docker inspect --format \'{{ .Id }}: PidMode={{ .HostConfig.PidMode }}\'',
    fixText: 'Do not run with --pid=host.', falsePositives: '', falseNegatives: '', documentable: 'false', mitigations: '', potentialImpacts: '',
    thirdPartyTools: '', mitigationControl: '', responsibility: '', securityOverrideGuidance: '', iaControls: '', checkContentRef: 'M',
    classification: 'Unclass', legacyIds: ['SV-104777', 'V-95639'], ccis: ['CCI-000381'], status: 'open', findingDetails: 'container web: HostConfig.PidMode = "host"',
    comments: 'Reviewed.', ...over,
  };
}

/** A checklist with every status, hostile text and a severity override. */
function sampleChecklist(): Checklist {
  return {
    title: 'node-1: Docker Enterprise 2.x Linux/UNIX STIG',
    id: '3f0e4b1c-2d5a-5c6b-8e7f-0a1b2c3d4e5f',
    asset: {
      assetType: 'Computing', hostName: 'node-1', ip: '10.0.0.5, fd00::5', mac: '02:42:ac:11:00:02', fqdn: 'node-1.example.mil', role: 'Member Server',
      techArea: '', comment: 'Docker node node-1 (tcp://10.0.0.5:2376)', marking: 'CUI', webOrDatabase: false, webDbSite: '', webDbInstance: '',
    },
    stigs: [
      {
        info: {
          stigId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', title: 'Docker Enterprise 2.x Linux/UNIX Security Technical Implementation Guide', version: '2',
          releaseInfo: 'Release: 2 Benchmark Date: 24 Jul 2024', fileName: 'U_Docker_Enterprise_2-x_Linux-Unix_STIG_V2R2_Manual-xccdf.xml',
          uuid: '0b0c6a3e-6a7d-5e0f-9a63-3c2e1f4d5b6a', classification: 'UNCLASSIFIED', description: '', notice: 'terms-of-use', source: 'STIG.DOD.MIL',
        },
        rules: [
          rule({}),
          rule({ ruleId: 'SV-2_rule', stigId: 'DKER-EE-2', groupId: 'V-2', status: 'not-a-finding', severity: 'high', comments: '', findingDetails: 'All 3 containers pass.' }),
          rule({ ruleId: 'SV-3_rule', stigId: 'DKER-EE-3', groupId: 'V-3', status: 'not-applicable', severity: 'low', comments: 'Swarm not used.' }),
          rule({ ruleId: 'SV-4_rule', stigId: 'DKER-EE-4', groupId: 'V-4', status: 'not-reviewed', comments: '', findingDetails: '' }),
          rule({
            ruleId: 'SV-5_rule', stigId: 'DKER-EE-5', groupId: 'V-5', status: 'open', severity: 'high',
            findingDetails: 'container <script>alert("x")</script> & ]]> \'q\'\r\n\ttabbed  ',
            comments: '  leading and trailing spaces  \n\nsecond paragraph',
            severityOverride: { severity: 'medium', reason: 'Risk accepted by exemption e-1 "legacy" <until 2027>' },
          }),
        ],
      },
    ],
  };
}

describe('CKL writer and reader', () => {
  it('reads back exactly what it wrote (a CKL has no title or id of its own)', () => {
    const c = sampleChecklist();
    const read = readCkl(writeCkl(c, 'Plimsoll test'), 'node-1.ckl');
    expect(read.checklist.asset).toEqual(c.asset);
    expect(read.checklist.stigs).toEqual(c.stigs);
    expect(read.places[0]![0]).toMatch(/^line \d+$/);
  });

  it('is read by STIG Manager\'s own parser with the same statuses, details and comments', () => {
    const c = sampleChecklist();
    const parsed = reviewsFromCkl({ data: writeCkl(c, 'Plimsoll test'), ...READER_OPTIONS });
    expect(parsed.target).toMatchObject({ name: 'node-1', ip: '10.0.0.5, fd00::5', mac: '02:42:ac:11:00:02', fqdn: 'node-1.example.mil', noncomputing: false });
    expect(parsed.target.metadata).toMatchObject({ cklRole: 'Member Server' });
    const [checklist] = parsed.checklists;
    expect(checklist).toMatchObject({ benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', revisionStr: 'V2R2' });
    const results = Object.fromEntries(checklist!.reviews.map((r: { ruleId: string; result: string }) => [r.ruleId, r.result]));
    expect(results).toEqual({ 'SV-235802r960963_rule': 'fail', 'SV-2_rule': 'pass', 'SV-3_rule': 'notapplicable', 'SV-4_rule': 'notchecked', 'SV-5_rule': 'fail' });
    // Its XML parser trims values; the text is otherwise the same: markup-like text, entities, carriage returns.
    for (const r of checklist!.reviews as { ruleId: string; detail: string; comment: string }[]) {
      const ours = c.stigs[0]!.rules.find((x) => x.ruleId === r.ruleId)!;
      expect(r.detail).toBe(ours.findingDetails.trim());
      expect(r.comment).toBe(ours.comments.trim());
    }
  });

  it('reads STIG Manager\'s sample CKL, entities decoded', () => {
    const file = path.join(SAMPLES, 'html-decode.ckl');
    const read = readChecklist(fs.readFileSync(file), file);
    expect(read.format).toBe('ckl');
    expect(read.checklist.asset).toMatchObject({ hostName: 'Asset_aaaaaaaaaa', ip: '10.2.2.2', fqdn: 'hostname', assetType: 'Non-Computing', marking: 'NONE', role: 'None' });
    const [entry] = checklistEntries(read);
    expect(entry).toMatchObject({ benchmarkId: 'RHEL_9_TRUNCATED', release: 'V1R1', ruleId: 'SV-207191r803418_rule', stigId: 'SRG-NET-000063-VPN-000210', groupId: 'V-207191', status: 'open', comments: 'xyz', statement: 'xyz' });
    expect(entry!.findingDetails).toBe('& < > " \' & < & < > " \'');
    const independent = reviewsFromCkl({ data: fs.readFileSync(file, 'utf8'), ...READER_OPTIONS }).checklists[0].reviews[0];
    expect(independent).toMatchObject({ ruleId: entry!.ruleId, result: 'fail', detail: entry!.findingDetails, comment: entry!.comments });
  });
});

describe('CKLB writer and reader', () => {
  it('reads back exactly what it wrote', () => {
    const c = sampleChecklist();
    expect(readCklb(writeCklb(c), 'node-1.cklb').checklist).toEqual(c);
  });

  it('writes STIG Viewer 3 statuses, overrides and target data', () => {
    const doc = JSON.parse(writeCklb(sampleChecklist())) as { stigs: { rules: Record<string, unknown>[] }[]; target_data: Record<string, unknown> };
    expect(doc.stigs[0]!.rules.map((r) => r.status)).toEqual(['open', 'not_a_finding', 'not_applicable', 'not_reviewed', 'open']);
    expect(doc.stigs[0]!.rules[4]!.overrides).toEqual({ severity: { severity: 'medium', reason: 'Risk accepted by exemption e-1 "legacy" <until 2027>' } });
    expect(doc.stigs[0]!.rules[0]).toMatchObject({ rule_id_src: 'SV-235802r960963_rule', rule_id: 'SV-235802r960963', rule_version: 'DKER-EE-001960', group_id: 'V-235802', ccis: ['CCI-000381'] });
    expect(doc.target_data).toMatchObject({ host_name: 'node-1', ip_address: '10.0.0.5, fd00::5', mac_address: '02:42:ac:11:00:02', fqdn: 'node-1.example.mil', role: 'Member Server' });
  });

  it('is read by STIG Manager\'s own parser with the same statuses, details and comments', () => {
    const c = sampleChecklist();
    const parsed = reviewsFromCklb({ data: writeCklb(c), ...READER_OPTIONS });
    expect(parsed.target).toMatchObject({ name: 'node-1', fqdn: 'node-1.example.mil' });
    const [checklist] = parsed.checklists;
    expect(checklist).toMatchObject({ benchmarkId: 'Docker_Enterprise_2-x_Linux-UNIX_STIG', revisionStr: 'V2R2' });
    for (const r of checklist!.reviews as { ruleId: string; result: string; detail: string; comment: string }[]) {
      const ours = c.stigs[0]!.rules.find((x) => x.ruleId === r.ruleId)!;
      expect(r.result).toBe({ 'not-a-finding': 'pass', open: 'fail', 'not-applicable': 'notapplicable', 'not-reviewed': 'notchecked' }[ours.status]);
      expect(r.detail).toBe(ours.findingDetails);
      expect(r.comment).toBe(ours.comments);
    }
    expect(checklist!.reviews).toHaveLength(5);
  });

  it('reads STIG Manager\'s sample CKLB', () => {
    const file = path.join(SAMPLES, 'AllClassifications.cklb');
    const read = readChecklist(fs.readFileSync(file), file);
    expect(read.format).toBe('cklb');
    expect(read.checklist.asset).toMatchObject({ hostName: 'hostname', ip: '1.1.1.1', mac: 'ad:12:ef:ef:ef', fqdn: 'test.domain.com', assetType: 'Non-Computing', webOrDatabase: true, webDbSite: 'MyWebSite' });
    const rule0 = read.checklist.stigs[0]!.rules[0]!;
    expect(rule0).toMatchObject({ groupTitle: 'SRG-OS-000445-GPOS-00199', ruleId: 'SV-272496r1082184_rule', stigId: 'RHEL-09-431016', status: 'not-reviewed', legacyIds: ['SV-70979', 'V-56719'], ccis: ['CCI-002235'] });
    expect(checklistEntries(read)[0]).toMatchObject({ benchmarkId: 'RHEL_9_STIG', release: 'V2R4', comments: 'comment', findingDetails: 'detail', place: '/stigs/0/rules/0' });
    const independent = reviewsFromCklb({ data: fs.readFileSync(file, 'utf8'), ...READER_OPTIONS }).checklists[0];
    expect(independent).toMatchObject({ benchmarkId: 'RHEL_9_STIG', revisionStr: 'V2R4' });
    // Re-written by Plimsoll, the sample still reads the same (its own extra fields aside).
    expect(readCklb(writeCklb(read.checklist), 'again.cklb').checklist).toEqual(read.checklist);
  });
});

describe('hostile and bad checklists', () => {
  it('refuses external entities (XXE) and entity expansion before expanding anything', () => {
    const xxe = '<?xml version="1.0"?>\n<!DOCTYPE CHECKLIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<CHECKLIST><ASSET><HOST_NAME>&x;</HOST_NAME></ASSET><STIGS/></CHECKLIST>';
    const e = thrown(() => readChecklist(xxe, 'evil.ckl'));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.message).toMatch(/^evil\.ckl:2:\d+: DOCTYPE declarations are not allowed/);
    expect(e.message).not.toContain('passwd');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><CHECKLIST>&lol2;</CHECKLIST>`;
    expect(thrown(() => readChecklist(laughs, 'laughs.ckl')).message).toMatch(/DOCTYPE declarations are not allowed/);
  });

  it('refuses a file over the size limit before parsing it', () => {
    const huge = writeCkl(sampleChecklist(), 'x').replace('<COMMENTS>Reviewed.</COMMENTS>', `<COMMENTS>${'A'.repeat(70_000)}</COMMENTS>`);
    expect(thrown(() => readChecklist(huge, 'huge.ckl', { maxBytes: 64_000 })).message).toMatch(/^huge\.ckl: checklist is \d+ bytes, larger than the limit of 64000 bytes/);
    const hugeJson = writeCklb(sampleChecklist()).replace('"Reviewed."', `"${'A'.repeat(70_000)}"`);
    expect(thrown(() => readChecklist(hugeJson, 'huge.cklb', { maxBytes: 64_000 })).message).toMatch(/^huge\.cklb: checklist is/);
  });

  it('refuses elements nested deeper than a checklist ever nests', () => {
    const deep = `<CHECKLIST>${'<A>'.repeat(40)}${'</A>'.repeat(40)}</CHECKLIST>`;
    expect(thrown(() => readChecklist(deep, 'deep.ckl')).message).toMatch(/^deep\.ckl:1:\d+: elements are nested deeper than the limit of 32$/);
  });

  it('names the line of a bad CKL and the JSON pointer of a bad CKLB, never quoting content', () => {
    const badStatus = writeCkl(sampleChecklist(), 'x').replace('<STATUS>NotAFinding</STATUS>', '<STATUS>Secret_Status_Value</STATUS>');
    const e1 = thrown(() => readChecklist(badStatus, 'bad.ckl'));
    expect(e1.message).toMatch(/^bad\.ckl:\d+: rule SV-2_rule: STATUS is not one of NotAFinding, Open, Not_Applicable, Not_Reviewed$/);
    expect(e1.message).not.toContain('Secret_Status_Value');
    const truncated = writeCkl(sampleChecklist(), 'x').slice(0, 2000);
    expect(thrown(() => readChecklist(truncated, 'cut.ckl')).message).toMatch(/^cut\.ckl:\d+:\d+: /);
    expect(thrown(() => readChecklist('<?xml version="1.0"?><Benchmark/>', 'other.ckl')).message).toBe('other.ckl:1: not a CKL: the document element is not <CHECKLIST>');

    const doc = JSON.parse(writeCklb(sampleChecklist())) as { stigs: { rules: Record<string, unknown>[] }[] };
    doc.stigs[0]!.rules[3]!.status = 'Secret_Status_Value';
    const e2 = thrown(() => readChecklist(JSON.stringify(doc), 'bad.cklb'));
    expect(e2.message).toBe('bad.cklb#/stigs/0/rules/3/status: status is not one of not_a_finding, open, not_applicable, not_reviewed');
    doc.stigs[0]!.rules[3]!.status = 'open';
    doc.stigs[0]!.rules[1]!.comments = { nested: true };
    expect(thrown(() => readChecklist(JSON.stringify(doc), 'bad.cklb')).message).toBe('bad.cklb#/stigs/0/rules/1/comments: expected a string');
    expect(thrown(() => readChecklist('{"stigs": [', 'cut.cklb')).message).toMatch(/^cut\.cklb:1:\d+: malformed JSON/);
    expect(thrown(() => readChecklist(`{"stigs":${'['.repeat(300)}`, 'deep.cklb')).message).toMatch(/nested deeper than the limit/);
  });

  it('tells the formats apart by content', () => {
    expect(checklistFormatOf('\uFEFF  {"stigs": []}')).toBe('cklb');
    expect(checklistFormatOf('<?xml version="1.0"?><CHECKLIST/>')).toBe('ckl');
    expect(checklistFormatOf(new TextEncoder().encode('\n{'))).toBe('cklb');
  });
});
