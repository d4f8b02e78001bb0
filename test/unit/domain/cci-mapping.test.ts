import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CatalogView, catalogViewOf, controlIdOf, dedupeMappings, mapCci, parseCciIndex } from '../../../src/domain/cci-mapping.js';
import type { CciItem } from '../../../src/domain/content.js';
import { parseCciList } from '../../../src/formats/cci/parse.js';
import { fingerprint } from '../../../src/formats/fingerprint.js';
import { parseCatalogJson } from '../../../src/formats/oscal/catalog-json.js';
import { parseBenchmark } from '../../../src/formats/xccdf/parse.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared } from '../../harness/content.js';

describe('parseCciIndex', () => {
  it.each([
    ['CM-6 b', [{ index: 'CM-6 b', controlId: 'cm-6', statementId: 'cm-6_smt.b' }]],
    ['AC-2 (1)', [{ index: 'AC-2 (1)', controlId: 'ac-2.1', statementId: 'ac-2.1' }]],
    ['AC-1 a 1 (a)', [{ index: 'AC-1 a 1 (a)', controlId: 'ac-1', statementId: 'ac-1_smt.a.1.a' }]],
    ['SC-7 (4) (a)', [{ index: 'SC-7 (4) (a)', controlId: 'sc-7.4', statementId: 'sc-7.4_smt.a' }]],
    ['IA-11', [{ index: 'IA-11', controlId: 'ia-11', statementId: 'ia-11' }]],
    ['AC-02(12)', [{ index: 'AC-02(12)', controlId: 'ac-2.12', statementId: 'ac-2.12' }]],
    ['SC-37, SC-37 (1)', [
      { index: 'SC-37', controlId: 'sc-37', statementId: 'sc-37' },
      { index: 'SC-37 (1)', controlId: 'sc-37.1', statementId: 'sc-37.1' },
    ]],
  ])('%s', (index, expected) => {
    expect(parseCciIndex(index)).toEqual(expected);
  });

  it('gives no target for text that is no index', () => {
    expect(parseCciIndex('AC-1.1 (i and ii)')).toEqual([]);
    expect(parseCciIndex('see policy')).toEqual([]);
    expect(parseCciIndex('')).toEqual([]);
  });

  it('finds the control of a statement id', () => {
    expect(controlIdOf('cm-6_smt.b')).toBe('cm-6');
    expect(controlIdOf('ac-2.1')).toBe('ac-2.1');
  });
});

describe('mapCci with a hand-made catalog', () => {
  const view = catalogViewOf([
    { id: 'xx-1', title: 'XX-1', parts: [{ name: 'statement', id: 'xx-1_smt', parts: [{ name: 'item', id: 'xx-1_smt.a' }] }], controls: [
      { id: 'xx-1.1', title: 'gone', props: [{ name: 'status', value: 'withdrawn' }], links: [{ rel: 'moved-to', href: '#xx-1.2' }] },
      { id: 'xx-1.2', title: 'also gone', props: [{ name: 'status', value: 'withdrawn' }], links: [{ rel: 'incorporated-into', href: '#xx-1_smt.a' }, { rel: 'related', href: '#xx-1' }] },
    ] },
  ], 'doc-1');
  const item = (refs: [string, string][]): CciItem => ({ id: 'CCI-000001', definition: '', references: refs.map(([version, index]) => ({ title: `NIST SP 800-53 Revision ${version}`, version, index })) });

  it('prefers rev5 references and marks unknown statements unresolved', () => {
    expect(mapCci(item([['5', 'XX-1 a'], ['5', 'XX-1 b'], ['4', 'XX-1 (1)']]), [view])).toEqual([
      { cci: 'CCI-000001', index: 'XX-1 a', revision: '5', controlId: 'xx-1', statementId: 'xx-1_smt.a', catalogDocumentId: 'doc-1', resolved: true },
      { cci: 'CCI-000001', index: 'XX-1 b', revision: '5', controlId: 'xx-1', statementId: 'xx-1_smt.b', resolved: false },
    ]);
  });

  it('follows chains of withdrawn links for rev4-only CCIs, ignoring other link relations', () => {
    expect(mapCci(item([['4', 'XX-1 (1)']]), [view])).toEqual([
      { cci: 'CCI-000001', index: 'XX-1 (1)', revision: '4', controlId: 'xx-1', statementId: 'xx-1_smt.a', catalogDocumentId: 'doc-1', resolved: true, via: 'xx-1.1 moved-to xx-1.2; xx-1.2 incorporated-into xx-1_smt.a' },
    ]);
  });

  it('maps a rev4-only CCI of a live control to the whole control', () => {
    expect(mapCci(item([['4', 'XX-1 a']]), [view])).toEqual([
      { cci: 'CCI-000001', index: 'XX-1 a', revision: '4', controlId: 'xx-1', statementId: 'xx-1', catalogDocumentId: 'doc-1', resolved: true },
    ]);
  });

  it('ignores 800-53A and rev3 references and reports unparseable indexes', () => {
    const cci: CciItem = { id: 'CCI-000002', definition: '', references: [
      { title: 'NIST SP 800-53A', version: '1', index: 'XX-1.1 (ii)' },
      { title: 'NIST SP 800-53', version: '3', index: 'XX-1' },
    ] };
    expect(mapCci(cci, [view])).toEqual([]);
    expect(mapCci(item([['5', '???']]), [view])).toEqual([{ cci: 'CCI-000001', index: '???', revision: '5', controlId: '', statementId: '', resolved: false }]);
  });

  it('removes duplicate mappings', () => {
    const m = mapCci(item([['5', 'XX-1 a']]), [view]);
    expect(dedupeMappings([...m, ...m])).toEqual(m);
  });
});

