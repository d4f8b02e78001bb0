/**
 * Private Docker daemons for integration tests. Each test file starts its own daemon under a temp
 * directory (vfs storage, no iptables, no bridge), so tests never touch the machine's engine and
 * never see each other's containers. Only processes started here are stopped, by pid, and the
 * mounts a daemon leaves under its directories (netns nsfs mounts) are unmounted.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DaemonTls {
  caPath: string;
  certPath: string;
  keyPath: string;
}

export interface PrivateDaemon {
  /** Root temp directory of this daemon. */
  dir: string;
  socketPath: string;
  /** `unix://…/docker.sock`. */
  endpoint: string;
  /** `tcp://127.0.0.1:PORT` when started with TLS. */
  tcpEndpoint?: string;
  /** Client certificate material for the TCP endpoint. */
  clientTls?: DaemonTls;
  /** Runs the docker CLI against this daemon. */
  docker(args: string[], input?: Buffer): Promise<string>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Also listen on tcp://127.0.0.1:port with mutual TLS (certificates made with openssl). */
  tcpTls?: { port: number; serverTls: DaemonTls; clientTls: DaemonTls };
  /** Further dockerd flags (e.g. `--experimental`, `--log-opt max-size=10m`), appended to the command line. */
  extraArgs?: string[];
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Unmounts everything mounted below `dir`, deepest first. */
export async function unmountBelow(dir: string): Promise<void> {
  const mounts = fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    await run('umount', ['-l', m]).catch(() => undefined);
  }
}

/** Starts a private dockerd; resolves once it answers `docker version`. */
export async function startDockerDaemon(options: DaemonOptions = {}): Promise<PrivateDaemon> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-dockerd-'));
  const socketPath = path.join(dir, 'docker.sock');
  const endpoint = `unix://${socketPath}`;
  const args = [
    '--host', endpoint,
    '--data-root', path.join(dir, 'data'),
    '--exec-root', path.join(dir, 'exec'),
    '--pidfile', path.join(dir, 'docker.pid'),
    '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=vfs',
    '--containerd-namespace', `plimsoll-${path.basename(dir)}`,
    // User-defined networks get /24s from a 10.x pool, not the defaults (172.17-31/16, 192.168/20): bridges left
    // on the host by daemons that died (other runs, other users) hold those routes and would exhaust the defaults.
    '--default-address-pool', `base=10.${200 + Math.floor(Math.random() * 50)}.0.0/16,size=24`,
  ];
  let tcpEndpoint: string | undefined;
  if (options.tcpTls) {
    tcpEndpoint = `tcp://127.0.0.1:${options.tcpTls.port}`;
    const s = options.tcpTls.serverTls;
    args.push('--host', tcpEndpoint, '--tlsverify', '--tlscacert', s.caPath, '--tlscert', s.certPath, '--tlskey', s.keyPath);
  }
  args.push(...(options.extraArgs ?? []));
  const log = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const child: ChildProcess = spawn('dockerd', args, { stdio: ['ignore', log, log], detached: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const docker = async (cliArgs: string[], input?: Buffer): Promise<string> => {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: endpoint };
    delete env.DOCKER_TLS_VERIFY;
    delete env.DOCKER_CERT_PATH;
    delete env.DOCKER_CONTEXT;
    if (input === undefined) {
      const { stdout } = await run('docker', cliArgs, { env, maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    }
    return await new Promise<string>((resolve, reject) => {
      const p = spawn('docker', cliArgs, { env });
      let out = '';
      let err = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker ${cliArgs.join(' ')}: ${err}`))));
      p.stdin.end(input);
    });
  };

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      // Remove containers first so that their shims exit with the daemon.
      await docker(['ps', '-aq'])
        .then((ids) => ids.split('\n').filter(Boolean))
        .then((ids) => (ids.length ? docker(['rm', '-f', ...ids]) : ''))
        .catch(() => undefined);
      // Leave no bridge behind on the host: the swarm's docker_gwbridge and every user-defined network go with it.
      await docker(['swarm', 'leave', '--force']).catch(() => undefined);
      await docker(['network', 'prune', '--force']).catch(() => undefined);
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    await unmountBelow(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}: ${fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').slice(-2000)}`);
        return docker(['version', '--format', '{{.Server.Version}}']).then(() => true, () => false);
      },
      60_000,
      'dockerd to answer',
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { dir, socketPath, endpoint, tcpEndpoint, clientTls: options.tcpTls?.clientTls, docker, stop };
}

export const BUSYBOX_IMAGE = 'plimsoll/busybox:test';

/** Builds a busybox image with `docker import` (no registry is reachable) from the static busybox binary. */
export async function importBusyboxImage(daemon: PrivateDaemon): Promise<string> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  if (busybox === undefined) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-rootfs-'));
  // mkdtemp makes the root 0700; containers running as a non-root user need to traverse it.
  fs.chmodSync(root, 0o755);
  try {
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
    fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'sleep', 'ls', 'cat', 'id', 'ps', 'true']) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
    const { stdout } = await run('tar', ['-C', root, '-cf', '-', '.'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    await daemon.docker(['import', '--change', 'CMD ["/bin/sleep","3600"]', '-', BUSYBOX_IMAGE], stdout);
    return BUSYBOX_IMAGE;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
