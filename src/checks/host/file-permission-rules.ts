/**
 * DKER-EE-005170 … 005360: owner, group and mode of the Docker files on the host. Where the check text says a
 * missing file is not a finding (the systemd units), or the file only exists in some set-ups (registry
 * certificates, TLS material of a daemon without TLS, /etc/default/docker outside Ubuntu), its absence is
 * not applicable with the evidence of why; where the check requires the file (daemon.json, /etc/docker), its
 * absence is a finding.
 */
import type { HostFacts, HostFileFacts, NodeFacts } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { requirePart } from '../parts.js';
import { CERTS_DIR, DOCKER_DIR, ETC_DEFAULT_DOCKER, UNIT_DIRS, daemonJsonPath, socketPaths, tlsFiles, unitFile, type DockerUnit, type TlsRole } from './docker-files.js';
import { contentUnreadable, fileCheck, lookup, optionalFile, requiredFile, unreadable, type FileRequirement, type FileRuleSpec, type FileSelection } from './file-rule.js';

const ROOT_ROOT: FileRequirement = { owner: 'root', group: 'root' };

/** The unit's FragmentPath, or not applicable when no unit file exists ("If the file does not exist, this is not a finding"). */
function unit(name: DockerUnit) {
  return (_facts: NodeFacts, host: HostFacts): FileSelection => {
    const f = unitFile(host, name);
    if (f !== undefined && 'notRead' in f) return { invalid: f.notRead };
    return f === undefined ? { notApplicable: `No ${name} unit file exists in ${UNIT_DIRS.join(', ')} on ${host.source}.` } : { files: [f] };
  };
}

/** /etc/docker (required), and on Ubuntu-style hosts /etc/default/docker, which the 005210 check text adds. */
function dockerDir(withEtcDefault: boolean) {
  return (_facts: NodeFacts, host: HostFacts): FileSelection => {
    const dir = requiredFile(host, DOCKER_DIR, 'the STIG requires the Docker configuration directory (and daemon.json in it)');
    if (!withEtcDefault || !('files' in dir)) return dir;
    const etcDefault = lookup(host, ETC_DEFAULT_DOCKER);
    if ('notRead' in etcDefault) return { invalid: etcDefault.notRead };
    return etcDefault.exists ? { ...dir, files: [...dir.files, etcDefault] } : dir;
  };
}

/** Every regular file below /etc/docker/certs.d; not applicable when there are none. */
function registryCertificates(_facts: NodeFacts, host: HostFacts): FileSelection {
  const root = lookup(host, CERTS_DIR);
  if ('notRead' in root) return { invalid: root.notRead };
  if (!root.exists) return { notApplicable: `${CERTS_DIR} does not exist on ${host.source}: no registry certificates are installed.` };
  if (root.contentError !== undefined) return { invalid: contentUnreadable(host, root) };
  const below = host.files.filter((f) => f.path.startsWith(`${CERTS_DIR}/`));
  const failed = below.find((f) => f.error !== undefined);
  if (failed !== undefined) return { invalid: unreadable(host, failed) };
  const files = below.filter((f) => f.exists && f.type === 'file');
  return files.length > 0 ? { files } : { notApplicable: `${CERTS_DIR} holds no certificate files on ${host.source}.` };
}

/** The daemon's TLS file of `role`; not applicable when the daemon serves no TLS. */
function tlsFile(role: TlsRole) {
  return (facts: NodeFacts, host: HostFacts): FileSelection => {
    const daemon = requirePart(facts, 'daemon');
    if ('outcome' in daemon) return daemon;
    const tls = tlsFiles(daemon.data);
    if ('invalid' in tls) return { invalid: tls.invalid };
    if (!tls.enabled) return { notApplicable: `The daemon does not serve TLS: ${tls.evidence}.` };
    const file = tls.files.find((f) => f.role === role);
    if (file === undefined) return { invalid: `no TLS ${role} file is known` };
    const selected = requiredFile(host, file.path, `${tls.evidence}, and ${file.field} names it`);
    return 'files' in selected ? { ...selected, note: `(${file.field}.)` } : selected;
  };
}

/** The unix sockets the daemon listens on. */
function sockets(facts: NodeFacts, host: HostFacts): FileSelection {
  const daemon = facts.daemon?.status === 'collected' ? facts.daemon.data : null;
  const socketUnit = unitFile(host, 'docker.socket');
  if (socketUnit !== undefined && 'notRead' in socketUnit) return { invalid: socketUnit.notRead };
  if (socketUnit !== undefined && socketUnit.content === undefined) return { invalid: contentUnreadable(host, socketUnit) };
  const { sockets: list, unknownHosts } = socketPaths(daemon, socketUnit?.content);
  if (list.length === 0) return { notApplicable: 'The daemon listens on no unix socket (only TCP or other hosts are configured).' };
  const files: HostFileFacts[] = [];
  const missing: { path: string; why: string }[] = [];
  for (const s of list) {
    const f = lookup(host, s.path);
    if ('notRead' in f) return { invalid: f.notRead };
    if (f.exists) files.push(f);
    else if (unknownHosts !== undefined) return { invalid: `${s.path} does not exist and ${unknownHosts}` };
    else missing.push({ path: s.path, why: `the daemon listens on it (${s.why})` });
  }
  return unknownHosts === undefined ? { files, missing } : { files, missing, note: `(The STIG's path was checked: ${unknownHosts}.)` };
}

