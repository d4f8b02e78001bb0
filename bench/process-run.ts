/**
 * Whole processes as a benchmark measures them: wall time, and through GNU time (Debian's package `time`, when
 * installed) peak RSS and CPU time, read from outside the process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const GNU_TIME = '/usr/bin/time';

/** One whole process: its wall time, its peak RSS (when GNU time is installed), stdout, stderr and exit status. */
export interface ProcessRun {
  ms: number;
  peakRssMb?: number;
  /** User + system CPU time in milliseconds (GNU time's %U + %S): less inflated by a shared machine's load than wall time. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs `command args` as one process (in `cwd`, default this process's), through GNU time when installed (`%M`:
 * peak RSS in KiB; `%U %S`: CPU seconds): nothing is loaded into the measured process itself.
 */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): ProcessRun {
  const timed = fs.existsSync(GNU_TIME);
  const marker = 'PEAK_RSS_KB=';
  const t0 = performance.now();
  const r = timed
    ? spawnSync(GNU_TIME, ['-f', `${marker}%M %U %S`, command, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env, cwd })
    : spawnSync(command, [...args], { encoding: 'utf8', maxBuffer: 64 << 20, env, cwd });
  const ms = performance.now() - t0;
  let stderr = r.stderr ?? '';
  let peakRssMb: number | undefined;
  let cpuMs: number | undefined;
  const at = timed ? stderr.lastIndexOf(marker) : -1;
  if (at >= 0) {
    const [rssKb, user, sys] = stderr.slice(at + marker.length).trim().split(/\s+/).map(Number);
    peakRssMb = Math.round(rssKb! / 1024);
    cpuMs = Math.round((user! + sys!) * 1000);
    stderr = stderr.slice(0, at);
  }
  return { ms: Math.round(ms), ...(peakRssMb !== undefined && Number.isFinite(peakRssMb) ? { peakRssMb } : {}), ...(cpuMs !== undefined && Number.isFinite(cpuMs) ? { cpuMs } : {}), stdout: r.stdout ?? '', stderr, status: r.status };
}
