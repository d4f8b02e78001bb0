import { describe, expect, it } from 'vitest';
import { isHealthProbe, topCommands } from '../../../../src/checks/containers/process-rules.js';
import type { ApiObject } from '../../../../src/domain/facts.js';
import { container, engine, evaluate, facts, statusOf, verdicts } from './container-facts.js';

const TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
const top = (...commands: string[]): ApiObject => ({ Titles: TITLES, Processes: commands.map((c, i) => ['root', String(100 + i), '1', '0', '10:00', '?', '00:00:00', c]) });
const stopped = { 'State.Running': false, 'State.Status': 'exited' };

describe('topCommands', () => {
  it('reads the CMD or COMMAND column', () => {
    expect(topCommands(top('/bin/sleep 3600', 'sshd: root@pts/0'))).toEqual(['/bin/sleep 3600', 'sshd: root@pts/0']);
    expect(topCommands({ Titles: ['PID', 'COMMAND'], Processes: [['1', '/usr/sbin/sshd -D']] })).toEqual(['/usr/sbin/sshd -D']);
    expect(topCommands({ Titles: ['PID', 'CMD'], Processes: null })).toEqual([]);
  });
  it('says why a malformed answer cannot be read', () => {
    expect(topCommands({ Titles: ['PID'], Processes: [['1']] })).toHaveProperty('invalid');
    expect(topCommands({ Processes: [] })).toHaveProperty('invalid');
    expect(topCommands({ Titles: TITLES, Processes: [['root']] })).toHaveProperty('invalid');
  });
});

describe('DKER-EE-001970 SSH in containers', () => {
  it('fails a running container with an sshd process, passes one without, and a stopped one as the STIG says', () => {
    const ssh = container('ssh');
    const clean = container('clean');
    const down = container('down', stopped);
    const outcome = evaluate('DKER-EE-001970', facts([ssh, clean, down], { engine: engine({ [ssh.id]: top('/bin/sleep 3600', '/usr/sbin/sshd -D'), [clean.id]: top('/bin/sleep 3600') }) }));
    expect(outcome.status).toBe('fail');
    expect(verdicts(outcome)).toEqual({ ssh: ['fail'], clean: ['pass'], down: ['pass'] });
    const fail = outcome.observations.find((o) => o.verdict === 'fail');
    expect(fail).toMatchObject({ field: 'top.Processes.1', value: ['root', '101', '1', '0', '10:00', '?', '00:00:00', '/usr/sbin/sshd -D'] });
    expect(outcome.observations.find((o) => o.target.name === 'down')?.message).toContain('not running');
    expect(outcome.message).toBe('1 of 3 containers run an SSH server.');
  });

  it('matches sshd anywhere in the command, case-insensitively, as grep -i does', () => {
    const c = container('c');
    expect(statusOf('DKER-EE-001970', c, { engine: engine({ [c.id]: top('SSHD: user [priv]') }) })).toBe('fail');
    expect(statusOf('DKER-EE-001970', c, { engine: engine({ [c.id]: top('/bin/sh /tmp/sshd') }) })).toBe('fail');
    expect(statusOf('DKER-EE-001970', c, { engine: engine({ [c.id]: top('/usr/bin/ssh-agent', 'nginx: master') }) })).toBe('pass');
  });

  it('is an error when a running container has no process list, or the engine part is missing', () => {
    const c = container('c');
    const outcome = evaluate('DKER-EE-001970', facts([c], { engine: engine({}) }));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('process list was not collected');
    expect(statusOf('DKER-EE-001970', c)).toBe('error');
    expect(statusOf('DKER-EE-001970', c, { engine: { status: 'failed', error: 'GET /images/json failed' } })).toBe('error');
    expect(statusOf('DKER-EE-001970', c, { engine: engine({ [c.id]: { Titles: ['PID'], Processes: [] } }) })).toBe('error');
  });

  it('is not applicable without containers even when the part is there', () => {
    expect(evaluate('DKER-EE-001970', facts([], { engine: engine() })).status).toBe('not-applicable');
  });
});