describe('mapCci with the real CCI list and the 5.0.1 catalog', () => {
  const read = (file: string) => fingerprint(file, fs.readFileSync(file));
  const cciFp = read(shared(...CCI_LIST));
  const catFp = read(shared(...REV5_CATALOG_JSON));
  const stigFp = read(shared(...DOCKER_STIG_V2R2));
  if (cciFp.kind !== 'cci-list' || catFp.kind !== 'catalog' || catFp.format !== 'json' || stigFp.kind !== 'benchmark') throw new Error('unexpected content');
  const cci = parseCciList(cciFp.root, 'cci');
  const catalog = parseCatalogJson(catFp.json, 'catalog', { oscalSchemaPath: shared(...OSCAL_SCHEMA_112) });
  const view: CatalogView = catalogViewOf([...catalog.controls, ...catalog.groups.flatMap((g) => g.controls ?? [])], 'rev5');
  const byId = new Map(cci.items.map((i) => [i.id, i]));
  const stig = parseBenchmark(stigFp.root, 'stig', stigFp.xccdfVersion);

  it('resolves at least 3,811 of the 3,814 rev5 references; the rest are statements 5.0.1 lacks', () => {
    let resolved = 0;
    const unresolved: string[] = [];
    for (const item of cci.items) {
      for (const ref of item.references.filter((r) => r.version === '5')) {
        const ms = mapCci({ ...item, references: [ref] }, [view]);
        if (ms.length > 0 && ms.every((m) => m.resolved)) resolved += 1;
        else unresolved.push(ref.index);
      }
    }
    expect(resolved).toBeGreaterThanOrEqual(3811);
    expect(resolved + unresolved.length).toBe(3814);
    expect(unresolved.sort()).toEqual(['IR-2 c', 'SI-18 b 1']);
  });

  it('maps CCI-000381 to cm-7_smt.a', () => {
    expect(mapCci(byId.get('CCI-000381')!, [view])).toEqual([
      { cci: 'CCI-000381', index: 'CM-7 a', revision: '5', controlId: 'cm-7', statementId: 'cm-7_smt.a', catalogDocumentId: 'rev5', resolved: true },
    ]);
  });

  it('maps the 13 Docker STIG CCIs without rev5 references through rev4, following withdrawn links', () => {
    const ccis = [...new Set(stig.rules.flatMap((r) => r.ccis))];
    expect(ccis).toHaveLength(96);
    const rev4Only = ccis.filter((c) => !byId.get(c)!.references.some((r) => r.version === '5'));
    expect(rev4Only).toHaveLength(13);
    const mappings = rev4Only.flatMap((c) => mapCci(byId.get(c)!, [view]));
    expect(mappings.every((m) => m.resolved && m.revision === '4')).toBe(true);
    expect(new Set(mappings.map((m) => m.cci)).size).toBe(13);
    const via = Object.fromEntries(mappings.filter((m) => m.via !== undefined).map((m) => [m.cci, [m.statementId, m.via]]));
    expect(via).toEqual({
      'CCI-001749': ['cm-14', 'cm-5.3 moved-to cm-14'],
      'CCI-000767': ['ia-2.1', 'ia-2.3 incorporated-into ia-2.1'],
      'CCI-000768': ['ia-2.2', 'ia-2.4 incorporated-into ia-2.2'],
      'CCI-001811': ['cm-8.3', 'cm-11.1 incorporated-into cm-8.3'],
      'CCI-001462': ['au-14', 'au-14.2 incorporated-into au-14'],
    });
    // rev4 statement letters do not carry over: IA-5 (1) (f) maps to the whole enhancement.
    expect(mappings.find((m) => m.cci === 'CCI-002041')).toMatchObject({ index: 'IA-5 (1) (f)', statementId: 'ia-5.1' });
  });
});
