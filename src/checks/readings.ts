/**
 * How Plimsoll reads each automated rule's check text where the text leaves room or where Plimsoll deliberately
 * departs from it (`deviation`), with the reason. Rendered into docs/stig-coverage.md, so that an assessor sees
 * every such reading next to the rule it concerns.
 */
export interface CheckReading {
  /** True when the verdict can differ from what the check text's command would give. */
  deviation: boolean;
  reading: string;
}

export const CHECK_READINGS: Readonly<Record<string, CheckReading>> = {
  'DKER-EE-001050': {
    deviation: false,
    reading: 'A tcp:// host passes only with TLS verification on a node outside UCP, as the discussion allows; fd:// alone is not applicable (the discussion). Hosts come from -H/--host and daemon.json "hosts"; an unreadable daemon.json or command line is an error.',
  },
  'DKER-EE-001070': {
    deviation: true,
    reading: 'The text asks for the engine\'s "fips" security option, which only Docker Engine - Enterprise reports; Plimsoll also passes when the host kernel runs in FIPS mode (fips_enabled = 1), which is what the fix text configures. An unreadable fips_enabled is an error.',
  },
  'DKER-EE-001090': {
    deviation: true,
    reading: 'Read from the persistent audit rules (/etc/audit/audit.rules, /etc/audit/rules.d/*.rules), not the loaded ones (`auditctl -l`), which the Engine API and host files can\'t show.',
  },
  'DKER-EE-001190': {
    deviation: true,
    reading: 'The SSP\'s list of sensitive directories is not in the facts: CIS Docker Benchmark 5.5\'s list is used. The text filters the inspect output with grep -iv "ucp\\|kubelet\\|dtr"; Plimsoll matches that pattern against container names and images (not the mount text).',
  },
  'DKER-EE-001250': {
    deviation: false,
    reading: 'Follows the text: IpcMode "shareable" is the finding; "host" (the title\'s and fix text\'s case) fails too.',
  },
  'DKER-EE-001370': {
    deviation: true,
    reading: 'max-size and max-file are taken from daemon.json "log-opts" or --log-opt flags (the effective configuration; the text reads daemon.json only). Not applicable when the default driver is neither json-file nor local (dockerd rejects the options for others).',
  },
  'DKER-EE-001800': {
    deviation: true,
    reading: 'Read from /info RegistryConfig (the effective list, from --insecure-registry or daemon.json), not only the --insecure-registry flag the text greps; the loopback CIDRs dockerd always adds are no finding.',
  },
  'DKER-EE-001830': {
    deviation: false,
    reading: 'Not applicable on a node of a UCP cluster, recognised by UCP containers (image docker/ucp-*, name ucp-*), which are named in the evidence.',
  },
  'DKER-EE-001930': { deviation: true, reading: 'Applied on every host whose engine reports AppArmor (name=apparmor), not only Ubuntu; whether the profile is loaded in enforce mode is not visible through the Engine API.' },
  'DKER-EE-001950': { deviation: true, reading: 'The SSP is not in the facts: any added capability (HostConfig.CapAdd) fails, and an approval is recorded as an exemption.' },
  'DKER-EE-001960': {
    deviation: false,
    reading: 'The text pipes `docker ps --quiet --all` (container ids only) into grep -iv "ucp\\|kube\\|dtr", which can\'t match a hexadecimal id: no container is left out, here either.',
  },
  'DKER-EE-001970': { deviation: false, reading: 'Processes are read with the Engine API\'s top (GET /containers/{id}/top) instead of `docker exec ps`; a stopped container is not a finding, as the text says.' },
  'DKER-EE-002040': { deviation: true, reading: 'The SSP is not in the facts: any exposed device fails, and an approval is recorded as an exemption.' },
  'DKER-EE-002070': { deviation: false, reading: 'A privileged container fails too: the engine disables seccomp for it, whatever its SecurityOpt says.' },
  'DKER-EE-002080': {
    deviation: true,
    reading: 'The text searches the audit log (ausearch -k docker); the engine keeps only running and not-yet-started exec sessions, so a pass covers those, and says so.',
  },
  'DKER-EE-002090': {
    deviation: true,
    reading: 'As DKER-EE-002080: the exec sessions the engine keeps, not the audit log; any --user (root included) is a use of the option.',
  },
  'DKER-EE-002100': { deviation: true, reading: 'The SSP is not in the facts: any CgroupParent but the default fails, and a documented cgroup is recorded as an exemption.' },
  'DKER-EE-002150': {
    deviation: true,
    reading: 'A stopped container has no bound ports for the text\'s command to show; Plimsoll judges its configured bindings (HostConfig.PortBindings), which apply when it starts: stricter than the text.',
  },
  'DKER-EE-002160': {
    deviation: true,
    reading: 'The text lists running containers; Plimsoll also judges stopped containers\' configured bindings. An empty HostIp is the engine\'s default bind address (0.0.0.0 unless dockerd runs with --ip), so it fails like 0.0.0.0 and ::.',
  },
  'DKER-EE-002770': {
    deviation: true,
    reading: 'The text lists running containers; a stopped container passes when a health check is configured (it runs when the container starts) and fails without one.',
  },
  'DKER-EE-002780': {
    deviation: false,
    reading: 'The engine reports an unlimited PIDs limit as null (what --pids-limit 0 and -1 become): null fails like the 0 and -1 the text names.',
  },
  'DKER-EE-003200': {
    deviation: false,
    reading: 'Judged per container (Config.User), as the text inspects it: a --user override of the image\'s USER counts either way.',
  },
  'DKER-EE-003230': {
    deviation: true,
    reading: 'fluentd and gelf, which the text does not name, pass as they ship every line to a collector. A driver Plimsoll does not know counts as a third-party plugin only when the engine lists it in info.Plugins.Log; otherwise error.',
  },
  'DKER-EE-003310': { deviation: true, reading: 'The SSP\'s capacity is not in the facts: the rule checks that max-size and max-file are set to values dockerd accepts and records them for the reviewer.' },
  'DKER-EE-003320': {
    deviation: true,
    reading: 'The destination must be off the host (a local socket or loopback relay fails). A third-party logging plugin keeps its destination in its own settings, which the engine does not report: error, to be answered by an attestation.',
  },
  'DKER-EE-004030': {
    deviation: true,
    reading: '"unless-stopped", which the text does not name, restarts without bound like "always" and fails; "on-failure" with MaximumRetryCount 0 retries forever and fails.',
  },
  'DKER-EE-004040': { deviation: true, reading: 'The SSP is not in the facts: any ulimit override fails, and an approval is recorded as an exemption.' },
  'DKER-EE-004130': { deviation: false, reading: 'The installed release of UCP and of DTR is the newest release among the node\'s docker/ucp* and docker/dtr* images.' },
  'DKER-EE-005310': {
    deviation: true,
    reading: 'The sockets the daemon listens on (its unix -H hosts, or docker.socket\'s ListenStream for fd://), not only /var/run/docker.sock; the text\'s path is checked when the hosts can\'t be read.',
  },
  'DKER-EE-005320': { deviation: true, reading: 'As DKER-EE-005310: the sockets the daemon listens on.' },
  'DKER-EE-006240': {
    deviation: true,
    reading: 'Encryption at the application layer, which the text also accepts, is not visible to the engine: such a network fails and is recorded as an exemption with that evidence.',
  },
  'DKER-EE-006270': { deviation: true, reading: 'The listen address is read from dockerd\'s swarm state file (DockerRootDir/swarm/docker-state.json), not from netstat.' },
  'DKER-EE-999999': {
    deviation: false,
    reading: 'An engine release before 19.03 (Docker Enterprise 2.x\'s 17.06 and 18.09, or older) fails; a later one is not the finding the text names and passes, the vendor\'s support calendar not being among the facts.',
  },
};
