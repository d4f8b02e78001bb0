/**
 * Host files read through a short-lived helper container on the node, as docker-bench-security does: the
 * host's `/` mounted read-only at `/host`, the host's pid namespace (only when process command lines are
 * asked for), no network, every capability dropped but DAC_READ_SEARCH (to stat and read root-only files),
 * no new privileges, a read-only root file system. It runs one busybox script, its logs are parsed, and it is
 * removed whatever happens. Its id goes into the HelperLedger the moment it is created, so that a concurrent
 * collection on the same engine leaves it out of the inventory by id; the label `plimsoll.helper=true` only
 * tells people what it is (a label proves nothing: anyone can set it).
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, isPlimsollError } from '../../domain/errors.js';
import type { DockerClient } from '../docker-client.js';
import type { HostFiles, HostReadRequest, HostReadResult } from '../host-files.js';
import { HostFilesUnavailableError, parseIdNames, withNames } from '../host-files.js';
import type { HelperLedger } from './helper-ledger.js';
import { HOST_MOUNT, buildHelperScript, parseHelperOutput } from './helper-script.js';

/** The label (with value `true`) of every helper container. */
export const HELPER_LABEL = 'plimsoll.helper';

export interface HelperContainerOptions {
  /** An image with a static busybox (e.g. `busybox:1.36`); it must already be on the node (it is never pulled). */
  image: string;
  /** Path of the busybox binary in the image; default `/bin/busybox`. */
  busybox?: string;
  /** The host directory mounted as the host's root; default `/` (tests point it at a temp directory). */
  hostRoot?: string;
  /** Memory limit of the helper in bytes; default 64 MiB. */
  memoryBytes?: number;
  /** Where the ids of created helpers are recorded (the engine collector leaves exactly those out). */
  ledger?: HelperLedger;
}

const DEFAULT_MEMORY = 64 * 1024 * 1024;

/** Splits a multiplexed (non-TTY) log stream into stdout and stderr. */
export function demuxLogs(raw: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    const size = raw.readUInt32BE(at + 4);
    const frame = raw.subarray(at + 8, at + 8 + size);
    if (frame.length < size) throw new Error('the helper container log stream ends inside a frame');
    (stream === 2 ? err : out).push(frame);
    at += 8 + size;
  }
  if (at !== raw.length) throw new Error('the helper container log stream has a truncated frame header');
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Reads a node's host files through a helper container created with `client`. */
export class HelperContainerFiles implements HostFiles {
  private readonly busybox: string;
  private readonly hostRoot: string;
  private readonly memoryBytes: number;

  constructor(
    private readonly client: DockerClient,
    private readonly options: HelperContainerOptions,
  ) {
    this.busybox = options.busybox ?? '/bin/busybox';
    this.hostRoot = options.hostRoot ?? '/';
    this.memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY;
  }

  async read(request: HostReadRequest): Promise<HostReadResult> {
    // The host's user and group tables come along, so that owners are named as on the host.
    const files = [...(request.files ?? []), { path: '/etc/passwd', content: true }, { path: '/etc/group', content: true }];
    const full: HostReadRequest = { ...request, files };
    const { id, stdout } = await this.run(buildHelperScript(full, this.busybox), (request.processes ?? []).length > 0);
    const parsed = parseHelperOutput(stdout, full, `helper container ${id.slice(0, 12)} (image ${this.options.image}) on ${this.client.endpoint}`);
    const group = parsed.files.pop();
    const passwd = parsed.files.pop();
    const names = { users: parseIdNames(passwd?.content), groups: parseIdNames(group?.content) };
    const trees = Object.fromEntries(Object.entries(parsed.trees).map(([k, v]) => [k, v.map((f) => withNames(f, names))]));
    return { ...parsed, files: parsed.files.map((f) => withNames(f, names)), trees };
  }

  /** Creates, runs and removes one helper container; its id and standard output. */
  private async run(script: string, hostPid: boolean): Promise<{ id: string; stdout: string }> {
    const body = {
      Image: this.options.image,
      Entrypoint: [this.busybox, 'sh', '-c', script],
      Cmd: [],
      User: '0:0',
      WorkingDir: '/',
      Labels: { [HELPER_LABEL]: 'true' },
      NetworkDisabled: true,
      Tty: false,
      HostConfig: {
        Binds: [`${this.hostRoot}:${HOST_MOUNT}:ro`],
        PidMode: hostPid ? 'host' : '',
        NetworkMode: 'none',
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        CapAdd: ['DAC_READ_SEARCH'],
        // label=disable: SELinux would otherwise deny the container the host's files it is here to read.
        SecurityOpt: ['no-new-privileges', 'label=disable'],
        UsernsMode: 'host',
        Memory: this.memoryBytes,
        PidsLimit: 64,
        // The logs are the answer: keep them readable whatever the daemon's default log driver is.
        LogConfig: { Type: 'json-file', Config: {} },
      },
    };
    let created: unknown;
    try {
      created = await this.client.request('POST', '/containers/create', { query: { name: `plimsoll-helper-${randomUUID().slice(0, 8)}` }, body });
    } catch (e) {
      if (isPlimsollError(e) && e.code === ErrorCode.NOT_FOUND) {
        throw new HostFilesUnavailableError(`the helper image ${this.options.image} is not on ${this.client.endpoint} (load it there; Plimsoll never pulls it)`);
      }
      throw e;
    }
    const id = typeof created === 'object' && created !== null ? (created as { Id?: unknown }).Id : undefined;
    if (typeof id !== 'string' || id === '') throw new Error(`creating the helper container on ${this.client.endpoint} returned no id`);
    this.options.ledger?.record(id);
    try {
      await this.client.request('POST', `/containers/${id}/start`);
      const waited = (await this.client.request('POST', `/containers/${id}/wait`)) as { StatusCode?: unknown } | null;
      const logs = await this.client.request('GET', `/containers/${id}/logs`, { query: { stdout: true, stderr: true } });
      if (!Buffer.isBuffer(logs)) throw new Error(`the helper container logs came back as ${typeof logs}, not a byte stream`);
      const { stdout, stderr } = demuxLogs(logs);
      const code = waited?.StatusCode;
      if (code !== 0) throw new Error(`the helper container exited with ${String(code)}: ${stderr.trim().slice(-500) || stdout.trim().slice(-200)}`);
      return { id, stdout };
    } finally {
      await this.client.request('DELETE', `/containers/${id}`, { query: { force: true, v: true } }).catch(() => undefined);
    }
  }
}
