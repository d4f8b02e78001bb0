/**
 * STIG Viewer 3 checklists (CKLB, JSON): writer and reader of the neutral checklist model. The layout follows
 * the files STIG Viewer 3 writes: `title`, `id`, `stigs[]` (stig_name, display_name, stig_id, release_info,
 * version, uuid, rules[]), `target_data` (host_name, ip_address, mac_address, fqdn, role, …), `cklb_version`.
 * A rule's status is snake case (not_a_finding, open, not_applicable, not_reviewed); a severity override is
 * `overrides.severity` ({ severity, reason }). In STIG Viewer 3's files `group_title` repeats the rule title and
 * the group's own title (the SRG id) is in `group_tree`; both are written that way and read back.
 *
 * The reader checks types as it goes and names the JSON pointer of the first problem; it never quotes values.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Checklist, ChecklistAsset, ChecklistRule, ChecklistStatus, ChecklistStig, ChecklistStigInfo } from '../../domain/checklist.js';
import { parseJsonText } from '../fingerprint.js';
import { decodeUtf8 } from '../text-decoding.js';
import { assertChecklistSize, checklistError, DEFAULT_MAX_CHECKLIST_BYTES, type ReadChecklist, type ReadChecklistOptions, severityOf } from './checklist-read.js';

export const CKLB_STATUS: Record<ChecklistStatus, string> = {
  'not-a-finding': 'not_a_finding',
  open: 'open',
  'not-applicable': 'not_applicable',
  'not-reviewed': 'not_reviewed',
};
const STATUS_OF: Record<string, ChecklistStatus> = Object.fromEntries(Object.entries(CKLB_STATUS).map(([k, v]) => [v, k as ChecklistStatus]));

/** Name space of rule uuids derived from a STIG's uuid when it is not a uuid itself. */
const RULE_UUID_NS = 'a1f0c4a2-5c1e-4f7e-9d55-2f5b8a6e0c11';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The plain-text rule fields and their CKLB names. */
const RULE_TEXT: readonly [keyof ChecklistRule, string][] = [
  ['groupId', 'group_id'],
  ['ruleTitle', 'rule_title'],
  ['stigId', 'rule_version'],
  ['fixText', 'fix_text'],
  ['weight', 'weight'],
  ['checkContent', 'check_content'],
  ['classification', 'classification'],
  ['discussion', 'discussion'],
  ['falsePositives', 'false_positives'],
  ['falseNegatives', 'false_negatives'],
  ['documentable', 'documentable'],
  ['securityOverrideGuidance', 'security_override_guidance'],
  ['potentialImpacts', 'potential_impacts'],
  ['thirdPartyTools', 'third_party_tools'],
  ['iaControls', 'ia_controls'],
  ['responsibility', 'responsibility'],
  ['mitigations', 'mitigations'],
  ['mitigationControl', 'mitigation_control'],
  ['comments', 'comments'],
  ['findingDetails', 'finding_details'],
];

function ruleJson(r: ChecklistRule, stigUuid: string): Record<string, unknown> {
  const ns = UUID.test(stigUuid) ? stigUuid : uuidv5(stigUuid, RULE_UUID_NS);
  const text = Object.fromEntries(RULE_TEXT.map(([field, name]) => [name, r[field]]));
  return {
    group_id_src: r.groupId,
    group_tree: [{ id: r.groupId, title: r.groupTitle, description: '<GroupDescription></GroupDescription>' }],
    group_id: text.group_id,
    severity: r.severity,
    group_title: r.ruleTitle,
    rule_id_src: r.ruleId,
    rule_id: r.ruleId.replace(/_rule$/, ''),
    rule_version: text.rule_version,
    rule_title: text.rule_title,
    fix_text: text.fix_text,
    weight: text.weight,
    check_content: text.check_content,
    check_content_ref: { href: '', name: r.checkContentRef },
    classification: text.classification,
    discussion: text.discussion,
    false_positives: text.false_positives,
    false_negatives: text.false_negatives,
    documentable: text.documentable,
    security_override_guidance: text.security_override_guidance,
    potential_impacts: text.potential_impacts,
    third_party_tools: text.third_party_tools,
    ia_controls: text.ia_controls,
    responsibility: text.responsibility,
    mitigations: text.mitigations,
    mitigation_control: text.mitigation_control,
    legacy_ids: r.legacyIds,
    ccis: r.ccis,
    uuid: uuidv5(r.ruleId, ns),
    stig_uuid: stigUuid,
    status: CKLB_STATUS[r.status],
    overrides: r.severityOverride !== undefined ? { severity: { severity: r.severityOverride.severity, reason: r.severityOverride.reason } } : {},
    comments: r.comments,
    finding_details: r.findingDetails,
  };
}