/** The daemon.json the daemon reads (its --config-file, else the default): unknown while the daemon part is missing. */
function daemonJson(facts: NodeFacts, host: HostFacts): FileSelection {
  const daemon = requirePart(facts, 'daemon');
  if ('outcome' in daemon) return { invalid: `which daemon.json dockerd reads is unknown (${daemon.outcome.message})` };
  return requiredFile(host, daemonJsonPath(daemon.data), 'the STIG requires daemon.json to be created');
}

function etcDefaultDocker(_facts: NodeFacts, host: HostFacts): FileSelection {
  return optionalFile(host, ETC_DEFAULT_DOCKER, 'the rule applies to Ubuntu hosts, whose Docker packages install it');
}

/** The ownership and permission rules, in STIG order. */
const FILE_RULES: readonly FileRuleSpec[] = [
  { stigId: 'DKER-EE-005170', title: 'Docker Enterprise docker.service file ownership must be set to root:root.', requirement: ROOT_ROOT, select: unit('docker.service') },
  { stigId: 'DKER-EE-005180', title: 'Docker Enterprise docker.service file permissions must be set to 644 or more restrictive.', requirement: { mask: 0o644 }, select: unit('docker.service') },
  { stigId: 'DKER-EE-005190', title: 'Docker Enterprise docker.socket file ownership must be set to root:root.', requirement: ROOT_ROOT, select: unit('docker.socket') },
  { stigId: 'DKER-EE-005200', title: 'Docker Enterprise docker.socket file permissions must be set to 644 or more restrictive.', requirement: { mask: 0o644 }, select: unit('docker.socket') },
  { stigId: 'DKER-EE-005210', title: 'Docker Enterprise /etc/docker directory ownership must be set to root:root.', requirement: ROOT_ROOT, select: dockerDir(true) },
  { stigId: 'DKER-EE-005220', title: 'Docker Enterprise /etc/docker directory permissions must be set to 755 or more restrictive.', requirement: { mask: 0o755 }, select: dockerDir(false) },
  { stigId: 'DKER-EE-005230', title: 'Docker Enterprise registry certificate file ownership must be set to root:root.', requirement: ROOT_ROOT, select: registryCertificates },
  { stigId: 'DKER-EE-005240', title: 'Docker Enterprise registry certificate file permissions must be set to 444 or more restrictive.', requirement: { mask: 0o444 }, select: registryCertificates },
  { stigId: 'DKER-EE-005250', title: 'Docker Enterprise TLS certificate authority (CA) certificate file ownership must be set to root:root.', requirement: ROOT_ROOT, select: tlsFile('ca') },
  { stigId: 'DKER-EE-005260', title: 'Docker Enterprise TLS certificate authority (CA) certificate file permissions must be set to 444 or more restrictive.', requirement: { mask: 0o444 }, select: tlsFile('ca') },
  { stigId: 'DKER-EE-005270', title: 'Docker Enterprise server certificate file ownership must be set to root:root.', requirement: ROOT_ROOT, select: tlsFile('cert') },
  { stigId: 'DKER-EE-005280', title: 'Docker Enterprise server certificate file permissions must be set to 444 or more restrictive.', requirement: { mask: 0o444 }, select: tlsFile('cert') },
  { stigId: 'DKER-EE-005290', title: 'Docker Enterprise server certificate key file ownership must be set to root:root.', requirement: ROOT_ROOT, select: tlsFile('key') },
  { stigId: 'DKER-EE-005300', title: 'Docker Enterprise server certificate key file permissions must be set to 400.', requirement: { mask: 0o400 }, select: tlsFile('key') },
  { stigId: 'DKER-EE-005310', title: 'Docker Enterprise socket file ownership must be set to root:docker.', requirement: { owner: 'root', group: 'docker' }, select: sockets },
  { stigId: 'DKER-EE-005320', title: 'Docker Enterprise socket file permissions must be set to 660 or more restrictive.', requirement: { mask: 0o660 }, select: sockets },
  { stigId: 'DKER-EE-005330', title: 'Docker Enterprise daemon.json file ownership must be set to root:root.', requirement: ROOT_ROOT, select: daemonJson },
  { stigId: 'DKER-EE-005340', title: 'Docker Enterprise daemon.json file permissions must be set to 644 or more restrictive.', requirement: { mask: 0o644 }, select: daemonJson },
  { stigId: 'DKER-EE-005350', title: 'Docker Enterprise /etc/default/docker file ownership must be set to root:root.', requirement: ROOT_ROOT, select: etcDefaultDocker },
  { stigId: 'DKER-EE-005360', title: 'Docker Enterprise /etc/default/docker file permissions must be set to 644 or more restrictive.', requirement: { mask: 0o644 }, select: etcDefaultDocker },
];

/** The owner or mode each rule requires, by STIG id: what a remediation plan's chown or chmod sets. */
export const FILE_REQUIREMENTS: Readonly<Record<string, FileRequirement>> = Object.fromEntries(FILE_RULES.map((r) => [r.stigId, r.requirement]));

/** The ownership and permission checks, in STIG order. */
export const FILE_PERMISSION_CHECKS: readonly Check[] = FILE_RULES.map(fileCheck);
