/**
 * Lifecycle rules: containers must have their health checked at runtime, and restart on failure at most
 * five times.
 */
import type { ApiObject } from '../../domain/facts.js';
import type { Check } from '../check.js';
import { containerCheck, fieldCheck, show, type JudgeResult } from '../container-rule.js';
import { hasField, readField } from '../evidence.js';

/** The health check's test command of a container config, or why there is none. */
function healthTest(inspect: ApiObject): { test: string[] } | { none: string } | { invalid: string } {
  const healthcheck = readField(inspect, 'Config.Healthcheck');
  if (healthcheck === null) return { none: 'Config.Healthcheck is not set (no --health-cmd, no HEALTHCHECK in its image)' };
  const test = readField(inspect, 'Config.Healthcheck.Test');
  if (test === null) return { none: 'Config.Healthcheck has no Test' };
  if (!Array.isArray(test) || !test.every((t) => typeof t === 'string')) return { invalid: `Config.Healthcheck.Test is ${show(test)}: expected a list of strings` };
  if (test.length === 0) return { none: 'Config.Healthcheck.Test is empty' };
  if (test[0] === 'NONE') return { none: 'health checks are disabled (Config.Healthcheck.Test is ["NONE"]: --no-healthcheck or HEALTHCHECK NONE)' };
  return { test: test as string[] };
}

/**
 * DKER-EE-002770: a running container must report health status "healthy" (`State.Health.Status`), as the
 * check text reads it: no health check, "starting" and "unhealthy" are findings. The STIG command lists
 * running containers only; a container that is not running has no health status, so it passes when a
 * health check is configured (`Config.Healthcheck`, which runs when it starts) and fails when none is.
 */
export const healthCheck: Check = containerCheck({
  stigId: 'DKER-EE-002770',
  title: 'Docker Enterprise container health must be checked at runtime.',
  requiredFields: ['State.Running', 'Config'],
  expected: 'State.Health.Status is "healthy" (running), or a health check is configured in Config.Healthcheck (not running)',
  excludesPlatformContainers: false,
  failing: 'are not health-checked as healthy',
  judge: (inspect): JudgeResult => {
    const running = readField(inspect, 'State.Running');
    if (typeof running !== 'boolean') return { invalid: `State.Running is ${show(running)}: expected a boolean` };
    if (!running) {
      const configured = healthTest(inspect);
      if ('invalid' in configured) return configured;
      if ('none' in configured) {
        return { judgements: [{ field: 'Config.Healthcheck', value: readField(inspect, 'Config.Healthcheck'), verdict: 'fail', message: `is not running and ${configured.none}: it will run unchecked when started.` }] };
      }
      return {
        judgements: [{
          field: 'Config.Healthcheck',
          value: readField(inspect, 'Config.Healthcheck'),
          verdict: 'pass',
          message: `is not running (the STIG command lists running containers only); its health check ${show(configured.test)} runs when it starts.`,
        }],
      };
    }
    if (!hasField(inspect, 'State.Health') || readField(inspect, 'State.Health') === null) {
      // The engine omits State.Health when the container has no health check: say which it is.
      const configured = healthTest(inspect);
      if ('invalid' in configured) return configured;
      const why = 'none' in configured ? configured.none : 'State.Health is missing';
      return { judgements: [{ field: 'State.Health', value: null, verdict: 'fail', message: `reports no health status: ${why}.` }] };
    }
    const status = readField(inspect, 'State.Health.Status');
    if (typeof status !== 'string') return { invalid: `State.Health.Status is ${show(status)}: expected a string` };
    if (status === 'healthy') return { judgements: [{ field: 'State.Health.Status', value: status, verdict: 'pass', message: 'State.Health.Status is "healthy".' }] };
    const streak = readField(inspect, 'State.Health.FailingStreak');
    const detail = status === 'starting' ? ' (its health check has not passed yet)' : typeof streak === 'number' && streak > 0 ? ` (failing streak ${streak})` : '';
    return { judgements: [{ field: 'State.Health.Status', value: status, verdict: 'fail', message: `State.Health.Status is ${show(status)}, not "healthy"${detail}.` }] };
  },
});

/** The most restarts on failure the STIG allows. */
export const MAX_RESTART_RETRIES = 5;

/**
 * DKER-EE-004030: the restart policy (`HostConfig.RestartPolicy`) must not restart without bound. As the
 * check text: no policy ("" or "no") passes, "always" fails, "on-failure" passes with MaximumRetryCount 5
 * or less. Two readings of ours: "on-failure" with MaximumRetryCount 0 retries forever, so it fails; and
 * "unless-stopped", which the text does not name, restarts without bound like "always", so it fails.
 * Platform containers are left out, as the STIG command does.
 */
export const restartPolicyCheck: Check = fieldCheck({
  stigId: 'DKER-EE-004030',
  title: 'The on-failure container restart policy must be is set to 5 in Docker Enterprise.',
  field: 'HostConfig.RestartPolicy',
  expected: `HostConfig.RestartPolicy is none ("" or "no") or "on-failure" with MaximumRetryCount 1 to ${MAX_RESTART_RETRIES}`,
  excludesPlatformContainers: true,
  failing: 'restart without a bound of 5',
  decide: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { invalid: 'expected a restart policy object' };
    const policy = value as ApiObject;
    const name = policy.Name;
    const count = policy.MaximumRetryCount;
    // The engine reports both fields of every restart policy: a missing one is not read as "no policy".
    if (typeof name !== 'string' || typeof count !== 'number' || !Number.isInteger(count)) return { invalid: 'expected a Name string and an integer MaximumRetryCount (the engine reports both)' };
    const shown = `HostConfig.RestartPolicy is ${name === '' ? 'empty' : `"${name}"`} with MaximumRetryCount ${count}`;
    switch (name) {
      case '':
      case 'no':
        return { verdict: 'pass', message: `${shown}: it is not restarted automatically.` };
      case 'always':
        return { verdict: 'fail', message: `${shown}: it is restarted without limit.` };
      case 'unless-stopped':
        return { verdict: 'fail', message: `${shown}: it is restarted without limit unless stopped by hand (like "always", which the STIG names a finding).` };
      case 'on-failure':
        if (count === 0) return { verdict: 'fail', message: `${shown}: a count of 0 restarts it on failure without limit.` };
        return count <= MAX_RESTART_RETRIES
          ? { verdict: 'pass', message: `${shown}: at most ${count} restarts on failure.` }
          : { verdict: 'fail', message: `${shown}: more than ${MAX_RESTART_RETRIES} restarts on failure.` };
      default:
        return { invalid: `unknown restart policy ${show(name)}` };
    }
  },
});

/** The lifecycle rules. */
export const LIFECYCLE_CHECKS: readonly Check[] = [healthCheck, restartPolicyCheck];
