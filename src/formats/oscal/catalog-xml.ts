/**
 * OSCAL catalog XML → CatalogDocument, in the shape of the JSON model (prose as Markdown), so that the
 * same catalog read from XML or JSON gives the same ids, params and parts. There is no XSD validation;
 * the structure the library relies on (ids, titles, metadata) is checked here with element positions.
 */
import type { CatalogDocument, OscalControl, OscalGroup, OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, childText, describeElement, element, elements } from '../safe-xml.js';
import { markupLine, markupMultiline } from './markup.js';

class Reader {
  private readonly controlIds = new Set<string>();

  constructor(private readonly file: string) {}

  invalid(el: XmlElement, message: string): PlimsollError {
    const text = `${describeElement(el)}: ${message}`;
    return new PlimsollError(ErrorCode.CONTENT_INVALID, `${this.file}:${el.line}:${el.column}: ${text}`, [{ file: this.file, line: el.line, column: el.column, message: text }]);
  }

  required(el: XmlElement, attr: string): string {
    const v = el.attrs[attr]?.trim();
    if (!v) throw this.invalid(el, `<${el.local}> has no ${attr} attribute`);
    return v;
  }

  title(el: XmlElement): string {
    const t = element(el, 'title');
    if (t === undefined) throw this.invalid(el, `<${el.local}> has no <title>`);
    return markupLine(t);
  }

  props(el: XmlElement): OscalProp[] | undefined {
    const props = elements(el, 'prop').map((p): OscalProp => {
      const prop: OscalProp = { name: this.required(p, 'name'), value: p.attrs.value ?? '' };
      if (p.attrs.ns !== undefined) prop.ns = p.attrs.ns;
      if (p.attrs.class !== undefined) prop.class = p.attrs.class;
      return prop;
    });
    return props.length > 0 ? props : undefined;
  }

  links(el: XmlElement): OscalLink[] | undefined {
    const links = elements(el, 'link').map((l): OscalLink => {
      const link: OscalLink = { href: this.required(l, 'href') };
      if (l.attrs.rel !== undefined) link.rel = l.attrs.rel;
      const text = markupLine(l);
      if (text !== '') link.text = text;
      return link;
    });
    return links.length > 0 ? links : undefined;
  }

  param(el: XmlElement): OscalParam {
    const param: OscalParam = { id: this.required(el, 'id') };
    if (el.attrs.class !== undefined) param.class = el.attrs.class;
    const props = this.props(el);
    if (props) param.props = props;
    const label = element(el, 'label');
    if (label) param.label = markupLine(label);
    const guidelines = elements(el, 'guideline').map((g) => markupMultiline(g.children));
    if (guidelines.length > 0) param.guidelines = guidelines;
    const values = elements(el, 'value').map((v) => markupLine(v));
    if (values.length > 0) param.values = values;
    const select = element(el, 'select');
    if (select) {
      param.select = { choice: elements(select, 'choice').map((c) => markupLine(c)) };
      if (select.attrs['how-many'] !== undefined) param.select.howMany = select.attrs['how-many'];
    }
    return param;
  }

  params(el: XmlElement): OscalParam[] | undefined {
    const params = elements(el, 'param').map((p) => this.param(p));
    return params.length > 0 ? params : undefined;
  }

  part(el: XmlElement): OscalPart {
    const part: OscalPart = { name: this.required(el, 'name') };
    for (const a of ['id', 'ns', 'class'] as const) if (el.attrs[a] !== undefined) part[a] = el.attrs[a];
    const title = element(el, 'title');
    if (title) part.title = markupLine(title);
    const props = this.props(el);
    if (props) part.props = props;
    const prose = markupMultiline(el.children);
    if (prose !== '') part.prose = prose;
    const parts = this.parts(el);
    if (parts) part.parts = parts;
    return part;
  }

  parts(el: XmlElement): OscalPart[] | undefined {
    const parts = elements(el, 'part').map((p) => this.part(p));
    return parts.length > 0 ? parts : undefined;
  }

  control(el: XmlElement): OscalControl {
    const id = this.required(el, 'id');
    if (this.controlIds.has(id)) throw this.invalid(el, `duplicate control id "${id}"`);
    this.controlIds.add(id);
    const control: OscalControl = { id, title: this.title(el) };
    if (el.attrs.class !== undefined) control.class = el.attrs.class;
    const params = this.params(el);
    if (params) control.params = params;
    const props = this.props(el);
    if (props) control.props = props;
    const links = this.links(el);
    if (links) control.links = links;
    const parts = this.parts(el);
    if (parts) control.parts = parts;
    const controls = elements(el, 'control').map((c) => this.control(c));
    if (controls.length > 0) control.controls = controls;
    return control;
  }

  group(el: XmlElement): OscalGroup {
    const group: OscalGroup = { title: this.title(el) };
    if (el.attrs.id !== undefined) group.id = el.attrs.id;
    if (el.attrs.class !== undefined) group.class = el.attrs.class;
    const params = this.params(el);
    if (params) group.params = params;
    const props = this.props(el);
    if (props) group.props = props;
    const parts = this.parts(el);
    if (parts) group.parts = parts;
    const groups = elements(el, 'group').map((g) => this.group(g));
    if (groups.length > 0) group.groups = groups;
    const controls = elements(el, 'control').map((c) => this.control(c));
    if (controls.length > 0) group.controls = controls;
    return group;
  }
}

/** Parses an OSCAL XML `<catalog>` element; throws CONTENT_INVALID naming the element and its line. */
export function parseCatalogXml(root: XmlElement, file: string): CatalogDocument {
  const r = new Reader(file);
  if (root.local !== 'catalog') throw r.invalid(root, 'expected an OSCAL <catalog> document element');
  const uuid = r.required(root, 'uuid');
  const metadata = element(root, 'metadata');
  if (metadata === undefined) throw r.invalid(root, 'the catalog has no <metadata>');
  const version = childText(metadata, 'version')?.trim();
  const oscalVersion = childText(metadata, 'oscal-version')?.trim();
  if (!version) throw r.invalid(metadata, '<metadata> has no <version>');
  if (!oscalVersion) throw r.invalid(metadata, '<metadata> has no <oscal-version>');
  const lastModified = childText(metadata, 'last-modified')?.trim();
  return {
    kind: 'catalog',
    uuid,
    title: r.title(metadata),
    version,
    oscalVersion,
    ...(lastModified ? { lastModified } : {}),
    groups: elements(root, 'group').map((g) => r.group(g)),
    controls: elements(root, 'control').map((c) => r.control(c)),
  };
}
