/**
 * Who runs an assessment: `host:pid`, stored with every running row, so that a server starting after
 * a crash can tell runs whose process died (→ `interrupted`) from runs another live process still owns.
 *
 * The policy, applied by AssessmentService.markInterrupted:
 * - no or unreadable runner → interrupted (every runner records itself, so nobody owns the row);
 * - another host → left alone: its processes can't be probed from here;
 * - this host, a pid that is not alive → interrupted;
 * - this host and this very process (a restarted container often gets the same hostname and pid) →
 *   interrupted unless the run is in progress in this process;
 * - this host, another live pid → left alone (a pid reused by an unrelated process also looks alive:
 *   such a row stays `running` until that process is gone).
 */
import os from 'node:os';

/** The local process as a runner, and a probe of other processes on this host. */
export interface RunnerHost {
  hostname: string;
  pid: number;
  isAlive(pid: number): boolean;
}

/** This process; liveness through `kill(pid, 0)` (EPERM means the process exists but isn't ours). */
export function localRunnerHost(): RunnerHost {
  return {
    hostname: os.hostname(),
    pid: process.pid,
    isAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}

/** `host:pid`. */
export function runnerIdOf(host: Pick<RunnerHost, 'hostname' | 'pid'>): string {
  return `${host.hostname}:${host.pid}`;
}

/** Parses `host:pid` (the host may itself contain colons); undefined when unreadable. */
export function parseRunnerId(runner: string | null): { hostname: string; pid: number } | undefined {
  if (runner === null) return undefined;
  const i = runner.lastIndexOf(':');
  if (i <= 0) return undefined;
  const pidText = runner.slice(i + 1);
  if (!/^\d+$/.test(pidText)) return undefined;
  const pid = Number(pidText);
  return Number.isSafeInteger(pid) && pid > 0 ? { hostname: runner.slice(0, i), pid } : undefined;
}

/**
 * Why a run left `running` is interrupted, or undefined when it may still be in progress. `active`
 * tells whether this process is running it right now.
 */
export function interruptionReason(runner: string | null, host: RunnerHost, active: boolean): string | undefined {
  const parsed = parseRunnerId(runner);
  if (parsed === undefined) return `interrupted: the run has no readable runner (${runner ?? 'none'})`;
  if (parsed.hostname !== host.hostname) return undefined;
  if (parsed.pid === host.pid) return active ? undefined : `interrupted: runner ${runner} restarted while the run was in progress`;
  return host.isAlive(parsed.pid) ? undefined : `interrupted: runner ${runner} is no longer running`;
}