const exec = (id: string, config: ApiObject, running = true): ApiObject => ({ ID: id.padEnd(64, '0'), Running: running, ExitCode: null, ProcessConfig: { tty: false, entrypoint: 'sleep', arguments: ['3600'], privileged: false, ...config } });

describe('DKER-EE-002080 and 002090 exec sessions', () => {
  it('fail privileged and --user sessions, pass others and containers without sessions', () => {
    const priv = container('priv', { ExecIDs: ['p'] });
    const user = container('user', { ExecIDs: ['u'] });
    const plain = container('plain', { ExecIDs: ['n'] });
    const none = container('none', { ExecIDs: null });
    const execs = {
      [priv.id]: [exec('p', { privileged: true }, false)],
      [user.id]: [exec('u', { user: '1000' })],
      [plain.id]: [exec('n', {})],
      [none.id]: [],
    };
    const f = facts([priv, user, plain, none], { engine: engine({}, execs) });
    const privileged = evaluate('DKER-EE-002080', f);
    expect(verdicts(privileged)).toEqual({ priv: ['fail'], user: ['pass'], plain: ['pass'], none: ['pass'] });
    expect(privileged.observations.find((o) => o.verdict === 'fail')).toMatchObject({ field: 'execs.0.ProcessConfig.privileged', value: true });
    expect(privileged.observations.find((o) => o.target.name === 'none')?.message).toContain('ausearch');
    const users = evaluate('DKER-EE-002090', f);
    expect(verdicts(users)).toEqual({ priv: ['pass'], user: ['fail'], plain: ['pass'], none: ['pass'] });
    expect(users.observations.find((o) => o.verdict === 'fail')?.message).toContain('--user 1000');
  });

  it('counts --user root as a use of the option', () => {
    const c = container('c', { ExecIDs: ['r'] });
    expect(statusOf('DKER-EE-002090', c, { engine: engine({}, { [c.id]: [exec('r', { user: 'root' })] }) })).toBe('fail');
  });

  it("passes the engine's health-check probes, which run as the container's user", () => {
    const c = container('c', { ExecIDs: ['h'], 'Config.User': 'app', 'Config.Healthcheck': { Test: ['CMD-SHELL', 'wget -q localhost'] } });
    const probe = exec('h', { entrypoint: '/bin/sh', arguments: ['-c', 'wget -q localhost'], user: 'app' });
    expect(isHealthProbe(probe, c.inspect)).toBe(true);
    expect(statusOf('DKER-EE-002090', c, { engine: engine({}, { [c.id]: [probe] }) })).toBe('pass');
    // The same command as another user is a docker exec --user.
    const other = exec('h', { entrypoint: '/bin/sh', arguments: ['-c', 'wget -q localhost'], user: 'root' });
    expect(isHealthProbe(other, c.inspect)).toBe(false);
    expect(statusOf('DKER-EE-002090', c, { engine: engine({}, { [c.id]: [other] }) })).toBe('fail');
  });

  it('is an error when exec sessions were not collected', () => {
    const c = container('c', { ExecIDs: null });
    const old = evaluate('DKER-EE-002080', facts([c], { engine: engine({}, null) }));
    expect(old.status).toBe('error');
    expect(old.message).toContain('no exec sessions');
    expect(statusOf('DKER-EE-002080', c, { engine: engine({}, {}) })).toBe('error');
    expect(statusOf('DKER-EE-002090', c)).toBe('error');
    expect(statusOf('DKER-EE-002080', container('x', { ExecIDs: undefined }), { engine: engine({}, { 'x-id': [] }) })).toBe('error');
    const bad = container('b', { ExecIDs: ['z'] });
    expect(statusOf('DKER-EE-002080', bad, { engine: engine({}, { [bad.id]: [exec('z', { privileged: 'yes' })] }) })).toBe('error');
  });
});
