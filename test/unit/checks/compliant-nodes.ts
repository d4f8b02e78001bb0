/**
 * Compliant nodes: facts on which the automated rules pass, for the evidence guard (evidence-guard.test.ts).
 * Built from real recordings (a hardened container's inspection, a 20.10 daemon's /version, a swarm manager's
 * /info and swarm answers) and from the compliant fake host read by the real host collectors, then set the
 * way a compliant node is. Two nodes, because some rules exclude each other: one logs with json-file and
 * bounded rotation, the other ships logs to a remote syslog. Every automated rule must pass on at least one;
 * a new rule that passes on neither makes the guard test fail until a node here is made compliant with it.
 * The supply-chain parts come from the real registry and trust collectors replaying the recorded Notary
 * server's data (test/fixtures/tuf): the containers run the recorded repository's signed tags, its registry
 * holds only those, and the facts are collected at a time the recorded trust data is valid. Environment values and
 * history lines are screened for secrets by the real redactor and classifier, as the collector does.
 */
import fs from 'node:fs';
import { RegistryCollector } from '../../../src/collectors/registry-collector.js';
import { TrustCollector } from '../../../src/collectors/trust-collector.js';
import { EnvironmentPolicyCollector } from '../../../src/collectors/environment-policy-collector.js';
import { DEFAULT_ACCESS_LABEL_KEY, DEFAULT_PRODUCTION_ENVIRONMENTS } from '../../../src/domain/environment-policy.js';
import type { ApiObject, ContainerFacts, NodeFacts } from '../../../src/domain/facts.js';
import { EnvRedactor } from '../../../src/domain/env-redaction.js';
import { secretClassifier } from '../../../src/domain/secret-classifier.js';
import { staticSupplyChainSettings } from '../../../src/domain/supply-chain.js';
import { RECORDED_DIGEST, RECORDED_GUN, RECORDED_REGISTRY_HOST, RECORDED_VALID_AT, recordedRegistryClient, recordedTrustClient } from '../../fixtures/tuf/recorded.js';
import { recordedVersion } from './engine/engine-facts.js';
import { recordedInspect } from './facts-helpers.js';
import { collect, compliantHost, DOCKERD_ARGS, DOCKERD_PID, NO_CLIENT, NODE } from './host/fake-host.js';
import { managerPart, recorded, SWARM_DIR } from './swarm/swarm-facts.js';

const DATA_ROOT = '/var/lib/docker';
/** The image the containers run: the recorded repository's, pulled by its signed tags (RepoDigest = the signed digest). */
const APP_IMAGE_ID = `sha256:${'1'.repeat(64)}`;

/**
 * A compliant container from the recorded hardened one: running (or stopped), health-checked, non-root, with a
 * volume, a read-only bind and a port bound to one address, created from a signed tag of the recorded repository.
 */
function compliantContainer(name: string, running: boolean, reference: string): ContainerFacts {
  const inspect = recordedInspect('hardened');
  const id = `${name.padEnd(12, '0')}${'a'.repeat(52)}`;
  const hostConfig = inspect.HostConfig as ApiObject;
  const config = inspect.Config as ApiObject;
  const port = { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: running ? '8080' : '8081' }] };
  Object.assign(hostConfig, { CpuShares: 512, RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 }, PortBindings: port, NetworkMode: 'plimsoll-net' });
  Object.assign(config, { User: '1000', Healthcheck: { Test: ['CMD', 'true'], Interval: 2000000000 }, Image: reference });
  // Placed in a collection of its (production) environment (PLM-ENV-002).
  config.Labels = { ...((config.Labels as ApiObject | null) ?? {}), [DEFAULT_ACCESS_LABEL_KEY]: '/Shared/prod/web' };
  inspect.Id = id;
  inspect.Image = APP_IMAGE_ID;
  inspect.Name = `/${name}`;
  inspect.AppArmorProfile = 'docker-default';
  inspect.ExecIDs = null;
  inspect.Mounts = [
    { Type: 'volume', Name: 'data', Source: `${DATA_ROOT}/volumes/data/_data`, Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
    { Type: 'bind', Source: '/srv/app', Destination: '/app', Mode: 'ro', RW: false, Propagation: 'rprivate' },
  ];
  inspect.State = running
    ? { ...(inspect.State as ApiObject), Health: { Status: 'healthy', FailingStreak: 0, Log: [] } }
    : { ...(inspect.State as ApiObject), Status: 'exited', Running: false, Pid: 0, ExitCode: 0 };
  (inspect.NetworkSettings as ApiObject).Ports = running ? port : {};
  return { id, name, image: String(config.Image), inspect };
}

