/** DISA's CCI list (`<cci_list xmlns="http://iase.disa.mil/cci">`) → CciListDocument. */
import type { CciItem, CciListDocument, CciReference } from '../../domain/content.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { type XmlElement, childText, describeElement, element, elements } from '../safe-xml.js';

/** The title the library gives a CCI list document (the list itself has none). */
export const CCI_LIST_TITLE = 'DISA Control Correlation Identifier (CCI) List';

function invalid(file: string, el: XmlElement, message: string): PlimsollError {
  const text = `${describeElement(el)}: ${message}`;
  return new PlimsollError(ErrorCode.CONTENT_INVALID, `${file}:${el.line}:${el.column}: ${text}`, [{ file, line: el.line, column: el.column, message: text }]);
}

function mapReference(file: string, ref: XmlElement): CciReference {
  const { title, version, index } = ref.attrs;
  if (title === undefined || version === undefined || index === undefined) {
    throw invalid(file, ref, 'a CCI reference needs title, version and index attributes');
  }
  return { title, version, index: index.trim() };
}

function mapItem(file: string, item: XmlElement): CciItem {
  const id = item.attrs.id?.trim();
  if (!id) throw invalid(file, item, '<cci_item> has no id attribute');
  if (!/^CCI-\d+$/.test(id)) throw invalid(file, item, `"${id}" is not a CCI id (CCI-nnnnnn)`);
  const type = childText(item, 'type')?.trim();
  const status = childText(item, 'status')?.trim();
  const references = element(item, 'references');
  return {
    id,
    definition: childText(item, 'definition')?.trim() ?? '',
    ...(type ? { type } : {}),
    ...(status ? { status } : {}),
    references: references ? elements(references, 'reference').map((r) => mapReference(file, r)) : [],
  };
}

/** Parses a CCI list document element; throws CONTENT_INVALID naming the element. */
export function parseCciList(root: XmlElement, file: string): CciListDocument {
  if (root.local !== 'cci_list') throw invalid(file, root, 'expected a <cci_list> document element');
  const metadata = element(root, 'metadata');
  const version = metadata ? childText(metadata, 'version')?.trim() : undefined;
  if (!version) throw invalid(file, metadata ?? root, 'the CCI list has no <metadata><version>');
  const publishDate = metadata ? childText(metadata, 'publishdate')?.trim() : undefined;
  const container = element(root, 'cci_items');
  if (container === undefined) throw invalid(file, root, 'the CCI list has no <cci_items>');
  const seen = new Set<string>();
  const items = elements(container, 'cci_item').map((el) => {
    const item = mapItem(file, el);
    if (seen.has(item.id)) throw invalid(file, el, `duplicate CCI id "${item.id}"`);
    seen.add(item.id);
    return item;
  });
  if (items.length === 0) throw invalid(file, container, 'the CCI list holds no <cci_item>');
  return { kind: 'cci-list', version, ...(publishDate ? { publishDate } : {}), items };
}
