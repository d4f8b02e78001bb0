/** The image rules on constructed engine parts, and the supported-version rule on the recorded /version and mutated copies. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENGINE_CHECKS } from '../../../../src/checks/engine/index.js';
import { compareReleases, isRootUser, parseRelease } from '../../../../src/checks/engine/image-rules.js';
import { engineRelease } from '../../../../src/checks/engine/version-rules.js';
import { DOCKER_STIG_V2R2, shared } from '../../../harness/content.js';
import { nodeFacts, variant } from '../facts-helpers.js';
import { engineFacts, enginePart, evaluate, image, recordedVersion } from './engine-facts.js';

describe('engine checks', () => {
  it('are the twelve engine rules, titled as in the real V2R2 benchmark', () => {
    const xml = fs.readFileSync(shared(...DOCKER_STIG_V2R2), 'utf8');
    const titles = new Map<string, string>();
    for (const m of xml.matchAll(/<Rule\b[\s\S]*?<\/Rule>/g)) {
      const version = /<version>([^<]+)<\/version>/.exec(m[0])?.[1];
      const title = /<title>([^<]+)<\/title>/.exec(m[0])?.[1];
      if (version !== undefined && title !== undefined) titles.set(version.trim(), title.trim().replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    }
    expect(ENGINE_CHECKS.map((c) => c.stigId).sort()).toEqual(
      ['001050', '001370', '001800', '001810', '001830', '001840', '003200', '003230', '003310', '003320', '004130', '999999'].map((n) => `DKER-EE-${n}`),
    );
    for (const c of ENGINE_CHECKS) expect(c.title, c.stigId).toBe(titles.get(c.stigId));
  });
});

describe('DKER-EE-003200 container USER', () => {
  it('reads root users', () => {
    expect(['', 'root', '0', 'root:root', '0:1000', ' '].every(isRootUser)).toBe(true);
    expect(['1000', 'app', 'app:root', '1000:0', 'nobody'].some(isRootUser)).toBe(false);
  });
  it("judges each container's Config.User, as the check text inspects it (not the image's)", () => {
    const withUser = (name: string, user: unknown) => {
      const c = variant(name, {});
      return { ...c, inspect: { ...c.inspect, Config: { ...(c.inspect.Config as object), User: user } } };
    };
    const outcome = evaluate('DKER-EE-003200', nodeFacts([withUser('app', '1000'), withUser('web', 'www-data:www-data'), withUser('rooted', '0'), withUser('plain', '')]));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('2 of 4 containers run as root.');
    expect(outcome.observations.map((o) => [o.target.kind, o.target.name, o.value, o.verdict])).toEqual([
      ['container', 'app', '1000', 'pass'],
      ['container', 'web', 'www-data:www-data', 'pass'],
      ['container', 'rooted', '0', 'fail'],
      ['container', 'plain', '', 'fail'],
    ]);
    expect(evaluate('DKER-EE-003200', nodeFacts([withUser('app', '1000')])).status).toBe('pass');
    expect(evaluate('DKER-EE-003200', nodeFacts([withUser('odd', undefined)])).status).toBe('error');
    expect(evaluate('DKER-EE-003200', nodeFacts([])).status).toBe('not-applicable');
  });
});

describe('DKER-EE-004130 older UCP and DTR images', () => {
  const outcome = (...images: ReturnType<typeof image>[]) => evaluate('DKER-EE-004130', engineFacts({ engine: enginePart(images) }));
  it('orders releases', () => {
    expect(parseRelease('3.2.10')).toEqual([3, 2, 10]);
    expect(parseRelease('latest')).toBeUndefined();
    expect(compareReleases([3, 2, 10], [3, 2, 9])).toBeGreaterThan(0);
  });
  it('passes when every UCP and DTR image is of its installed release', () => {
    const pass = outcome(image('a', ['docker/ucp-agent:3.2.6'], ''), image('b', ['docker/ucp-proxy:3.2.6'], ''), image('c', ['docker/dtr-registry:2.7.6'], ''), image('d', ['nginx:1.19'], ''));
    expect(pass.status).toBe('pass');
    expect(pass.observations.map((o) => o.target.name)).toEqual(['docker/ucp-agent:3.2.6', 'docker/ucp-proxy:3.2.6', 'docker/dtr-registry:2.7.6']);
  });
  it('fails older releases left after an upgrade, per product', () => {
    const fail = outcome(image('a', ['docker/ucp-agent:3.2.10'], ''), image('b', ['docker/ucp-agent:3.2.9'], ''), image('c', ['docker/ucp-etcd:3.1.0'], ''), image('d', ['docker/dtr-api:2.7.6'], ''));
    expect(fail.status).toBe('fail');
    expect(fail.observations.filter((o) => o.verdict === 'fail').map((o) => o.value)).toEqual([['docker/ucp-agent:3.2.9'], ['docker/ucp-etcd:3.1.0']]);
    expect(fail.message).toContain('older than the installed 3.2.10');
  });
  it('is not applicable without platform images, an error on tags naming no release', () => {
    expect(outcome(image('a', ['nginx:1.19'], ''), image('b', ['dockerhub/ucp:3.0.0'], '')).status).toBe('not-applicable');
    expect(outcome(image('a', ['docker/ucp:latest'], ''), image('b', ['docker/ucp:3.2.6'], '')).status).toBe('error');
    expect(evaluate('DKER-EE-004130', engineFacts({ engine: { status: 'unavailable', reason: 'remote engine' } })).status).toBe('error');
  });
});

describe('DKER-EE-999999 supported version', () => {
  const outcome = (Version: string, platform = '') => evaluate('DKER-EE-999999', engineFacts({ version: { ...recordedVersion(), Version, Platform: { Name: platform } } }));
  it('reads engine releases', () => {
    expect(engineRelease('20.10.24+dfsg1')).toEqual([20, 10]);
    expect(engineRelease('17.06.2-ee-25')).toEqual([17, 6]);
    expect(engineRelease('dev')).toBeUndefined();
  });
  it('passes the recorded 20.10 engine, saying that support calendars are not in the facts', () => {
    const recorded = evaluate('DKER-EE-999999', engineFacts());
    expect(recorded.status).toBe('pass');
    expect(recorded.observations[0]).toMatchObject({ field: 'version.Version', value: '20.10.24+dfsg1', verdict: 'pass' });
    expect(recorded.message).toContain('support calendar');
    expect(outcome('19.03.14', 'Docker Engine - Enterprise').status).toBe('pass');
  });
  it('fails Docker Enterprise 2.x engines and older releases', () => {
    const ee = outcome('18.09.11', 'Docker Engine - Enterprise');
    expect(ee.status).toBe('fail');
    expect(ee.message).toContain('Docker Enterprise Edition 2.x');
    expect(outcome('17.06.2-ee-25').status).toBe('fail');
    expect(outcome('1.13.1').status).toBe('fail');
    expect(outcome('18.09.9', 'Docker Engine - Community').message).toContain('before 19.03');
  });
  it('is an error without a readable version', () => {
    expect(outcome('').status).toBe('error');
    expect(outcome('master-dockerproject').status).toBe('error');
  });
});