function image(id: string, tags: string[], digests: string[], user: string): ApiObject {
  return { Id: `sha256:${id.repeat(64).slice(0, 64)}`, RepoTags: tags, RepoDigests: digests, Config: { User: user, Cmd: ['/bin/sleep', '3600'], Env: ['PATH=/bin'] }, Os: 'linux' };
}

/** An image's history as the engine answers it (newest layer first), classic builder lines. */
function history(image: ApiObject): ApiObject[] {
  const id = String(image.Id);
  return [
    { Id: id, Created: 1767225600, CreatedBy: '/bin/sh -c #(nop)  CMD ["/bin/sleep" "3600"]', Tags: image.RepoTags, Size: 0, Comment: '' },
    { Id: '<missing>', Created: 1767225590, CreatedBy: '/bin/sh -c #(nop)  ENV PATH=/bin', Tags: null, Size: 0, Comment: '' },
    { Id: '<missing>', Created: 1767225580, CreatedBy: '/bin/sh -c #(nop) ADD file:0b9d3e4c5e6f7a8b9c0d1e2f3a4b5c6d in / ', Tags: null, Size: 1_200_000, Comment: '' },
  ];
}

/**
 * Screens the facts as the EngineCollector does: every environment value and history line through the redactor
 * with the secret classifier, the findings and the secret policy (classifier, 90-day rotation) recorded.
 */
function screened(facts: NodeFacts): NodeFacts {
  const redactor = new EnvRedactor('compliant-nodes-salt-0123456789', [secretClassifier]);
  const found = facts.containers.flatMap((c) => redactor.redact(c.inspect, `containers/${c.id}/inspect`));
  for (const part of ['engine', 'swarm'] as const) {
    const p = facts[part];
    if (p?.status === 'collected') found.push(...redactor.redact(p.data, part));
  }
  if (found.length > 0) throw new Error(`a compliant node holds secrets: ${JSON.stringify(found)}`);
  return { ...facts, secretPolicy: { classifiers: redactor.classifierIds, maxAgeDays: 90 } };
}

/**
 * The environment: the recorded registry, whose trust server holds the recorded data. One allowed signer,
 * `targets/releases`: the recorded digest is also signed by `targets` (as 1.0) and `targets/alice`, and with
 * two allowed signers taking one's metadata away would rightly leave a pass on the other's.
 */
const SUPPLY_CHAIN = staticSupplyChainSettings([
  {
    environment: 'default',
    registries: [{ name: 'registry', host: RECORDED_REGISTRY_HOST, url: `http://${RECORDED_REGISTRY_HOST}`, trustServer: 'notary' }],
    trustServers: [{ name: 'notary', url: 'https://127.0.0.1:4443' }],
    allowedSigners: [{ role: 'targets/releases' }],
  },
]);

/** The environment policy of a production node: the recorded registry, and its collections (PLM-ENV-001, PLM-ENV-002). */
const PROD_POLICY = new EnvironmentPolicyCollector(
  staticSupplyChainSettings([{ environment: 'prod', registries: [{ name: 'registry', host: RECORDED_REGISTRY_HOST, url: `http://${RECORDED_REGISTRY_HOST}` }], trustServers: [], allowedSigners: [], collections: ['/prod', '/Shared/prod/*'] }]),
  { productionEnvironments: DEFAULT_PRODUCTION_ENVIRONMENTS, accessLabelKey: DEFAULT_ACCESS_LABEL_KEY },
);

