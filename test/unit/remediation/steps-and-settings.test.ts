import { describe, expect, it } from 'vitest';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { finalStatus, formatMemory, parseMemory } from '../../../src/domain/remediation.js';
import { engineAnswerOf } from '../../../src/repositories/docker/docker-errors.js';
import { commandLine } from '../../../src/remediation/in-place-changes.js';
import { containerOrigin, fileCommands, instructionsFor, recreateCommands } from '../../../src/remediation/manual-steps.js';
import { noteOf, reasonOf, rulesOf, settingsOf } from '../../../src/remediation/proposal.js';

describe('memory sizes', () => {
  it("reads docker's units (powers of 1024) and writes the largest that divides", () => {
    expect(parseMemory('256m')).toBe(268435456);
    expect(parseMemory('1G')).toBe(1073741824);
    expect(parseMemory('512k')).toBe(524288);
    expect(parseMemory('6291456')).toBe(6291456);
    for (const bad of ['', '256 mb', '-1m', '1.5g', 'lots']) expect(parseMemory(bad)).toBeUndefined();
    expect(formatMemory(268435456)).toBe('256m');
    expect(formatMemory(1073741824)).toBe('1g');
    expect(formatMemory(1000)).toBe('1000');
  });
});

describe('proposal settings', () => {
  it('takes the sizes given and defaults CPU shares to 512 and the restart bound to 5', () => {
    expect(settingsOf({ assessmentId: 'a', memory: '256m', pidsLimit: 100 })).toEqual({ memoryBytes: 268435456, pidsLimit: 100, cpuShares: 512, restartMaxRetries: 5 });
    expect(settingsOf({ assessmentId: 'a' })).toEqual({ cpuShares: 512, restartMaxRetries: 5 });
  });

  it('refuses values the engine or the STIG would not take, naming the range', () => {
    const bad = (p: Parameters<typeof settingsOf>[0]) => {
      try {
        settingsOf(p);
      } catch (e) {
        return e instanceof PlimsollError && e.code === ErrorCode.BAD_INPUT ? e.message : `unexpected ${String(e)}`;
      }
      return 'accepted';
    };
    expect(bad({ assessmentId: 'a', memory: '4m' })).toContain("6m (the engine's minimum)");
    expect(bad({ assessmentId: 'a', memory: 'lots' })).toContain('256m');
    expect(bad({ assessmentId: 'a', cpuShares: 1024 })).toContain('default weight');
    expect(bad({ assessmentId: 'a', cpuShares: 1 })).toContain('from 2 to 262144');
    expect(bad({ assessmentId: 'a', restartMaxRetries: 6 })).toContain('from 1 to 5');
    expect(bad({ assessmentId: 'a', restartMaxRetries: 0 })).toContain('from 1 to 5');
    expect(bad({ assessmentId: 'a', pidsLimit: 0 })).toContain('pidsLimit');
    expect(bad({ assessmentId: 'a', pidsLimit: 1.5 })).toContain('pidsLimit');
  });

  it('upper-cases and de-duplicates rules, refuses what is not a STIG id, and checks the note and reason', () => {
    expect(rulesOf({ assessmentId: 'a', rules: ['dker-ee-002010', 'DKER-EE-002010', ' DKER-EE-002780 '] })).toEqual(['DKER-EE-002010', 'DKER-EE-002780']);
    expect(() => rulesOf({ assessmentId: 'a', rules: ['rm -rf /'] })).toThrow(/STIG id/);
    expect(noteOf({ assessmentId: 'a', note: '  ' })).toBeUndefined();
    expect(() => noteOf({ assessmentId: 'a', note: 'x'.repeat(4001) })).toThrow(/4000/);
    expect(() => reasonOf(' ')).toThrow(/rejection reason/);
  });
});

