/**
 * What the assessment plan and results of one assessment share: the report input, the inventory (every node
 * and every target a rule looked at, as OSCAL inventory items), the metadata (roles, parties) and the
 * reviewed controls. Identifiers are name-based (oscal-uuids.ts), so a subject the plan lists is the same
 * inventory item the results' observations name, and the same container has the same uuid in every assessment.
 *
 * Inventory items carry OSCAL's own `asset-id` and `asset-type` (and, for a node, `fqdn`, `ipv4-address`,
 * `ipv6-address`, `mac-address`, `os-name` from its asset facts), so a generic reader can name a target without
 * Plimsoll's namespaced props; those add the node id, target kind, stable key and id of the run.
 */
import net from 'node:net';
import type { Assessment, NodeRunStatus } from '../domain/assessment.js';
import type { AssetFacts } from '../domain/asset.js';
import { controlIdOf } from '../domain/cci-mapping.js';
import type { RuleResult, Severity } from '../domain/results.js';
import type { AssessedTarget, AssessedTargetKind, TargetResult } from '../domain/target-results.js';
import { oscalUuids } from './oscal-uuids.js';
import { OSCAL_VERSION, type OscalJson, type OscalPropJson, oscalProse, oscalString, prop, toToken } from './oscal-values.js';

/** A node as the documents describe it. */
export interface ArNode {
  id: string;
  name: string;
  endpoint: string;
  /** When its facts were collected (observations' `collected`). */
  collectedAt?: string;
  /** sha256 of the node's stored facts snapshot. */
  factsSha256?: string;
  engineVersion?: string;
  /** How its collection went. */
  status?: NodeRunStatus;
  /** Its effective asset facts at the run. */
  asset?: AssetFacts;
}

export interface ArBenchmark {
  documentId: string;
  benchmarkId: string;
  title: string;
  version: string;
  release?: string;
  releaseDate?: string;
  sourceFile?: string;
  sha256?: string;
  /** The profile that selected the benchmark's rules (all rules without one). */
  profile?: { id: string; title?: string };
}

/** A rule the plan schedules: one activity. */
export interface PlannedRule {
  /** The stored benchmark the rule belongs to (a run may assess several). */
  benchmarkDocumentId?: string;
  ruleId: string;
  stigId: string;
  title: string;
  severity: Severity;
  /** The check text (how the rule is examined). */
  checkContent?: string;
  /** True when a check decides it from collected facts; otherwise a person examines it. */
  automated: boolean;
  /** SP 800-53 statement ids its CCIs map to. */
  controlIds: string[];
}

/** Everything the plan and the results of a finished assessment are built from. */
export interface AssessmentReportInput {
  /** A finished assessment (`finishedAt` set). */
  assessment: Assessment;
  /** The first (or only) benchmark of the run, and its profile. */
  benchmark: ArBenchmark;
  profile?: { id: string; title?: string };
  /** Every benchmark of the run with its profile, in request order (the first is `benchmark`); absent: that one alone. */
  benchmarks?: readonly ArBenchmark[];
  rules: readonly PlannedRule[];
  results: readonly RuleResult[];
  /** The per-target split of `results`. */
  targets: readonly TargetResult[];
  nodes: readonly ArNode[];
  /** Who started the run. */
  actor: { name: string; role?: string };
  tool: { name: string; version: string };
}

const ASSET_TYPE: Record<AssessedTargetKind, string> = {
  node: 'docker-host',
  daemon: 'container-engine',
  container: 'container',
  image: 'container-image',
  swarm: 'container-cluster',
  'swarm-node': 'cluster-node',
  service: 'container-service',
  network: 'network',
  secret: 'secret',
  file: 'file',
};

const KIND_WORD: Record<AssessedTargetKind, string> = {
  node: 'Docker host',
  daemon: 'Docker engine',
  container: 'Container',
  image: 'Image',
  swarm: 'Swarm',
  'swarm-node': 'Swarm node',
  service: 'Swarm service',
  network: 'Overlay network',
  secret: 'Swarm secret',
  file: 'Host file',
};

/** An OSCAL (un-namespaced) property: for names OSCAL itself defines on inventory items. */
function oscalProp(name: string, value: string): OscalPropJson {
  return { name, value: oscalString(value) };
}

export function releaseLabel(b: ArBenchmark): string {
  return b.release !== undefined ? `V${b.version}R${b.release}` : `version ${b.version}`;
}

