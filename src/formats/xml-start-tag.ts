/**
 * Start and end tags for the selective parser of safe-xml.ts. The grammar is that of three regular expressions
 * (`START_TAG`, `END_TAG`, `ATTRIBUTE` below): they stay the definition. `StartTagReader` reads most tags by hand
 * instead: one pass over the tag, no match array and no substring per group, no second pass over its attributes
 * (a 24 MB data stream has some 150,000 start tags). The parse of SSG's RHEL 8 data stream took ~7% less CPU
 * time cold, ~12% warm (callgrind counts about the same instructions: what went is allocation and memory traffic).
 *
 * The hand reader takes only tags that are ASCII outside their attribute values. There, names (`[A-Za-z_:]`,
 * then `[\w.:-]`) and whitespace (`[\t\n\v\f\r ]`) share no character, so the expression can match in one way
 * only, which is the way the reader reads. Outside ASCII they overlap (`\s` holds U+00A0, U+2000…U+200A,
 * U+3000, U+FEFF…, and so does the names' `\u00C0-\uFFFF`), the expression's backtracking decides where a name
 * ends, and the reader hands the tag to the expressions. It hands over, too, every tag it cannot read, so the
 * expressions alone refuse a tag. A property test compares both ways on generated tags.
 */

const NAME = "[A-Za-z_:\\u00C0-\\uFFFF][\\w.:\\u00B7\\u00C0-\\uFFFF-]*";
/** A start tag: `<name`, attributes each after whitespace, optional whitespace, `>` or `/>`; values hold no '<'. */
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
/** An end tag; its name is compared with the open element's. */
export const END_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');
/** One attribute of a start tag's attribute text (the expression's second group). */
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');

/** `[A-Za-z_:]`: the ASCII characters that start a name. */
const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
/** `[\w.:-]`: the ASCII characters of a name after its first. */
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
/** `\s` in ASCII: tab, line feed, vertical tab, form feed, carriage return, space. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Reads start tags of one document. After `read` returns true, `name`, `selfClosing`, `end` (the offset after the
 * tag's '>') and, when asked for, `attrs` describe the tag read; they are overwritten by the next `read`.
 */
export class StartTagReader {
  name = '';
  selfClosing = false;
  end = 0;
  /** Attribute names and their values as written (references not decoded), alternating: name, value, name, value… */
  readonly attrs: string[] = [];
  /** How many entries of `attrs` (twice the number of attributes) belong to the tag read; the rest is stale. */
  attrCount = 0;

  constructor(private readonly text: string) {}

  /** Reads the start tag at `i` (where a '<' stands); false when it is no start tag. Attributes only when `withAttrs`. */
  read(i: number, withAttrs: boolean): boolean {
    this.attrCount = 0;
    return this.readAscii(i, withAttrs) || this.readByExpression(i, withAttrs);
  }

  /** The hand reader: true when it read the tag; false hands it to the expressions (attrs may hold a part). */
  private readAscii(i: number, withAttrs: boolean): boolean {
    const text = this.text;
    // Nothing of a start tag is a '<': the tag ends before the next one (values are sought with indexOf, not read).
    let n = text.indexOf('<', i + 1);
    if (n < 0) n = text.length;
    let j = i + 1;
    if (j >= n || !isNameStart(text.charCodeAt(j))) return false;
    for (j += 1; j < n && isNameChar(text.charCodeAt(j)); j += 1);
    const nameEnd = j;
    for (;;) {
      const spaced = j;
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      if (j >= n) return false;
      const c = text.charCodeAt(j);
      if (c === 62 /* > */ || (c === 47 /* / */ && text.charCodeAt(j + 1) === 62)) {
        this.name = text.slice(i + 1, nameEnd);
        this.selfClosing = c === 47;
        this.end = j + (c === 47 ? 2 : 1);
        return true;
      }
      // An attribute: after whitespace, a name, '=' between optional whitespace, a quoted value without '<'.
      if (j === spaced || !isNameStart(c)) return false;
      const attrStart = j;
      for (j += 1; j < n && isNameChar(text.charCodeAt(j)); j += 1);
      const attrEnd = j;
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      if (text.charCodeAt(j) !== 61 /* = */) return false;
      for (j += 1; j < n && isSpace(text.charCodeAt(j)); j += 1);
      const quote = text.charCodeAt(j);
      if (quote !== 34 /* " */ && quote !== 39 /* ' */) return false;
      const valueStart = j + 1;
      j = text.indexOf(quote === 34 ? '"' : "'", valueStart);
      if (j < 0 || j >= n) return false;
      if (withAttrs) {
        this.attrs[this.attrCount] = text.slice(attrStart, attrEnd);
        this.attrs[this.attrCount + 1] = text.slice(valueStart, j);
        this.attrCount += 2;
      }
      j += 1;
    }
  }

  /** The expressions' reading of the tag at `i`, the definition the hand reader follows (public for its property test). */
  readByExpression(i: number, withAttrs: boolean): boolean {
    this.attrCount = 0;
    START_TAG.lastIndex = i;
    const m = START_TAG.exec(this.text);
    if (m === null) return false;
    this.name = m[1]!;
    this.selfClosing = m[3] === '/';
    this.end = START_TAG.lastIndex;
    const attrText = m[2]!;
    if (!withAttrs || attrText === '') return true;
    // exec on the one global expression, not matchAll (which clones the expression for every start tag).
    ATTRIBUTE.lastIndex = 0;
    for (let a = ATTRIBUTE.exec(attrText); a !== null; a = ATTRIBUTE.exec(attrText)) {
      this.attrs[this.attrCount] = a[1]!;
      this.attrs[this.attrCount + 1] = a[2] ?? a[3] ?? '';
      this.attrCount += 2;
    }
    return true;
  }
}
