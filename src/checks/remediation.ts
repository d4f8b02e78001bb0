/**
 * Concrete remediations: for every rule Plimsoll automates (or is automating), the command, run flag,
 * compose key or daemon.json change that fixes a failure. The STIG's fix text says what to achieve, often
 * with placeholders or for Docker Enterprise 2.x only; these say how, on a current engine. A plain data
 * module keyed by STIG id; evaluation appends the entry to the fix text of a failed rule (see
 * `withConcreteRemediation`). A unit test keeps it complete: every registered check has an entry and every
 * entry names a rule of the V2R2 benchmark.
 */

const RESTART = 'then restart the daemon (`systemctl restart docker`)';
const RECREATE = 'then recreate the container (`docker rm -f NAME` and `docker run` again, or `docker compose up -d --force-recreate`)';

/** STIG id → concrete remediation (one paragraph of text, commands in backticks). */
export const REMEDIATIONS: Readonly<Record<string, string>> = {
  // Containers: run flags, compose keys.
  'DKER-EE-001190':
    'Remove the bind mounts of sensitive host directories (/, /boot, /dev, /etc, /lib, /proc, /sys, /usr) from the container: drop `-v /etc:/host/etc` style `--volume`/`--mount` options (compose: the `volumes:` entries); if a file must be shared, mount only that file and read-only (`--mount type=bind,src=/etc/app.conf,dst=/etc/app.conf,readonly`), ' + RECREATE + '.',
  'DKER-EE-001240': 'Remove `--pid=host` (compose: `pid: host`) so that the container gets its own process namespace, ' + RECREATE + '.',
  'DKER-EE-001250': 'Remove `--ipc=host` (compose: `ipc: host`); share IPC between two containers only with `--ipc=container:NAME` when required, ' + RECREATE + '.',
  'DKER-EE-001930':
    'On AppArmor hosts run containers with a profile in enforce mode: `docker run --security-opt apparmor=docker-default …` (compose: `security_opt: ["apparmor=docker-default"]`), never `apparmor=unconfined`; load a custom profile first with `apparmor_parser -r -W /etc/apparmor.d/PROFILE`, ' + RECREATE + '.',
  'DKER-EE-001940':
    'On SELinux hosts set `"selinux-enabled": true` in /etc/docker/daemon.json (' + RESTART + ') and run containers with SELinux labels, never `--security-opt label=disable` (compose: `security_opt: ["label=type:container_t"]` or no label option at all), ' + RECREATE + '.',
  'DKER-EE-001950':
    'Drop all capabilities and add back only those the SSP lists: `docker run --cap-drop=ALL --cap-add=NET_BIND_SERVICE …` (compose: `cap_drop: [ALL]`, `cap_add: [NET_BIND_SERVICE]`), ' + RECREATE + '; record each added capability in the SSP (or an approved exemption).',
  'DKER-EE-001960': 'Remove `--privileged` (compose: `privileged: true`); grant the single capability or device needed instead (`--cap-add=…`, `--device=/dev/X:/dev/X:r`), ' + RECREATE + '.',
  'DKER-EE-001970':
    'Remove the SSH server from the image (Dockerfile: `RUN apt-get purge -y openssh-server` or `apk del openssh-server`, and no `sshd` in CMD/ENTRYPOINT), rebuild it (`docker build -t IMAGE .`) and recreate the container; use `docker exec` for interactive access.',
  'DKER-EE-002000': 'Remove `--network=host`/`--net=host` (compose: `network_mode: host`); attach the container to a user-defined network (`docker network create app-net`, `docker run --network app-net …`) and publish only the ports needed, ' + RECREATE + '.',
  'DKER-EE-002010': 'Set a memory limit: `docker run --memory 256m …`, or on a running container `docker update --memory 256m --memory-swap 256m NAME` (compose: `mem_limit: 256m` or `deploy.resources.limits.memory: 256M`); size it from the SSP.',
  'DKER-EE-002020': 'Set CPU shares from the SSP: `docker run --cpu-shares 512 …`, or `docker update --cpu-shares 512 NAME` (compose: `cpu_shares: 512`).',
  'DKER-EE-002030':
    'Run the container with a read-only root filesystem: `docker run --read-only --tmpfs /tmp --tmpfs /run -v app-data:/var/lib/app …` (compose: `read_only: true` with `tmpfs: [/tmp, /run]` and named volumes for data), ' + RECREATE + '.',
  'DKER-EE-002040': 'Remove `--device` options (compose: `devices:`); if a device is required, expose it without mknod and only with the access needed: `--device=/dev/ttyUSB0:/dev/ttyUSB0:rw` (never `rwm`), ' + RECREATE + '.',
  'DKER-EE-002050': 'Mount volumes with private (default) or slave propagation, never shared: `--mount type=bind,src=/data,dst=/data,bind-propagation=rprivate` instead of `-v /data:/data:shared` (compose: `bind: { propagation: rprivate }`), ' + RECREATE + '.',
  'DKER-EE-002060': 'Remove `--uts=host` (compose: `uts: host`); set a hostname with `--hostname NAME` if needed, ' + RECREATE + '.',
  'DKER-EE-002070':
    'Remove `--security-opt seccomp=unconfined` (compose: `security_opt: ["seccomp=unconfined"]`) so the default seccomp profile applies, or pass a reviewed profile with `--security-opt seccomp=/etc/docker/seccomp/app.json`, ' + RECREATE + '.',
  'DKER-EE-002080':
    'Stop using `docker exec --privileged`; run the needed command with only the capability it needs in the container definition instead. The engine lists running and created-but-unstarted exec sessions: end them (or remove unstarted ones by restarting the container), and review finished ones in the host audit log (`ausearch -k docker`).',
  'DKER-EE-002090':
    'Stop using `docker exec --user` (`-u`) to switch users; run the container as the intended user (`docker run --user 10001:10001 …`). The engine lists running and created-but-unstarted exec sessions; finished ones are only in the host audit log (`ausearch -k docker`).',
  'DKER-EE-002100': 'Remove `--cgroup-parent` (compose: `cgroup_parent:`) so the container runs in the default Docker cgroup, or record the cgroup and why in the SSP, ' + RECREATE + '.',
  'DKER-EE-002110':
    'Run the container with `--security-opt no-new-privileges` (compose: `security_opt: ["no-new-privileges:true"]`), or set `"no-new-privileges": true` in /etc/docker/daemon.json for every new container (' + RESTART + '), ' + RECREATE + '.',
  'DKER-EE-002120': 'Remove `--userns=host` (compose: `userns_mode: host`); enable user-namespace remapping with `"userns-remap": "default"` in /etc/docker/daemon.json (' + RESTART + '), ' + RECREATE + '.',
  'DKER-EE-002130':
    'Remove the Docker socket mount (`-v /var/run/docker.sock:/var/run/docker.sock`, compose: the `/var/run/docker.sock` entry under `volumes:`); give tools that need the API a TLS-authenticated TCP endpoint with a client certificate instead, ' + RECREATE + '.',
  'DKER-EE-002150': 'Publish to host ports of 1024 and above: `--publish 8443:443` instead of `--publish 443:443` (compose: `ports: ["8443:443"]`); put a load balancer in front if port 443 must answer, ' + RECREATE + '.',
  'DKER-EE-002160': 'Bind published ports to one host interface: `--publish 10.2.3.4:8080:80` instead of `--publish 8080:80` (compose: `ports: ["10.2.3.4:8080:80"]`), or set `"ip": "10.2.3.4"` in /etc/docker/daemon.json as the default bind address (' + RESTART + '), ' + RECREATE + '.',
  'DKER-EE-002770':
    'Give the container a health check: `docker run --health-cmd "wget -qO- http://localhost:8080/health || exit 1" --health-interval 30s --health-retries 3 …` (compose: `healthcheck: { test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"], interval: 30s }`, Dockerfile: `HEALTHCHECK CMD …`), ' + RECREATE + '.',
  'DKER-EE-002780': 'Set a PIDs limit: `docker run --pids-limit 100 …`, or `docker update --pids-limit 100 NAME` (compose: `pids_limit: 100`).',
  'DKER-EE-004030': 'Use `--restart on-failure:5` (compose: `restart: on-failure:5`; swarm: `deploy.restart_policy: { condition: on-failure, max_attempts: 5 }`), or `docker update --restart on-failure:5 NAME` on an existing container.',
  'DKER-EE-004040':
    'Remove `--ulimit` overrides (compose: `ulimits:`) so the daemon defaults apply, or record the override in the SSP; set node-wide defaults in /etc/docker/daemon.json: `"default-ulimits": { "nofile": { "Name": "nofile", "Soft": 1024, "Hard": 4096 } }` (' + RESTART + '), ' + RECREATE + '.',

  // Engine and daemon: daemon.json, the dockerd command line, images.
  'DKER-EE-001050':
    'Remove every `-H tcp://…` from the dockerd command line (`systemctl edit docker.service`, then `systemctl daemon-reload`) and every `tcp://` entry from "hosts" in /etc/docker/daemon.json, keeping `unix:///var/run/docker.sock`, ' + RESTART + '. Outside a UCP cluster a TCP socket may stay with `"tlsverify": true` plus "tlscacert", "tlscert" and "tlskey" in daemon.json.',
  'DKER-EE-001070':
    'Enable FIPS mode on the host (RHEL: `fips-mode-setup --enable && reboot`; Ubuntu Pro: `pro enable fips-updates && reboot`) so /proc/sys/crypto/fips_enabled reads 1, ' + RESTART + '; or set `Environment=DOCKER_FIPS=1` in a docker.service drop-in (`systemctl edit docker.service`).',
  'DKER-EE-001370': 'Set `"log-opts": { "max-size": "10m", "max-file": "3" }` in /etc/docker/daemon.json (values from the SSP), ' + RESTART + '; existing containers keep their log options until recreated.',
  'DKER-EE-001800': 'Set `"insecure-registries": []` in /etc/docker/daemon.json and remove every `--insecure-registry` flag from the dockerd command line, ' + RESTART + '; give private registries a certificate in /etc/docker/certs.d/REGISTRY/ca.crt instead.',
  'DKER-EE-001810': 'Set `"storage-driver": "overlay2"` in /etc/docker/daemon.json (and no `--storage-driver aufs` flag), ' + RESTART + '; images and containers of the old driver must be pulled and recreated.',
  'DKER-EE-001830': 'Set `"userland-proxy": false` in /etc/docker/daemon.json (or `--userland-proxy=false` on the dockerd command line), ' + RESTART + '.',
  'DKER-EE-001840': 'Set `"experimental": false` in /etc/docker/daemon.json and remove `--experimental` from the dockerd command line, ' + RESTART + '.',
  'DKER-EE-003200':
    'Add a non-root user to the image and switch to it: Dockerfile `RUN adduser -D -u 10001 app` (Debian: `useradd -r -u 10001 app`) then `USER 10001`, rebuild (`docker build -t IMAGE .`) and recreate the containers from it; until then run them with `docker run --user 10001:10001 …`.',
  'DKER-EE-003230':
    'Set a remote log driver in /etc/docker/daemon.json: `"log-driver": "syslog", "log-opts": { "syslog-address": "tcp+tls://siem.example.mil:6514", "tag": "{{.Name}}" }` (or splunk, awslogs, gcplogs, a logging plugin), ' + RESTART + ' and recreate the UCP/DTR containers so they use it.',
  'DKER-EE-003310':
    'Set the json-file limits the SSP defines in /etc/docker/daemon.json: `"log-opts": { "max-size": "100m", "max-file": "5" }`, ' + RESTART + '; existing containers keep their log options until recreated.',
  'DKER-EE-003320':
    'Send container logs to the SIEM: `"log-driver": "syslog", "log-opts": { "syslog-address": "tcp+tls://siem.example.mil:6514" }` in /etc/docker/daemon.json (or a SIEM logging plugin: `docker plugin install …` then `"log-driver": "PLUGIN"`), ' + RESTART + '.',
  'DKER-EE-004130':
    'Remove UCP and DTR images older than the running version: list them with `docker images --filter reference="docker/ucp*" --filter reference="docker/dtr*"` and run `docker rmi docker/ucp-agent:OLD_TAG …` for every tag the running cluster does not use.',
  'DKER-EE-999999':
    'Docker Enterprise 2.x is out of support: move the node to a supported engine (Mirantis Container Runtime 23.0 or later, or a maintained Docker Engine release, e.g. `apt-get install docker-ce docker-ce-cli containerd.io`), then re-run the assessment against the STIG for that product.',

  // Swarm.
  'DKER-EE-002400': 'Turn on auto-lock: `docker swarm update --autolock=true` (new swarms: `docker swarm init --autolock`); store the unlock key it prints in the organisation\'s key vault.',
  'DKER-EE-005060': 'Run 1, 2 or 3 managers (the check text fails more; an odd number keeps quorum): `docker node demote NODE` for the surplus; check with `docker info --format "{{ .Swarm.Managers }}"`.',
  'DKER-EE-006240':
    'Encrypt overlay networks: create them with `docker network create --driver overlay --opt encrypted NAME` (compose/stack: `networks: { NAME: { driver: overlay, driver_opts: { encrypted: "" } } }`); an existing network can\'t be changed: create the encrypted one and move the services (`docker service update --network-rm OLD --network-add NEW SERVICE`).',
  'DKER-EE-006270':
    'Bind the swarm to one interface: rebuild the cluster with `docker swarm init --listen-addr 10.0.0.5:2377 --advertise-addr 10.0.0.5` and join nodes with `docker swarm join --listen-addr IP:2377 --advertise-addr IP --token TOKEN MANAGER:2377` (0.0.0.0 listens on every interface).',

  // Host: auditing and file ownership/permissions.
  'DKER-EE-001090':
    'Install auditd and watch the Docker files: put `-w /usr/bin/dockerd -k docker`, `-w /var/lib/docker -k docker`, `-w /etc/docker -k docker`, `-w /usr/lib/systemd/system/docker.service -k docker`, `-w /usr/lib/systemd/system/docker.socket -k docker`, `-w /etc/default/docker -k docker`, `-w /etc/docker/daemon.json -k docker`, `-w /usr/bin/containerd -k docker` and `-w /usr/bin/runc -k docker` into /etc/audit/rules.d/docker.rules, then `augenrules --load`.',
  'DKER-EE-005170': '`chown root:root "$(systemctl show -p FragmentPath --value docker.service)"` (e.g. `chown root:root /lib/systemd/system/docker.service`).',
  'DKER-EE-005180': '`chmod 644 "$(systemctl show -p FragmentPath --value docker.service)"` (e.g. `chmod 644 /lib/systemd/system/docker.service`).',
  'DKER-EE-005190': '`chown root:root "$(systemctl show -p FragmentPath --value docker.socket)"` (e.g. `chown root:root /lib/systemd/system/docker.socket`).',
  'DKER-EE-005200': '`chmod 644 "$(systemctl show -p FragmentPath --value docker.socket)"` (e.g. `chmod 644 /lib/systemd/system/docker.socket`).',
  'DKER-EE-005210': '`chown root:root /etc/docker`.',
  'DKER-EE-005220': '`chmod 755 /etc/docker` (or stricter, e.g. `chmod 750 /etc/docker`).',
  'DKER-EE-005230': '`chown -R root:root /etc/docker/certs.d`.',
  'DKER-EE-005240': '`find /etc/docker/certs.d -type f -exec chmod 444 {} +`.',
  'DKER-EE-005250': '`chown root:root CA_FILE`, where CA_FILE is the daemon\'s "tlscacert" (daemon.json) or `--tlscacert` path, e.g. `chown root:root /etc/docker/ca.pem`.',
  'DKER-EE-005260': '`chmod 444 CA_FILE`, where CA_FILE is the daemon\'s "tlscacert" or `--tlscacert` path, e.g. `chmod 444 /etc/docker/ca.pem`.',
  'DKER-EE-005270': '`chown root:root CERT_FILE`, where CERT_FILE is the daemon\'s "tlscert" or `--tlscert` path, e.g. `chown root:root /etc/docker/server-cert.pem`.',
  'DKER-EE-005280': '`chmod 444 CERT_FILE`, where CERT_FILE is the daemon\'s "tlscert" or `--tlscert` path, e.g. `chmod 444 /etc/docker/server-cert.pem`.',
  'DKER-EE-005290': '`chown root:root KEY_FILE`, where KEY_FILE is the daemon\'s "tlskey" or `--tlskey` path, e.g. `chown root:root /etc/docker/server-key.pem`.',
  'DKER-EE-005300': '`chmod 400 KEY_FILE`, where KEY_FILE is the daemon\'s "tlskey" or `--tlskey` path, e.g. `chmod 400 /etc/docker/server-key.pem`.',
  'DKER-EE-005310': '`chown root:docker /var/run/docker.sock`; to keep it across restarts set `SocketUser=root` and `SocketGroup=docker` in a docker.socket drop-in (`systemctl edit docker.socket`).',
  'DKER-EE-005320': '`chmod 660 /var/run/docker.sock`; to keep it across restarts set `SocketMode=0660` in a docker.socket drop-in (`systemctl edit docker.socket`).',
  'DKER-EE-005330': '`chown root:root /etc/docker/daemon.json` (create it with `echo {} > /etc/docker/daemon.json` if missing).',
  'DKER-EE-005340': '`chmod 644 /etc/docker/daemon.json` (create it with `echo {} > /etc/docker/daemon.json` if missing).',
  'DKER-EE-005350': '`chown root:root /etc/default/docker`.',
  'DKER-EE-005360': '`chmod 644 /etc/default/docker`.',

  // Supply chain: Docker Content Trust (Notary).
  'DKER-EE-003610':
    'Run only images signed by an allowed signer: sign with `export DOCKER_CONTENT_TRUST=1` then `docker push REGISTRY/REPO:TAG` using a delegation key (`docker trust key generate NAME`, `docker trust signer add --key NAME.pub NAME REGISTRY/REPO`), deploy by that tag or digest with DOCKER_CONTENT_TRUST=1 set (`docker pull`/`docker run` then refuse unsigned content), and remove containers running unsigned or re-tagged images (`docker rm -f NAME`); verify with `docker trust inspect --pretty REGISTRY/REPO:TAG`.',
  'DKER-EE-004260':
    'Sign every tag in the registry with an allowed delegation (`docker trust signer add --key NAME.pub NAME REGISTRY/REPO`, then `DOCKER_CONTENT_TRUST=1 docker push REGISTRY/REPO:TAG`), and delete the tags that are unsigned or were re-pointed to unsigned content (`DELETE /v2/REPO/manifests/DIGEST`, or the registry UI); refresh expired trust metadata by pushing again or `notary publish`.',
};

