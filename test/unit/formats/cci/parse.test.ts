import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCciList } from '../../../../src/formats/cci/parse.js';
import { fingerprint } from '../../../../src/formats/fingerprint.js';
import { parseXml } from '../../../../src/formats/safe-xml.js';
import { CCI_LIST, shared } from '../../../harness/content.js';
import { thrown } from '../../../harness/errors.js';

const NS = 'xmlns="http://iase.disa.mil/cci"';

describe('DISA CCI list', () => {
  const file = shared(...CCI_LIST);
  const fp = fingerprint(file, fs.readFileSync(file));
  if (fp.kind !== 'cci-list') throw new Error('not a CCI list');
  const list = parseCciList(fp.root, file);

  it('reads version, publish date and all 5,098 items', () => {
    expect(list).toMatchObject({ kind: 'cci-list', version: '2023-06-07', publishDate: '2023-06-07' });
    expect(list.items).toHaveLength(5098);
  });

  it('reads CCI-000381 with its rev4 and rev5 references', () => {
    const item = list.items.find((i) => i.id === 'CCI-000381')!;
    expect(item).toMatchObject({ definition: 'Configure the system to provide only organization-defined mission essential capabilities.', type: 'technical', status: 'draft' });
    expect(item.references).toContainEqual({ title: 'NIST SP 800-53 Revision 5', version: '5', index: 'CM-7 a' });
    expect(item.references).toContainEqual({ title: 'NIST SP 800-53 Revision 4', version: '4', index: 'CM-7 a' });
    expect(item.references).toHaveLength(4);
  });

  it('holds 3,814 rev5 references', () => {
    const rev5 = list.items.flatMap((i) => i.references).filter((r) => r.version === '5' && r.title === 'NIST SP 800-53 Revision 5');
    expect(rev5).toHaveLength(3814);
  });
});

describe('CCI list errors', () => {
  it('names the element and line of bad items', () => {
    const noId = thrown(() => parseCciList(parseXml(`<cci_list ${NS}><metadata><version>1</version></metadata><cci_items>\n<cci_item><definition>x</definition></cci_item></cci_items></cci_list>`, 'c.xml'), 'c.xml'));
    expect(noId.code).toBe('CONTENT_INVALID');
    expect(noId.problems[0]).toMatchObject({ file: 'c.xml', line: 2 });
    expect(noId.message).toContain('<cci_item> has no id attribute');
    const badRef = thrown(() => parseCciList(parseXml(`<cci_list ${NS}><metadata><version>1</version></metadata><cci_items><cci_item id="CCI-000001"><references><reference title="t" version="5"/></references></cci_item></cci_items></cci_list>`, 'r.xml'), 'r.xml'));
    expect(badRef.message).toContain('needs title, version and index');
    const noVersion = thrown(() => parseCciList(parseXml(`<cci_list ${NS}><metadata/><cci_items/></cci_list>`, 'v.xml'), 'v.xml'));
    expect(noVersion.message).toContain('no <metadata><version>');
    const dup = thrown(() => parseCciList(parseXml(`<cci_list ${NS}><metadata><version>1</version></metadata><cci_items><cci_item id="CCI-000001"/><cci_item id="CCI-000001"/></cci_items></cci_list>`, 'd.xml'), 'd.xml'));
    expect(dup.message).toContain('duplicate CCI id "CCI-000001"');
  });
});