function stigJson(s: ChecklistStig): Record<string, unknown> {
  const i = s.info;
  return {
    stig_name: i.title,
    display_name: i.title.replace(/ Security Technical Implementation Guide$/, ''),
    stig_id: i.stigId,
    release_info: i.releaseInfo,
    version: i.version,
    uuid: i.uuid,
    size: s.rules.length,
    classification: i.classification,
    file_name: i.fileName,
    description: i.description,
    notice: i.notice,
    source: i.source,
    rules: s.rules.map((r) => ruleJson(r, i.uuid)),
  };
}

function targetJson(a: ChecklistAsset): Record<string, unknown> {
  return {
    target_type: a.assetType,
    host_name: a.hostName,
    ip_address: a.ip,
    mac_address: a.mac,
    fqdn: a.fqdn,
    comments: a.comment,
    role: a.role,
    is_web_database: a.webOrDatabase,
    technology_area: a.techArea,
    web_db_site: a.webDbSite,
    web_db_instance: a.webDbInstance,
    classification: a.marking,
  };
}

/** The CKLB text of a checklist (pretty-printed JSON, ending with a newline). */
export function writeCklb(checklist: Checklist): string {
  const doc = {
    title: checklist.title,
    id: checklist.id,
    stigs: checklist.stigs.map(stigJson),
    active: false,
    mode: 2,
    has_path: false,
    target_data: targetJson(checklist.asset),
    cklb_version: '1.0',
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

type Json = Record<string, unknown>;

class CklbReader {
  constructor(private readonly file: string) {}

  fail(pointer: string, message: string): never {
    throw checklistError(this.file, { pointer }, message);
  }

  object(v: unknown, pointer: string): Json {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(pointer, 'expected a JSON object');
    return v as Json;
  }

  array(v: unknown, pointer: string): unknown[] {
    if (!Array.isArray(v)) this.fail(pointer, 'expected a JSON array');
    return v as unknown[];
  }

  /** An optional text field: absent or null is '', numbers and booleans as written, anything else refused. */
  text(o: Json, key: string, pointer: string): string {
    const v = o[key];
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(`${pointer}/${key}`, 'expected a string');
  }

  strings(o: Json, key: string, pointer: string): string[] {
    const v = o[key];
    if (v === undefined || v === null) return [];
    return this.array(v, `${pointer}/${key}`).map((x, i) => (typeof x === 'string' ? x : this.fail(`${pointer}/${key}/${i}`, 'expected a string')));
  }

  rule(v: unknown, pointer: string): ChecklistRule {
    const o = this.object(v, pointer);
    const t = (key: string): string => this.text(o, key, pointer);
    const ruleId = t('rule_id_src') || (t('rule_id') !== '' ? `${t('rule_id')}_rule` : '');
    if (ruleId.trim() === '') this.fail(pointer, 'rule has no rule_id_src');
    const status = STATUS_OF[t('status')];
    if (status === undefined) this.fail(`${pointer}/status`, `status is not one of ${Object.keys(STATUS_OF).join(', ')}`);
    const severity = severityOf(t('severity'));
    if (severity === undefined) this.fail(`${pointer}/severity`, 'severity is not high, medium or low');
    const tree = o.group_tree === undefined || o.group_tree === null ? [] : this.array(o.group_tree, `${pointer}/group_tree`);
    const lastGroup = tree.length > 0 ? this.object(tree[tree.length - 1], `${pointer}/group_tree/${tree.length - 1}`) : undefined;
    const ref = o.check_content_ref === undefined || o.check_content_ref === null ? {} : this.object(o.check_content_ref, `${pointer}/check_content_ref`);
    const rule = {
      groupTitle: lastGroup !== undefined ? this.text(lastGroup, 'title', `${pointer}/group_tree/${tree.length - 1}`) : t('group_title'),
      ruleId,
      severity,
      checkContentRef: this.text(ref, 'name', `${pointer}/check_content_ref`),
      legacyIds: this.strings(o, 'legacy_ids', pointer),
      ccis: this.strings(o, 'ccis', pointer),
      status,
    } as ChecklistRule;
    for (const [field, name] of RULE_TEXT) (rule as unknown as Record<string, string>)[field] = t(name);
    if (rule.groupId === '') rule.groupId = t('group_id_src');
    const overrides = o.overrides === undefined || o.overrides === null ? {} : this.object(o.overrides, `${pointer}/overrides`);
    if (overrides.severity !== undefined && overrides.severity !== null) {
      const so = this.object(overrides.severity, `${pointer}/overrides/severity`);
      const overridden = severityOf(this.text(so, 'severity', `${pointer}/overrides/severity`));
      if (overridden === undefined) this.fail(`${pointer}/overrides/severity/severity`, 'severity is not high, medium or low');
      rule.severityOverride = { severity: overridden, reason: this.text(so, 'reason', `${pointer}/overrides/severity`) };
    }
    return rule;
  }

  stig(v: unknown, pointer: string): ChecklistStig {
    const o = this.object(v, pointer);
    const t = (key: string): string => this.text(o, key, pointer);
    const info: ChecklistStigInfo = {
      stigId: t('stig_id'),
      title: t('stig_name'),
      version: t('version'),
      releaseInfo: t('release_info'),
      fileName: t('file_name'),
      uuid: t('uuid'),
      classification: t('classification'),
      description: t('description'),
      notice: t('notice'),
      source: t('source'),
    };
    if (info.stigId.trim() === '') this.fail(`${pointer}/stig_id`, 'STIG has no stig_id');
    const rules = this.array(o.rules, `${pointer}/rules`).map((r, i) => this.rule(r, `${pointer}/rules/${i}`));
    return { info, rules };
  }

  asset(v: unknown): ChecklistAsset {
    const o = this.object(v, '/target_data');
    const t = (key: string): string => this.text(o, key, '/target_data');
    return {
      assetType: t('target_type'),
      hostName: t('host_name'),
      ip: t('ip_address'),
      mac: t('mac_address'),
      fqdn: t('fqdn'),
      role: t('role'),
      techArea: t('technology_area'),
      comment: t('comments'),
      marking: t('classification'),
      webOrDatabase: o.is_web_database === true || t('is_web_database') === 'true',
      webDbSite: t('web_db_site'),
      webDbInstance: t('web_db_instance'),
    };
  }
}

/** Reads a CKLB document (text or bytes) into the checklist model; throws CONTENT_INVALID naming the file and JSON pointer. */
export function readCklb(input: string | Uint8Array, file: string, opts: ReadChecklistOptions = {}): ReadChecklist {
  assertChecklistSize(input, file, opts.maxBytes ?? DEFAULT_MAX_CHECKLIST_BYTES);
  const text = typeof input === 'string' ? input : decodeUtf8(input, file);
  const json = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const r = new CklbReader(file);
  const doc = r.object(json, '');
  const stigsJson = r.array(doc.stigs, '/stigs');
  if (stigsJson.length === 0) r.fail('/stigs', 'the checklist holds no STIG');
  const stigs = stigsJson.map((s, i) => r.stig(s, `/stigs/${i}`));
  const checklist: Checklist = { title: r.text(doc, 'title', ''), id: r.text(doc, 'id', ''), asset: r.asset(doc.target_data), stigs };
  const places = stigs.map((s, i) => s.rules.map((_, j) => `/stigs/${i}/rules/${j}`));
  return { format: 'cklb', checklist, places };
}
