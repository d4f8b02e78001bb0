/**
 * Writes a checklist as a STIG Viewer 2 CKL (XML): CHECKLIST → ASSET, STIGS → iSTIG → STIG_INFO (SI_DATA
 * name/value pairs) and one VULN per rule (STIG_DATA attribute/value pairs in STIG Viewer's order, then
 * STATUS, FINDING_DETAILS, COMMENTS, SEVERITY_OVERRIDE, SEVERITY_JUSTIFICATION). Built as an element tree and
 * serialised by the one escaping XML writer.
 */
import type { Checklist, ChecklistRule, ChecklistStatus, ChecklistStig } from '../../domain/checklist.js';
import type { XmlElement } from '../safe-xml.js';
import { writeXmlDocument, xmlElement } from '../xml-writer.js';

export const CKL_STATUS: Record<ChecklistStatus, string> = {
  'not-a-finding': 'NotAFinding',
  open: 'Open',
  'not-applicable': 'Not_Applicable',
  'not-reviewed': 'Not_Reviewed',
};

/** STIG_INFO's SI_DATA names, in STIG Viewer's order, and where each value comes from. */
/** `customname` is the user's own name for the STIG in STIG Viewer: Plimsoll leaves it empty (undefined field). */
export const CKL_STIG_INFO: readonly [string, keyof ChecklistStig['info'] | undefined][] = [
  ['version', 'version'],
  ['classification', 'classification'],
  ['customname', undefined],
  ['stigid', 'stigId'],
  ['description', 'description'],
  ['filename', 'fileName'],
  ['releaseinfo', 'releaseInfo'],
  ['title', 'title'],
  ['uuid', 'uuid'],
  ['notice', 'notice'],
  ['source', 'source'],
];

type TextRuleField = Exclude<{ [K in keyof ChecklistRule]-?: ChecklistRule[K] extends string ? K : never }[keyof ChecklistRule], undefined>;

/** The single-valued STIG_DATA attributes, in STIG Viewer's order (before STIGRef, LEGACY_ID and CCI_REF). */
export const CKL_VULN_ATTRIBUTES: readonly [string, TextRuleField][] = [
  ['Vuln_Num', 'groupId'],
  ['Severity', 'severity'],
  ['Group_Title', 'groupTitle'],
  ['Rule_ID', 'ruleId'],
  ['Rule_Ver', 'stigId'],
  ['Rule_Title', 'ruleTitle'],
  ['Vuln_Discuss', 'discussion'],
  ['IA_Controls', 'iaControls'],
  ['Check_Content', 'checkContent'],
  ['Fix_Text', 'fixText'],
  ['False_Positives', 'falsePositives'],
  ['False_Negatives', 'falseNegatives'],
  ['Documentable', 'documentable'],
  ['Mitigations', 'mitigations'],
  ['Potential_Impact', 'potentialImpacts'],
  ['Third_Party_Tools', 'thirdPartyTools'],
  ['Mitigation_Control', 'mitigationControl'],
  ['Responsibility', 'responsibility'],
  ['Security_Override_Guidance', 'securityOverrideGuidance'],
  ['Check_Content_Ref', 'checkContentRef'],
  ['Weight', 'weight'],
  ['Class', 'classification'],
];

/** The STIGRef attribute STIG Viewer writes: title :: Version n, release info. */
export function stigRef(info: ChecklistStig['info']): string {
  return `${info.title} :: Version ${info.version}, ${info.releaseInfo}`;
}

/** An element holding text; empty text gives an empty element. */
function leaf(name: string, text: string): XmlElement {
  return xmlElement(name, text === '' ? [] : [text]);
}

function stigData(attribute: string, value: string): XmlElement {
  return xmlElement('STIG_DATA', [leaf('VULN_ATTRIBUTE', attribute), leaf('ATTRIBUTE_DATA', value)]);
}

function vuln(rule: ChecklistRule, ref: string, stigUuid: string): XmlElement {
  return xmlElement('VULN', [
    ...CKL_VULN_ATTRIBUTES.map(([attribute, field]) => stigData(attribute, rule[field])),
    stigData('STIGRef', ref),
    stigData('TargetKey', ''),
    stigData('STIG_UUID', stigUuid),
    ...rule.legacyIds.map((id) => stigData('LEGACY_ID', id)),
    ...rule.ccis.map((cci) => stigData('CCI_REF', cci)),
    leaf('STATUS', CKL_STATUS[rule.status]),
    leaf('FINDING_DETAILS', rule.findingDetails),
    leaf('COMMENTS', rule.comments),
    leaf('SEVERITY_OVERRIDE', rule.severityOverride?.severity ?? ''),
    leaf('SEVERITY_JUSTIFICATION', rule.severityOverride?.reason ?? ''),
  ]);
}

function iStig(stig: ChecklistStig): XmlElement {
  const info = stig.info;
  const ref = stigRef(info);
  return xmlElement('iSTIG', [
    xmlElement(
      'STIG_INFO',
      CKL_STIG_INFO.map(([name, field]) => {
        const value = field === undefined ? '' : info[field];
        return xmlElement('SI_DATA', [leaf('SID_NAME', name), ...(value === '' ? [] : [leaf('SID_DATA', value)])]);
      }),
    ),
    ...stig.rules.map((r) => vuln(r, ref, info.uuid)),
  ]);
}

/** The CKL text of a checklist. */
export function writeCkl(checklist: Checklist, generator: string): string {
  const a = checklist.asset;
  const root = xmlElement('CHECKLIST', [
    xmlElement('ASSET', [
      leaf('ROLE', a.role),
      leaf('ASSET_TYPE', a.assetType),
      leaf('MARKING', a.marking),
      leaf('HOST_NAME', a.hostName),
      leaf('HOST_IP', a.ip),
      leaf('HOST_MAC', a.mac),
      leaf('HOST_FQDN', a.fqdn),
      leaf('TARGET_COMMENT', a.comment),
      leaf('TECH_AREA', a.techArea),
      leaf('TARGET_KEY', ''),
      leaf('WEB_OR_DATABASE', a.webOrDatabase ? 'true' : 'false'),
      leaf('WEB_DB_SITE', a.webDbSite),
      leaf('WEB_DB_INSTANCE', a.webDbInstance),
    ]),
    xmlElement('STIGS', checklist.stigs.map(iStig)),
  ]);
  return writeXmlDocument(root, { indent: '\t', leadingComments: [generator, `Checklist ${checklist.id}: ${checklist.title}`] });
}
