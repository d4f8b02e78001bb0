/**
 * OSCAL profile XML → ProfileDocument, in the shape of the JSON model (prose as the same Markdown as
 * catalog-xml). There is no XSD validation: the structure resolution relies on is checked here, and
 * every directive keeps both its line/column and the JSON pointer it would have in the JSON form.
 * `parseBackMatterXml` also serves XML catalogs.
 */
import type {
  AlterAdd, AlterRemove, BackMatterResource, ControlSelector, CustomGroup, InsertControls, MergeStructure, ParamConstraint,
  ProfileDocument, ProfileImport, ProfileMerge, ProfileModify, SetParameter, SourceLocation,
} from '../../domain/profile.js';
import { type XmlElement, childText, element, elements } from '../safe-xml.js';
import { markupLine, markupMultiline } from './markup.js';
import { OscalXmlReader } from './xml-reader.js';

const loc = (el: XmlElement, pointer: string): SourceLocation => ({ pointer, line: el.line, column: el.column });

class ProfileReader extends OscalXmlReader {
  list<T>(el: XmlElement, local: string, map: (x: XmlElement) => T): T[] | undefined {
    const out = elements(el, local).map(map);
    return out.length > 0 ? out : undefined;
  }

  selectors(el: XmlElement, local: 'include-controls' | 'exclude-controls', base: string): ControlSelector[] {
    return elements(el, local).map((s, i) => {
      const sel: ControlSelector = {
        withIds: elements(s, 'with-id').map((w) => markupLine(w)),
        matching: elements(s, 'matching').map((m) => this.required(m, 'pattern')),
        at: loc(s, `${base}/${local}/${i}`),
      };
      const wcc = s.attrs['with-child-controls'];
      if (wcc === 'yes' || wcc === 'no') sel.withChildControls = wcc;
      else if (wcc !== undefined) throw this.invalid(s, `with-child-controls must be "yes" or "no", not "${wcc}"`);
      return sel;
    });
  }

  import(el: XmlElement, pointer: string): ProfileImport {
    return {
      href: this.required(el, 'href'),
      includeAll: element(el, 'include-all') !== undefined,
      includeControls: this.selectors(el, 'include-controls', pointer),
      excludeControls: this.selectors(el, 'exclude-controls', pointer),
      at: loc(el, pointer),
    };
  }

  insertControls(el: XmlElement, pointer: string): InsertControls {
    const ic: InsertControls = {
      includeAll: element(el, 'include-all') !== undefined,
      includeControls: this.selectors(el, 'include-controls', pointer),
      excludeControls: this.selectors(el, 'exclude-controls', pointer),
      at: loc(el, pointer),
    };
    const order = el.attrs.order;
    if (order === 'keep' || order === 'ascending' || order === 'descending') ic.order = order;
    else if (order !== undefined) throw this.invalid(el, `order must be keep, ascending or descending, not "${order}"`);
    return ic;
  }

  customGroup(el: XmlElement, pointer: string): CustomGroup {
    const title = element(el, 'title');
    if (title === undefined) throw this.invalid(el, '<group> has no <title>');
    const g: CustomGroup = {
      title: markupLine(title),
      groups: elements(el, 'group').map((x, i) => this.customGroup(x, `${pointer}/groups/${i}`)),
      insertControls: elements(el, 'insert-controls').map((x, i) => this.insertControls(x, `${pointer}/insert-controls/${i}`)),
      at: loc(el, pointer),
    };
    if (el.attrs.id !== undefined) g.id = el.attrs.id;
    if (el.attrs.class !== undefined) g.class = el.attrs.class;
    const params = this.list(el, 'param', (x) => this.param(x));
    if (params) g.params = params;
    const props = this.props(el);
    if (props) g.props = props;
    const links = this.links(el);
    if (links) g.links = links;
    const parts = this.list(el, 'part', (x) => this.part(x));
    if (parts) g.parts = parts;
    return g;
  }

