/**
 * Reads a STIG Viewer 2 CKL through the one hardened XML entry point (no DTD, no entities, bounded size and
 * depth) into the neutral checklist model. Unknown STIG_DATA attributes are ignored (tools add their own);
 * a missing CHECKLIST/ASSET/STIGS, a VULN without Rule_ID or with an unknown STATUS or severity is refused with
 * the file and line.
 */
import type { Checklist, ChecklistAsset, ChecklistRule, ChecklistStatus, ChecklistStig, ChecklistStigInfo } from '../../domain/checklist.js';
import { childText, element, elements, parseXml, type XmlElement } from '../safe-xml.js';
import { assertChecklistSize, checklistError, DEFAULT_MAX_CHECKLIST_BYTES, type ReadChecklist, type ReadChecklistOptions, severityOf } from './checklist-read.js';
import { CKL_STATUS, CKL_STIG_INFO, CKL_VULN_ATTRIBUTES } from './ckl-writer.js';

const STATUS_OF: Record<string, ChecklistStatus> = Object.fromEntries(Object.entries(CKL_STATUS).map(([k, v]) => [v, k as ChecklistStatus]));

function required(parent: XmlElement, local: string, file: string): XmlElement {
  const el = element(parent, local);
  if (el === undefined) throw checklistError(file, { line: parent.line }, `<${parent.name}> has no <${local}> element`);
  return el;
}

function asset(el: XmlElement): ChecklistAsset {
  const t = (local: string): string => childText(el, local) ?? '';
  return {
    assetType: t('ASSET_TYPE'),
    hostName: t('HOST_NAME'),
    ip: t('HOST_IP'),
    mac: t('HOST_MAC'),
    fqdn: t('HOST_FQDN'),
    role: t('ROLE'),
    techArea: t('TECH_AREA'),
    comment: t('TARGET_COMMENT'),
    marking: t('MARKING'),
    webOrDatabase: t('WEB_OR_DATABASE').trim().toLowerCase() === 'true',
    webDbSite: t('WEB_DB_SITE'),
    webDbInstance: t('WEB_DB_INSTANCE'),
  };
}

function stigInfo(el: XmlElement): ChecklistStigInfo {
  const values = new Map<string, string>();
  for (const d of elements(el, 'SI_DATA')) values.set(childText(d, 'SID_NAME') ?? '', childText(d, 'SID_DATA') ?? '');
  const info: ChecklistStigInfo = { stigId: '', title: '', version: '', releaseInfo: '', fileName: '', uuid: '', classification: '', description: '', notice: '', source: '' };
  for (const [name, field] of CKL_STIG_INFO) if (field !== undefined) info[field] = values.get(name) ?? '';
  return info;
}

function vuln(el: XmlElement, file: string): ChecklistRule {
  const single = new Map<string, string>();
  const legacyIds: string[] = [];
  const ccis: string[] = [];
  for (const d of elements(el, 'STIG_DATA')) {
    const name = childText(d, 'VULN_ATTRIBUTE') ?? '';
    const value = childText(d, 'ATTRIBUTE_DATA') ?? '';
    if (name === 'LEGACY_ID') {
      if (value !== '') legacyIds.push(value);
    } else if (name === 'CCI_REF') {
      if (value !== '') ccis.push(value);
    } else if (!single.has(name)) single.set(name, value);
  }
  const ruleId = single.get('Rule_ID')?.trim() ?? '';
  if (ruleId === '') throw checklistError(file, { line: el.line }, '<VULN> has no Rule_ID');
  const statusText = (childText(el, 'STATUS') ?? '').trim();
  const status = STATUS_OF[statusText];
  if (status === undefined) throw checklistError(file, { line: element(el, 'STATUS')?.line ?? el.line }, `rule ${ruleId}: STATUS is not one of ${Object.keys(STATUS_OF).join(', ')}`);
  const severity = severityOf(single.get('Severity') ?? '');
  if (severity === undefined) throw checklistError(file, { line: el.line }, `rule ${ruleId}: Severity is not high, medium or low`);
  const rule = { legacyIds, ccis, status, severity, findingDetails: childText(el, 'FINDING_DETAILS') ?? '', comments: childText(el, 'COMMENTS') ?? '' } as ChecklistRule;
  for (const [attribute, field] of CKL_VULN_ATTRIBUTES) if (field !== 'severity') (rule as unknown as Record<string, string>)[field] = single.get(attribute) ?? '';
  rule.ruleId = ruleId;
  const overrideText = childText(el, 'SEVERITY_OVERRIDE') ?? '';
  if (overrideText.trim() !== '') {
    const overridden = severityOf(overrideText);
    if (overridden === undefined) throw checklistError(file, { line: element(el, 'SEVERITY_OVERRIDE')!.line }, `rule ${ruleId}: SEVERITY_OVERRIDE is not high, medium or low`);
    rule.severityOverride = { severity: overridden, reason: childText(el, 'SEVERITY_JUSTIFICATION') ?? '' };
  }
  return rule;
}

/** Reads a CKL document (text or bytes) into the checklist model; throws CONTENT_INVALID naming the file and line. */
export function readCkl(input: string | Uint8Array, file: string, opts: ReadChecklistOptions = {}): ReadChecklist {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_CHECKLIST_BYTES;
  assertChecklistSize(input, file, maxBytes);
  const root = parseXml(typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength), file, { maxBytes, maxDepth: 32 });
  if (root.local !== 'CHECKLIST') throw checklistError(file, { line: root.line }, 'not a CKL: the document element is not <CHECKLIST>');
  const assetEl = required(root, 'ASSET', file);
  const stigsEl = required(root, 'STIGS', file);
  const stigs: ChecklistStig[] = [];
  const places: string[][] = [];
  for (const s of elements(stigsEl, 'iSTIG')) {
    const info = stigInfo(required(s, 'STIG_INFO', file));
    if (info.stigId.trim() === '') throw checklistError(file, { line: s.line }, '<STIG_INFO> has no stigid');
    const vulns = elements(s, 'VULN');
    stigs.push({ info, rules: vulns.map((v) => vuln(v, file)) });
    places.push(vulns.map((v) => `line ${v.line}`));
  }
  if (stigs.length === 0) throw checklistError(file, { line: stigsEl.line }, '<STIGS> holds no <iSTIG>');
  const a = asset(assetEl);
  // A CKL has no title or id of its own: the host name names it.
  const checklist: Checklist = { title: a.hostName, id: '', asset: a, stigs };
  return { format: 'ckl', checklist, places };
}