/** The registries and trust parts, collected by the real collectors from the recorded registry and Notary data. */
async function supplyChainParts(facts: NodeFacts): Promise<Pick<NodeFacts, 'registries' | 'trust' | 'environmentPolicy'>> {
  const registries = await new RegistryCollector(SUPPLY_CHAIN, recordedRegistryClient).collect(NODE);
  const trust = await new TrustCollector(SUPPLY_CHAIN, recordedTrustClient()).collect(NODE, NO_CLIENT, { ...facts, registries });
  const environmentPolicy = await PROD_POLICY.collect({ ...NODE, environment: 'prod' });
  return { registries, trust, environmentPolicy };
}

/** The two compliant nodes (json-file logging; remote syslog logging). */
export async function compliantNodes(): Promise<{ name: string; facts: NodeFacts }[]> {
  const host = await compliantHost();
  try {
    host.write(`/proc/${DOCKERD_PID}/cmdline`, `${[...DOCKERD_ARGS, '--userland-proxy=false'].join('\0')}\0`, 0o444);
    host.write(`${DATA_ROOT}/swarm/docker-state.json`, fs.readFileSync(`${SWARM_DIR}/docker-state-listen-127.json`, 'utf8'), 0o600);
    const baseInfo = recorded('info.json');
    const logDrivers = ['awslogs', 'fluentd', 'gcplogs', 'gelf', 'journald', 'json-file', 'local', 'logentries', 'splunk', 'syslog'];
    const info = (driver: string): ApiObject => ({
      ...baseInfo,
      DockerRootDir: DATA_ROOT,
      LoggingDriver: driver,
      SecurityOptions: ['name=apparmor', 'name=seccomp,profile=default', 'name=selinux'],
      Plugins: { ...(baseInfo.Plugins as ApiObject), Log: logDrivers },
    });
    const running = compliantContainer('web', true, `${RECORDED_GUN}:2.0`);
    const stopped = compliantContainer('batch', false, `${RECORDED_GUN}:1.0`);
    const swarm = managerPart({ networks: recorded<ApiObject[]>('networks.json').filter((n) => n.Name === 'enc-net' || n.Name === 'ingress') });
    const node = async (name: string, driver: string, daemonJson: ApiObject): Promise<{ name: string; facts: NodeFacts }> => {
      host.write('/etc/docker/daemon.json', JSON.stringify(daemonJson), 0o644);
      const i = info(driver);
      const parts = await collect(host, i);
      const images = [image('1', [`${RECORDED_GUN}:1.0`, `${RECORDED_GUN}:2.0`], [`${RECORDED_GUN}@${RECORDED_DIGEST}`], '1000'), image('2', ['docker/ucp-agent:3.2.6'], [], '0')];
      const facts: NodeFacts = {
        ...parts,
        nodeName: name,
        collectedAt: RECORDED_VALID_AT,
        version: recordedVersion(),
        info: i,
        containers: [stopped, running],
        engine: {
          status: 'collected',
          data: {
            images,
            histories: Object.fromEntries(images.map((i) => [String(i.Id), history(i)])),
            networks: [],
            volumes: [],
            plugins: [],
            processes: { [running.id]: { Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: [['1000', '4711', '4690', '0', '12:00', '?', '00:00:00', 'sleep 3600']] } },
            execs: { [running.id]: [], [stopped.id]: [] },
          },
        },
        swarm: { status: 'collected', data: swarm },
      };
      return { name, facts: screened({ ...facts, ...(await supplyChainParts(facts)) }) };
    };
    return [
      await node('json-file node', 'json-file', { 'log-driver': 'json-file', 'log-opts': { 'max-size': '10m', 'max-file': '3' } }),
      await node('remote syslog node', 'syslog', { 'log-driver': 'syslog', 'log-opts': { 'syslog-address': 'tcp://10.1.2.3:514' } }),
    ];
  } finally {
    await host.cleanup();
  }
}
