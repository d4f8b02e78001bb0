/** Profile resolution features NIST's baselines do not exercise, on small hand-made fixtures. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OscalControl } from '../../../../src/domain/content.js';
import { ErrorCode } from '../../../../src/domain/errors.js';
import type { ProfileDocument, ResolvedCatalog } from '../../../../src/domain/profile.js';
import { resolveProfile, resolveProfileFile, resolvedControlIds } from '../../../../src/library/profile-resolution/builder.js';
import { FileSourceLoader } from '../../../../src/library/profile-resolution/source-loader.js';
import { OSCAL_SCHEMA_112, repoRoot, shared } from '../../../harness/content.js';
import { rejection } from '../../../harness/errors.js';

const schema = shared(...OSCAL_SCHEMA_112);
const fixture = (name: string): string => path.join(repoRoot, 'test', 'fixtures', 'oscal-profiles', name);
const resolve = (name: string): Promise<ResolvedCatalog> => resolveProfileFile(fixture(name), { oscalSchemaPath: schema, now: () => new Date('2024-05-06T07:08:09Z') });
const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const R4 = '44444444-4444-4444-8444-444444444444';

function control(r: ResolvedCatalog, id: string): OscalControl {
  const found: OscalControl[] = [];
  const visit = (cs: readonly OscalControl[] | undefined): void => cs?.forEach((c) => (c.id === id && found.push(c), visit(c.controls)));
  visit(r.controls);
  const groups = (gs: ResolvedCatalog['groups']): void => gs.forEach((g) => (visit(g.controls), groups(g.groups ?? [])));
  groups(r.groups);
  expect(found, `control ${id}`).toHaveLength(1);
  return found[0]!;
}

describe('selection', () => {
  it('selects by glob pattern and with-child-controls, lets exclusion win, and keeps unselected parents as shells (as-is)', async () => {
    const r = await resolve('select-match_profile.json');
    expect(resolvedControlIds(r)).toEqual(['a-1', 'a-1.1', 'a-1.2', 'a-1.2.1', 'b-1', 'b-1.1']);
    // a-1.2 is excluded but holds the selected a-1.2.1: it stays as a shell with its id, class and title only.
    expect(control(r, 'a-1').controls!.map((c) => c.id)).toEqual(['a-1.1', 'a-1.2']);
    expect(control(r, 'a-1.2')).toEqual({ id: 'a-1.2', class: 'test', title: 'Enhancement A1.2', controls: [expect.objectContaining({ id: 'a-1.2.1' })] });
    expect(control(r, 'a-1').params?.map((p) => p.id)).toEqual(['a-1_prm_1', 'a-1_prm_2']);
    // Groups: b keeps its subgroup and only the loose parameter the result inserts.
    expect(r.groups.map((g) => g.id)).toEqual(['a', 'b']);
    expect(r.groups[1]).toMatchObject({ id: 'b', class: 'family', title: 'Group B', params: [{ id: 'b_prm_loose', label: 'loose value' }] });
    expect(r.groups[1]!.controls).toBeUndefined();
    expect(r.groups[1]!.groups!.map((g) => g.id)).toEqual(['b-sub']);
    expect(r.backMatter.map((b) => b.uuid)).toEqual([R1, R4]);
    expect(r.warnings).toEqual([expect.objectContaining({ pointer: '/profile/imports/0/include-controls/1', message: 'with-ids name no control of the source: zz-9' })]);
  });

  it('with no merge directive, gives flat controls in catalog order and hoists referenced loose params', async () => {
    const r = await resolve('flat_profile.json');
    expect(r.groups).toEqual([]);
    expect(r.controls.map((c) => c.id)).toEqual(['a-1', 'a-1.1', 'a-1.2', 'a-1.2.1', 'b-2', 'b-1', 'b-1.1']);
    expect(r.controls.every((c) => c.controls === undefined)).toBe(true);
    expect(r.params).toEqual([{ id: 'b_prm_loose', label: 'loose value' }]);
    expect(r.backMatter.map((b) => b.uuid)).toEqual([R1, R2, R4]);
  });
});

describe('modification', () => {
  it('sets parameters: label and values replace, select goes, props/constraints/guidelines are added', async () => {
    const r = await resolve('modify_profile.json');
    const [p1, p2] = control(r, 'a-1').params!;
    expect(p1).toEqual({
      id: 'a-1_prm_1',
      label: 'review frequency',
      values: ['monthly'],
      props: [{ name: 'origin', value: 'profile' }],
      constraints: [{ description: 'At least monthly.', tests: [{ expression: 'days <= 31' }] }],
      guidelines: ['Pick a calendar month.'],
    });
    expect(p2).toEqual({ id: 'a-1_prm_2', values: ['daily'] });
  });

  it('alters: removes by name, id and item name; adds at start, end, after and inside an element by id', async () => {
    const r = await resolve('modify_profile.json');
    const a1 = control(r, 'a-1');
    expect(a1.props).toEqual([{ name: 'priority', value: 'P1' }, { name: 'label', value: 'A-1' }, { name: 'baseline', value: 'modify' }]);
    expect(a1.links).toBeUndefined();
    expect(a1.parts!.map((p) => p.id)).toEqual(['a-1_smt']);
    expect(a1.parts![0]!.parts!.map((p) => p.id)).toEqual(['a-1_smt.a', 'a-1_smt.a2', 'a-1_smt.b', 'a-1_smt.c']);
    expect(a1.parts![0]!.parts![2]!.props).toEqual([{ name: 'note', value: 'first' }]);
    expect(control(r, 'a-2')).toMatchObject({ title: 'Control A2 (tailored)', links: [{ href: `#${R2}`, rel: 'reference' }] });
    // with-child-controls brings direct children only.
    expect(resolvedControlIds(r)).toEqual(['a-1', 'a-1.1', 'a-1.2', 'a-2']);
    // The link to R1 was removed, the one to R2 added: the back matter follows.
    expect(r.backMatter.map((b) => b.uuid)).toEqual([R2, R4]);
    expect(r.warnings.map((w) => [w.pointer, w.message])).toEqual([
      ['/profile/modify/set-parameters/2', 'set-parameters: no parameter "zz_prm" in the resolved catalog'],
      ['/profile/modify/alters/2', 'alter: control "b-1" is not in the resolved catalog'],
    ]);
  });

  it('works on copies: the catalog a loader caches is the same for the next profile', async () => {
    const loader = new FileSourceLoader({ oscalSchemaPath: schema });
    const profile = async (name: string): Promise<ProfileDocument> => {
      const source = await loader.load(fixture(name), fixture(name));
      if (source.kind !== 'profile') throw new Error('not a profile');
      return source.profile;
    };
    const modified = await resolveProfile(await profile('modify_profile.json'), loader);
    const plain = await resolveProfile(await profile('select-match_profile.json'), loader);
    expect(control(modified, 'a-1').props).toHaveLength(3);
    expect(control(plain, 'a-1').props).toEqual([{ name: 'label', value: 'A-1' }, { name: 'status', value: 'draft', class: 'x' }]);
    expect(control(plain, 'a-1').params![0]).toEqual({ id: 'a-1_prm_1', label: 'frequency' });
  });
});

describe('merge', () => {
  it('places controls in a custom structure from an XML profile, sorted as asked, and applies XML modifications', async () => {
    const r = await resolve('custom_profile.xml');
    expect(r.controls.map((c) => c.id)).toEqual(['b-2']);
    expect(r.groups).toHaveLength(1);
    const g1 = r.groups[0]!;
    expect(g1).toMatchObject({ id: 'g1', class: 'custom', title: 'First *custom* group', props: [{ name: 'label', value: 'G1' }], parts: [{ name: 'overview', id: 'g1_ovw', prose: 'Controls of **group A**.' }] });
    expect(g1.controls!.map((c) => c.id)).toEqual(['a-2', 'a-1']);
    expect(g1.controls![1]!.controls!.map((c) => c.id)).toEqual(['a-1.1']);
    expect(g1.groups!.map((g) => [g.id, g.title, g.controls!.map((c) => c.id)])).toEqual([['g2', 'Nested', ['b-1']]]);
    expect(control(r, 'b-1').controls!.map((c) => c.id)).toEqual(['b-1.1']);
    expect(r.params).toEqual([{ id: 'b_prm_loose', label: 'loose value' }]);
    expect(control(r, 'a-1').params![0]).toEqual({ id: 'a-1_prm_1', label: 'set from "XML"', values: ['quarterly'] });
    expect(control(r, 'a-2').parts).toEqual([{ name: 'statement', id: 'a-2_smt_new', prose: 'Replaced *statement*.' }]);
    expect(r.metadataProps).toEqual([
      { name: 'resolution-timestamp', value: '2024-05-06T07:08:09.000Z' },
      { name: 'resolution-tool', value: 'Plimsoll profile resolver' },
      { name: 'import-source', ns: 'https://plimsoll.dev/ns/oscal', value: expect.stringMatching(/^file .*abc_catalog\.json$/), class: 'import-0' },
      { name: 'marking', value: 'test' },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('resolves a profile of profiles; use-first keeps the imported profile\'s tailored control over the catalog\'s', async () => {
    const r = await resolve('outer_profile.json');
    expect(r.groups.map((g) => [g.id, g.controls!.map((c) => c.id)])).toEqual([['a', ['a-1']], ['b', ['b-2']]]);
    expect(resolvedControlIds(r)).toEqual(['a-1', 'a-1.1', 'a-1.2', 'b-2']);
    const a1 = control(r, 'a-1');
    expect(a1.props).toContainEqual({ name: 'tailored-by', value: 'inner' });
    expect(a1.params).toEqual([
      { id: 'a-1_prm_1', label: 'frequency', values: ['set by inner'] },
      { id: 'a-1_prm_2', values: ['weekly'] },
    ]);
    expect(r.groups[1]!.params).toBeUndefined();
    expect(r.backMatter.map((b) => b.uuid)).toEqual([R1, R4, R2]);
  });

  it('combine "merge" folds clashing copies of a control into one', async () => {
    const r = await resolve('combine-merge_profile.json');
    expect(r.controls.map((c) => c.id)).toEqual(['a-2', 'a-1', 'a-1.1', 'a-1.2']);
    expect(control(r, 'a-1').props).toEqual([{ name: 'label', value: 'A-1' }, { name: 'status', value: 'draft', class: 'x' }, { name: 'tailored-by', value: 'inner' }]);
  });
});

describe('errors name the profile file and the import', () => {
  it('refuses circular imports', async () => {
    const e = await rejection(resolve('cycle-a_profile.json'));
    expect(e.code).toBe(ErrorCode.CONTENT_INVALID);
    expect(e.message).toMatch(/cycle-b_profile\.json#\/profile\/imports\/1: circular import: .*cycle-a_profile\.json → .*cycle-b_profile\.json → .*cycle-a_profile\.json$/);
    expect(e.problems[0]).toMatchObject({ file: fixture('cycle-b_profile.json'), pointer: '/profile/imports/1' });
  });

  it('reports an import whose file is missing', async () => {
    const e = await rejection(resolve('missing-import_profile.json'));
    expect(e.code).toBe(ErrorCode.CONTENT_MISSING);
    expect(e.message).toContain(`${fixture('missing-import_profile.json')}#/profile/imports/1: import href "no-such_catalog.json" cannot be loaded`);
    expect(e.message).toContain('no such file');
    expect(e.problems[0]).toMatchObject({ file: fixture('missing-import_profile.json'), pointer: '/profile/imports/1' });
  });

  it('reports an import of a back-matter resource the profile does not have', async () => {
    const e = await rejection(resolve('missing-resource_profile.json'));
    expect(e.code).toBe(ErrorCode.CONTENT_MISSING);
    expect(e.message).toBe(`${fixture('missing-resource_profile.json')}#/profile/imports/0: import href "#99999999-9999-4999-8999-999999999999" names no back-matter resource of the profile`);
  });

  it('refuses to resolve a catalog', async () => {
    const e = await rejection(resolve('abc_catalog.json'));
    expect(e.code).toBe(ErrorCode.CONTENT_UNKNOWN_KIND);
  });
});
