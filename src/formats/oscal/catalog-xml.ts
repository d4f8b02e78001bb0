/**
 * OSCAL catalog XML → CatalogDocument, in the shape of the JSON model (prose as Markdown), so that the
 * same catalog read from XML or JSON gives the same ids, params and parts. There is no XSD validation;
 * the structure the library relies on (ids, titles, metadata) is checked here with element positions.
 */
import type { CatalogDocument, OscalControl, OscalGroup } from '../../domain/content.js';
import { type XmlElement, childText, element, elements } from '../safe-xml.js';
import { OscalXmlReader } from './xml-reader.js';

class Reader extends OscalXmlReader {
  private readonly controlIds = new Set<string>();

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
