import { describe, expect, it } from 'vitest';
import { container, evaluate, facts, statusOf, verdicts } from './container-facts.js';

const HEALTHCHECK = { Test: ['CMD-SHELL', 'true'], Interval: 2_000_000_000 };
const health = (Status: string, FailingStreak = 0) => ({ Status, FailingStreak, Log: [] });

describe('DKER-EE-002770 health checks', () => {
  it('passes healthy running containers and fails the others', () => {
    const outcome = evaluate(
      'DKER-EE-002770',
      facts([
        container('healthy', { 'Config.Healthcheck': HEALTHCHECK, 'State.Health': health('healthy') }),
        container('unhealthy', { 'Config.Healthcheck': HEALTHCHECK, 'State.Health': health('unhealthy', 3) }),
        container('starting', { 'Config.Healthcheck': HEALTHCHECK, 'State.Health': health('starting') }),
        container('none', {}),
        container('disabled', { 'Config.Healthcheck': { Test: ['NONE'] } }),
      ]),
    );
    expect(verdicts(outcome)).toEqual({ healthy: ['pass'], unhealthy: ['fail'], starting: ['fail'], none: ['fail'], disabled: ['fail'] });
    const byName = (n: string) => outcome.observations.find((o) => o.target.name === n);
    expect(byName('unhealthy')?.message).toContain('failing streak 3');
    expect(byName('starting')?.message).toContain('not passed yet');
    expect(byName('disabled')?.message).toContain('NONE');
    expect(byName('none')).toMatchObject({ field: 'State.Health', value: null });
  });

  it('judges a stopped container by whether a health check is configured', () => {
    const down = { 'State.Running': false, 'State.Status': 'exited' };
    expect(statusOf('DKER-EE-002770', container('c', { ...down, 'Config.Healthcheck': HEALTHCHECK }))).toBe('pass');
    expect(statusOf('DKER-EE-002770', container('c', down))).toBe('fail');
    expect(statusOf('DKER-EE-002770', container('c', { ...down, 'Config.Healthcheck': { Test: [] } }))).toBe('fail');
  });

  it('is an error on unreadable data', () => {
    expect(statusOf('DKER-EE-002770', container('c', { 'State.Running': undefined }))).toBe('error');
    expect(statusOf('DKER-EE-002770', container('c', { 'Config.Healthcheck': { Test: 'true' } }))).toBe('error');
    expect(statusOf('DKER-EE-002770', container('c', { 'Config.Healthcheck': HEALTHCHECK, 'State.Health': { Status: 1 } }))).toBe('error');
  });
});

describe('DKER-EE-004030 restart policy', () => {
  const policy = (Name: string, MaximumRetryCount = 0) => container(`${Name || 'empty'}-${MaximumRetryCount}`, { 'HostConfig.RestartPolicy': { Name, MaximumRetryCount } });
  it('follows the check text: none and on-failure up to 5 pass; always, unbounded and more than 5 fail', () => {
    for (const c of [policy(''), policy('no'), policy('on-failure', 1), policy('on-failure', 5)]) expect(statusOf('DKER-EE-004030', c), c.name).toBe('pass');
    for (const c of [policy('always'), policy('unless-stopped'), policy('on-failure', 0), policy('on-failure', 6)]) expect(statusOf('DKER-EE-004030', c), c.name).toBe('fail');
  });
  it('leaves platform containers out', () => {
    const outcome = evaluate('DKER-EE-004030', facts([container('ucp-agent', { 'HostConfig.RestartPolicy': { Name: 'always', MaximumRetryCount: 0 } }), policy('no')]));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('ucp-agent');
  });
  it('is an error on an unknown or unreadable policy', () => {
    expect(statusOf('DKER-EE-004030', container('c', { 'HostConfig.RestartPolicy': { Name: 'sometimes', MaximumRetryCount: 0 } }))).toBe('error');
    expect(statusOf('DKER-EE-004030', container('c', { 'HostConfig.RestartPolicy': 'always' }))).toBe('error');
    expect(statusOf('DKER-EE-004030', container('c', { 'HostConfig.RestartPolicy': undefined }))).toBe('error');
  });
});