/** The benchmarks of a report input with their profiles, in request order (the first alone when none are listed). */
export function benchmarksOf(input: Pick<AssessmentReportInput, 'benchmark' | 'profile' | 'benchmarks'>): ArBenchmark[] {
  if (input.benchmarks !== undefined && input.benchmarks.length > 0) return [...input.benchmarks];
  return [{ ...input.benchmark, ...(input.profile !== undefined ? { profile: input.profile } : {}) }];
}

/** What a run assessed, for descriptions: `Title (id) V2R2, profile P` per benchmark, joined by `; `. */
export function benchmarkScope(input: Pick<AssessmentReportInput, 'benchmark' | 'profile' | 'benchmarks'>): string {
  return benchmarksOf(input)
    .map((b) => `${b.title} (${b.benchmarkId}) ${releaseLabel(b)}${b.profile ? `, profile ${b.profile.id}` : ', all rules'}`)
    .join('; ');
}

/** What a run assessed, for titles: `id V2R2` (or `Title V2R2` with `by: 'title'`) per benchmark, joined by ` and `. */
export function benchmarkLabel(input: Pick<AssessmentReportInput, 'benchmark' | 'profile' | 'benchmarks'>, by: 'id' | 'title' = 'id'): string {
  return benchmarksOf(input)
    .map((b) => `${by === 'id' ? b.benchmarkId : b.title} ${releaseLabel(b)}`)
    .join(' and ');
}

const itemUuids = new Map<string, string>();
const MAX_CACHED_ITEMS = 100_000;

/**
 * The inventory item uuid of a node's target. Every observation of a target names it, so it is computed once
 * per target (a bounded cache: the uuid depends on nothing else).
 */
export function itemUuid(nodeId: string, target: Pick<AssessedTarget, 'kind' | 'key'>): string {
  const key = `${nodeId}\u0000${target.kind}\u0000${target.key}`;
  let uuid = itemUuids.get(key);
  if (uuid === undefined) {
    if (itemUuids.size >= MAX_CACHED_ITEMS) itemUuids.clear();
    uuid = oscalUuids.inventoryItem(nodeId, target.kind, target.key);
    itemUuids.set(key, uuid);
  }
  return uuid;
}

/** A subject reference to a node's target. */
export function subjectOf(nodeId: string, target: AssessedTarget): { 'subject-uuid': string; type: 'inventory-item'; title: string } {
  return { 'subject-uuid': itemUuid(nodeId, target), type: 'inventory-item', title: oscalString(target.name) };
}

function assetProps(asset: AssetFacts | undefined): OscalPropJson[] {
  if (asset === undefined) return [];
  const ips = asset.ipAddresses?.value ?? [];
  return [
    ...(asset.fqdn ? [oscalProp('fqdn', asset.fqdn.value)] : []),
    ...ips.map((ip) => oscalProp(net.isIPv6(ip) ? 'ipv6-address' : 'ipv4-address', ip)),
    ...(asset.macAddresses?.value ?? []).map((m) => oscalProp('mac-address', m)),
    ...(asset.os ? [oscalProp('os-name', asset.os.value)] : []),
    ...(asset.hostName ? [prop('host-name', asset.hostName.value)] : []),
    ...(asset.role ? [prop('role', asset.role.value)] : []),
    // A host file that could not be read: a value missing for that reason is unknown, not absent.
    ...(asset.unreadable ?? []).map((e) => prop('asset-unreadable', e.path, { remarks: oscalProse(e.error, 'unreadable') })),
  ];
}

/** A node as an inventory item: the Docker host, with its asset facts and collection status. */
function nodeItem(n: ArNode): OscalJson {
  const status = n.status;
  return {
    uuid: itemUuid(n.id, { kind: 'node', key: 'node' }),
    description: `Docker host "${n.name}", engine at ${n.endpoint}.`,
    props: [
      oscalProp('asset-id', n.name),
      oscalProp('asset-type', ASSET_TYPE.node),
      ...assetProps(n.asset),
      prop('node-id', n.id),
      prop('endpoint', n.endpoint),
      ...(n.engineVersion !== undefined ? [prop('engine-version', n.engineVersion)] : []),
      ...(n.factsSha256 !== undefined ? [prop('facts-sha256', n.factsSha256)] : []),
      ...(status !== undefined ? [prop('collection-status', status.state, status.state === 'failed' ? { remarks: `${status.reason}: ${status.message}` } : {})] : []),
    ],
  };
}