  merge(el: XmlElement, pointer: string): ProfileMerge {
    const directives: MergeStructure[] = [];
    if (element(el, 'flat') !== undefined) directives.push({ kind: 'flat' });
    const asIs = element(el, 'as-is');
    if (asIs !== undefined && ['true', '1'].includes(markupLine(asIs))) directives.push({ kind: 'as-is' });
    const custom = element(el, 'custom');
    if (custom !== undefined) {
      directives.push({
        kind: 'custom',
        groups: elements(custom, 'group').map((g, i) => this.customGroup(g, `${pointer}/custom/groups/${i}`)),
        insertControls: elements(custom, 'insert-controls').map((x, i) => this.insertControls(x, `${pointer}/custom/insert-controls/${i}`)),
      });
    }
    if (directives.length > 1) throw this.invalid(el, `the merge has ${directives.length} structuring directives (${directives.map((d) => d.kind).join(', ')}); give at most one of flat, as-is, custom`);
    const merge: ProfileMerge = { structure: directives[0] ?? { kind: 'flat' }, at: loc(el, pointer) };
    const combine = element(el, 'combine');
    if (combine !== undefined) {
      const method = combine.attrs.method;
      if (method !== 'use-first' && method !== 'merge' && method !== 'keep') throw this.invalid(combine, `method must be use-first, merge or keep, not "${method ?? ''}"`);
      merge.combine = method;
    }
    return merge;
  }

  constraints(el: XmlElement): ParamConstraint[] | undefined {
    return this.list(el, 'constraint', (c) => {
      const out: ParamConstraint = {};
      const description = element(c, 'description');
      if (description) out.description = markupMultiline(description.children);
      const tests = elements(c, 'test').map((t) => {
        const test: { expression: string; remarks?: string } = { expression: childText(t, 'expression')?.trim() ?? '' };
        const remarks = element(t, 'remarks');
        if (remarks) test.remarks = markupMultiline(remarks.children);
        return test;
      });
      if (tests.length > 0) out.tests = tests;
      return out;
    });
  }

  setParameter(el: XmlElement, pointer: string): SetParameter {
    const s: SetParameter = { paramId: this.required(el, 'param-id'), at: loc(el, pointer) };
    if (el.attrs.class !== undefined) s.class = el.attrs.class;
    const label = element(el, 'label');
    if (label) s.label = markupLine(label);
    const usage = element(el, 'usage');
    if (usage) s.usage = markupMultiline(usage.children);
    const values = elements(el, 'value').map((v) => markupLine(v));
    if (values.length > 0) s.values = values;
    const select = this.select(el);
    if (select) s.select = select;
    const props = this.props(el);
    if (props) s.props = props;
    const links = this.links(el);
    if (links) s.links = links;
    const constraints = this.constraints(el);
    if (constraints) s.constraints = constraints;
    const guidelines = elements(el, 'guideline').map((g) => markupMultiline(g.children));
    if (guidelines.length > 0) s.guidelines = guidelines;
    return s;
  }

  add(el: XmlElement, pointer: string): AlterAdd {
    const add: AlterAdd = { at: loc(el, pointer) };
    const position = el.attrs.position;
    if (position === 'before' || position === 'after' || position === 'starting' || position === 'ending') add.position = position;
    else if (position !== undefined) throw this.invalid(el, `position must be before, after, starting or ending, not "${position}"`);
    if (el.attrs['by-id'] !== undefined) add.byId = el.attrs['by-id'];
    const title = element(el, 'title');
    if (title) add.title = markupLine(title);
    const params = this.list(el, 'param', (x) => this.param(x));
    if (params) add.params = params;
    const props = this.props(el);
    if (props) add.props = props;
    const links = this.links(el);
    if (links) add.links = links;
    const parts = this.list(el, 'part', (x) => this.part(x));
    if (parts) add.parts = parts;
    return add;
  }

  remove(el: XmlElement, pointer: string): AlterRemove {
    const r: AlterRemove = { at: loc(el, pointer) };
    const keys = { 'by-name': 'byName', 'by-class': 'byClass', 'by-id': 'byId', 'by-item-name': 'byItemName', 'by-ns': 'byNs' } as const;
    for (const [attr, key] of Object.entries(keys)) if (el.attrs[attr] !== undefined) r[key] = el.attrs[attr];
    return r;
  }