describe('manual steps', () => {
  it('recreates a compose service, forces a swarm service, and says what a hand-run container needs', () => {
    const compose = containerOrigin({ Config: { Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web', 'com.docker.compose.project.config_files': '/a/compose.yaml,/a/override.yaml' } } });
    expect(recreateCommands('shop-web-1', 'nginx:1', compose)).toEqual(['docker compose --project-name shop --file /a/compose.yaml --file /a/override.yaml up --detach --force-recreate --no-deps web']);
    expect(recreateCommands('q.1.x', 'img', containerOrigin({ Config: { Labels: { 'com.docker.swarm.service.name': 'q' } } }))).toEqual(['docker service update --force q']);
    expect(recreateCommands("it's", undefined, containerOrigin({}))).toEqual(["docker rm --force 'it'\\''s'", "docker run --detach --name 'it'\\''s' <its other options, changed as above> '<image>'"]);
  });

  it("writes the rule's remediation for the target: the container's name, the file's path, the file rule's chown or chmod", () => {
    const target = { kind: 'container' as const, key: 'name/web', id: 'c1', name: 'web' };
    expect(instructionsFor('DKER-EE-002010', 'fix', target)).toContain('--memory-swap 256m web');
    const ca = { kind: 'file' as const, key: '/etc/docker/ca.pem', id: '/etc/docker/ca.pem', name: '/etc/docker/ca.pem' };
    expect(instructionsFor('DKER-EE-005250', 'fix', ca)).toContain('`chown root:root /etc/docker/ca.pem`');
    expect(fileCommands('DKER-EE-005250', '/etc/docker/ca.pem')).toEqual(['chown root:root /etc/docker/ca.pem']);
    expect(fileCommands('DKER-EE-005300', '/etc/docker/key.pem')).toEqual(['chmod 400 /etc/docker/key.pem']);
    expect(fileCommands('DKER-EE-005310', '/var/run/docker.sock')).toEqual(['chown root:docker /var/run/docker.sock']);
    expect(fileCommands('DKER-EE-001960', '/x')).toEqual([]);
    // No concrete remediation: the STIG's fix text.
    expect(instructionsFor('DKER-EE-000000', ' Fix it. ', target)).toBe('Fix it.');
  });

  it('quotes shell words that need it', () => {
    expect(commandLine(['docker', 'update', '--memory', '256m', 'my app'])).toBe("docker update --memory 256m 'my app'");
  });
});

describe('final status of an application', () => {
  it('counts the changing calls: all made, some, none', () => {
    const ok = { method: 'POST' as const, outcome: 'ok' as const };
    const failed = { method: 'POST' as const, outcome: 'conflict' as const };
    const unlockKeyFailed = { method: 'GET' as const, outcome: 'engine-error' as const };
    expect(finalStatus([ok, ok, unlockKeyFailed])).toBe('applied');
    expect(finalStatus([ok, failed])).toBe('partially-applied');
    expect(finalStatus([failed])).toBe('failed');
    expect(finalStatus([])).toBe('failed');
  });
});

describe('classified engine answers', () => {
  const httpError = (statusCode: number) => new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'classified', [], { cause: Object.assign(new Error('(HTTP code 400) secret body echo'), { statusCode, json: { message: 'SECRET BODY' } }) });

  it('keeps the outcome, the status and the code, never what the engine said', () => {
    expect(engineAnswerOf(httpError(400))).toMatchObject({ outcome: 'rejected', httpStatus: 400, errorCode: 'NODE_UNREACHABLE' });
    expect(engineAnswerOf(httpError(404))).toMatchObject({ outcome: 'not-found', httpStatus: 404 });
    expect(engineAnswerOf(httpError(409))).toMatchObject({ outcome: 'conflict', httpStatus: 409 });
    expect(engineAnswerOf(httpError(403))).toMatchObject({ outcome: 'refused', httpStatus: 403 });
    expect(engineAnswerOf(httpError(500))).toMatchObject({ outcome: 'engine-error', httpStatus: 500 });
    for (const status of [400, 404, 409, 403, 500]) expect(JSON.stringify(engineAnswerOf(httpError(status)))).not.toMatch(/SECRET|body echo|classified/);
  });

  it('tells a timeout (the change may have been made) from an unreachable engine and a failed handshake', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(engineAnswerOf(new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'x', [], { cause: abort }))).toMatchObject({ outcome: 'timeout', note: expect.stringContaining('may or may not') });
    expect(engineAnswerOf(new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'x', [], { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toMatchObject({ outcome: 'unreachable' });
    expect(engineAnswerOf(new PlimsollError(ErrorCode.NODE_TLS_FAILED, 'x'))).toMatchObject({ outcome: 'tls-failed', errorCode: 'NODE_TLS_FAILED' });
  });
});