/** A target of a node as an inventory item. */
function targetItem(node: ArNode, t: AssessedTarget): OscalJson {
  const image = t.image !== undefined ? `, image ${t.image}` : '';
  return {
    uuid: itemUuid(node.id, t),
    description: `${KIND_WORD[t.kind]} "${oscalString(t.name)}" on node ${node.name}${image} (stable key ${t.key}${t.id !== '' && t.id !== t.name ? `, id ${t.id}` : ''}).`,
    props: [
      oscalProp('asset-id', `${node.name}/${t.kind}/${t.key}`),
      oscalProp('asset-type', ASSET_TYPE[t.kind]),
      prop('node-id', node.id),
      prop('target-kind', t.kind),
      prop('target-key', t.key),
      ...(t.id !== '' ? [prop('target-id', t.id)] : []),
      ...(t.image !== undefined ? [prop('image', t.image)] : []),
    ],
  };
}

/** Every node, then every distinct target of the results, in first-seen order. */
export function inventoryItems(nodes: readonly ArNode[], targets: readonly TargetResult[]): OscalJson[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const items = nodes.map(nodeItem);
  const seen = new Set(items.map((i) => i.uuid as string));
  for (const t of targets) {
    const node = byId.get(t.nodeId);
    if (node === undefined || t.target.kind === 'node') continue;
    const uuid = itemUuid(t.nodeId, t.target);
    if (seen.has(uuid)) continue;
    seen.add(uuid);
    items.push(targetItem(node, t.target));
  }
  return items;
}

/** The controls (`cm-7`) of the statements (`cm-7_smt.a`) the rules map to, as one control selection. */
export function controlSelections(controlIdLists: readonly (readonly string[])[]): OscalJson[] {
  const byControl = new Map<string, Set<string>>();
  for (const ids of controlIdLists) {
    for (const id of ids) {
      const control = controlIdOf(id);
      const statements = byControl.get(control) ?? new Set<string>();
      if (id !== control) statements.add(id);
      byControl.set(control, statements);
    }
  }
  if (byControl.size === 0) return [{ description: 'No assessed rule maps to an SP 800-53 control statement in the loaded catalogs.' }];
  const include = [...byControl].map(([control, statements]) => ({
    'control-id': toToken(control),
    ...(statements.size > 0 ? { 'statement-ids': [...statements].map(toToken) } : {}),
  }));
  return [{ description: 'SP 800-53 rev5 controls evidenced by the assessed STIG rules, through their CCIs.', 'include-controls': include }];
}

/** The tool as the one assessment platform: its component, the platform and the origin every entry names. */
export function toolDefinitions(tool: { name: string; version: string }): { component: OscalJson; platform: OscalJson; origins: OscalJson[] } {
  const componentUuid = oscalUuids.toolComponent(tool.name);
  const platformUuid = oscalUuids.platform(tool.name);
  return {
    component: {
      uuid: componentUuid,
      type: 'software',
      title: oscalString(tool.name),
      description: 'Compliance assessment server: collects one inventory per Docker engine and decides STIG rules from it.',
      props: [prop('version', tool.version)],
      status: { state: 'operational' },
    },
    platform: { uuid: platformUuid, title: oscalString(tool.name), 'uses-components': [{ 'component-uuid': componentUuid }] },
    origins: [{ actors: [{ type: 'assessment-platform', 'actor-uuid': platformUuid }] }],
  };
}

/** Document metadata: title, times, the assessment's id, roles and the two parties (who ran it, the tool). */
export function reportMetadata(
  input: Pick<AssessmentReportInput, 'assessment' | 'actor' | 'tool'>,
  title: string,
  extraRoles: readonly { id: string; title: string; description: string }[] = [],
): OscalJson {
  const a: Assessment = input.assessment;
  const actorParty = oscalUuids.personParty(input.actor.name);
  const toolParty = oscalUuids.toolParty(input.tool.name);
  return {
    title: oscalString(title),
    'last-modified': a.finishedAt ?? a.startedAt,
    version: '1.0',
    'oscal-version': OSCAL_VERSION,
    props: [prop('assessment-id', a.id), prop('assessment-status', a.status)],
    roles: [
      { id: 'assessor', title: 'Assessor', description: 'Started the assessment run.' },
      { id: 'assessment-tool', title: 'Assessment tool', description: 'Collected the facts and decided the automated rules.' },
      ...extraRoles,
    ],
    parties: [
      { uuid: actorParty, type: 'person', name: oscalString(input.actor.name), ...(input.actor.role ? { props: [prop('plimsoll-role', input.actor.role)] } : {}) },
      { uuid: toolParty, type: 'organization', name: oscalString(`${input.tool.name} ${input.tool.version}`), 'short-name': oscalString(input.tool.name) },
    ],
    'responsible-parties': [
      { 'role-id': 'assessor', 'party-uuids': [actorParty] },
      { 'role-id': 'assessment-tool', 'party-uuids': [toolParty] },
    ],
  };
}