/** The concrete remediation of the rule with this STIG id, if there is one. */
export function remediationFor(stigId: string): string | undefined {
  return Object.hasOwn(REMEDIATIONS, stigId) ? REMEDIATIONS[stigId] : undefined;
}

/** The remediation of a failed rule: the STIG fix text as-is, then the concrete remediation. */
export function withConcreteRemediation(fixText: string, concrete: string): string {
  const fix = fixText.trim();
  return fix === '' ? `Concrete remediation: ${concrete}` : `${fix}\n\nConcrete remediation: ${concrete}`;
}

// A command acting on the failing container itself (`docker update … NAME`, `docker rm -f NAME`); NAME elsewhere
// (`--hostname NAME`, `--ipc=container:NAME`, a key or network name) is another thing and stays a placeholder.
const CONTAINER_COMMAND = /`(docker (?:update|rm|restart|stop|start|exec)\b[^`]*?)\bNAME\b([^`]*)`/g;

/**
 * The concrete remediation of a rule for one target: for a container, the `NAME` of the commands acting on it
 * (`docker update --memory 256m NAME`) becomes the container's name (`docker update --memory 256m web`), so
 * the step can be run as written. Other targets get the rule's text as it is.
 */
export function remediationForTarget(stigId: string, target: { kind: string; name: string }): string | undefined {
  const text = remediationFor(stigId);
  if (text === undefined || target.kind !== 'container') return text;
  return text.replace(CONTAINER_COMMAND, (_whole, before: string, after: string) => `\`${before}${target.name}${after}\``);
}

// The commands that change a running container in place (`docker update … NAME`): run as they are.
const IN_PLACE_COMMAND = /`(docker update\b[^`]*?)\bNAME\b([^`]*)`/g;

/**
 * The commands of a rule's concrete remediation that change this very container in place, ready to run
 * (`docker update --memory 256m --memory-swap 256m web`); empty when the remediation has none for it (a
 * recreated container, a daemon.json change, a file permission, a rebuild: the rule's text says what to do).
 */
export function targetCommands(stigId: string, target: { kind: string; name: string }): string[] {
  const text = remediationFor(stigId);
  if (text === undefined || target.kind !== 'container') return [];
  return [...text.matchAll(IN_PLACE_COMMAND)].map((m) => `${m[1]}${target.name}${m[2]}`);
}

/** True when the rule's concrete remediation recreates the container (the setting can't change in place). */
export function recreatesContainer(stigId: string): boolean {
  return remediationFor(stigId)?.includes(RECREATE) ?? false;
}