  modify(el: XmlElement, pointer: string): ProfileModify {
    return {
      setParameters: elements(el, 'set-parameter').map((s, i) => this.setParameter(s, `${pointer}/set-parameters/${i}`)),
      alters: elements(el, 'alter').map((a, i) => ({
        controlId: this.required(a, 'control-id'),
        removes: elements(a, 'remove').map((r, j) => this.remove(r, `${pointer}/alters/${i}/removes/${j}`)),
        adds: elements(a, 'add').map((x, j) => this.add(x, `${pointer}/alters/${i}/adds/${j}`)),
        at: loc(a, `${pointer}/alters/${i}`),
      })),
    };
  }
}

/** The back-matter resources of an XML `<catalog>` or `<profile>` document element. */
export function parseBackMatterXml(root: XmlElement, file: string): BackMatterResource[] {
  const r = new ProfileReader(file);
  const backMatter = element(root, 'back-matter');
  if (backMatter === undefined) return [];
  return elements(backMatter, 'resource').map((el, i) => {
    const res: BackMatterResource = { uuid: r.required(el, 'uuid'), at: loc(el, `/${root.local}/back-matter/resources/${i}`) };
    const title = element(el, 'title');
    if (title) res.title = markupLine(title);
    const description = element(el, 'description');
    if (description) res.description = markupMultiline(description.children);
    const props = r.props(el);
    if (props) res.props = props;
    const citation = element(el, 'citation');
    if (citation) res.citation = { text: markupLine(element(citation, 'text') ?? citation) };
    const rlinks = elements(el, 'rlink').map((l) => {
      const link: { href: string; mediaType?: string } = { href: r.required(l, 'href') };
      if (l.attrs['media-type'] !== undefined) link.mediaType = l.attrs['media-type'];
      return link;
    });
    if (rlinks.length > 0) res.rlinks = rlinks;
    return res;
  });
}

/** Parses an OSCAL XML `<profile>` element; throws CONTENT_INVALID naming the element and its line. */
export function parseProfileXml(root: XmlElement, file: string): ProfileDocument {
  const r = new ProfileReader(file);
  if (root.local !== 'profile') throw r.invalid(root, 'expected an OSCAL <profile> document element');
  const uuid = r.required(root, 'uuid');
  const metadata = element(root, 'metadata');
  if (metadata === undefined) throw r.invalid(root, 'the profile has no <metadata>');
  const title = element(metadata, 'title');
  if (title === undefined) throw r.invalid(metadata, '<metadata> has no <title>');
  const version = childText(metadata, 'version')?.trim();
  const oscalVersion = childText(metadata, 'oscal-version')?.trim();
  if (!version) throw r.invalid(metadata, '<metadata> has no <version>');
  if (!oscalVersion) throw r.invalid(metadata, '<metadata> has no <oscal-version>');
  const imports = elements(root, 'import');
  if (imports.length === 0) throw r.invalid(root, 'the profile has no <import>');
  const doc: ProfileDocument = {
    kind: 'profile',
    uuid,
    file,
    metadata: { title: markupLine(title), version, oscalVersion },
    imports: imports.map((el, i) => r.import(el, `/profile/imports/${i}`)),
    backMatter: parseBackMatterXml(root, file),
  };
  const lastModified = childText(metadata, 'last-modified')?.trim();
  if (lastModified) doc.metadata.lastModified = lastModified;
  const published = childText(metadata, 'published')?.trim();
  if (published) doc.metadata.published = published;
  const props = r.props(metadata);
  if (props) doc.metadata.props = props;
  const links = r.links(metadata);
  if (links) doc.metadata.links = links;
  const merge = element(root, 'merge');
  if (merge) doc.merge = r.merge(merge, '/profile/merge');
  const modify = element(root, 'modify');
  if (modify) doc.modify = r.modify(modify, '/profile/modify');
  return doc;
}
