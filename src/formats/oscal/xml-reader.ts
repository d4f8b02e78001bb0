/**
 * What OSCAL catalog and profile XML share: located errors, required attributes, and the reading of
 * titles, props, links, params and parts into the JSON model's shape (prose as Markdown).
 */
import type { OscalLink, OscalParam, OscalPart, OscalProp } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, describeElement, element, elements } from '../safe-xml.js';
import { markupLine, markupMultiline } from './markup.js';

export class OscalXmlReader {
  constructor(protected readonly file: string) {}

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
    const select = this.select(el);
    if (select) param.select = select;
    return param;
  }

  select(el: XmlElement): OscalParam['select'] | undefined {
    const select = element(el, 'select');
    if (select === undefined) return undefined;
    const out: NonNullable<OscalParam['select']> = { choice: elements(select, 'choice').map((c) => markupLine(c)) };
    if (select.attrs['how-many'] !== undefined) out.howMany = select.attrs['how-many'];
    return out;
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
}
