/**
 * Elements and text of the selective parse (`parseXmlSelective`), made by constructors rather than object
 * literals. V8 tracks an allocation site for each literal, and when it decides that a site's objects survive (a
 * data stream's kept tree does) it allocates them in the old generation from then on and throws away every
 * optimised function that allocates there: the parser's closures were compiled three times per import. A
 * constructor has no such site. Same fields in the same order as the literals, so the trees compare equal.
 */
import type { XmlElement, XmlNode, XmlText } from './safe-xml.js';

// Fields are `declare`d and set in the constructor, in the literal's order: no class-field initialiser runs per
// object, and the keys come out in the same order (JSON shows it).
export class KeptElement implements XmlElement {
  declare readonly type: 'element';
  declare name: string;
  declare local: string;
  declare ns: string;
  declare attrs: Record<string, string>;
  declare children: XmlNode[];
  declare line: number;
  declare column: number;

  constructor(name: string, local: string, ns: string, attrs: Record<string, string>, line: number, column: number) {
    this.type = 'element';
    this.name = name;
    this.local = local;
    this.ns = ns;
    this.attrs = attrs;
    this.children = [];
    this.line = line;
    this.column = column;
  }
}

export class KeptText implements XmlText {
  declare readonly type: 'text';
  declare text: string;

  constructor(text: string) {
    this.type = 'text';
    this.text = text;
  }
}
