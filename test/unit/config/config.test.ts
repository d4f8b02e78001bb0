import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('loadConfig', () => {
  it('applies the defaults: ./var under the working directory, the mirror beside the project, host root /', () => {
    const c = loadConfig({}, { PLIMSOLL_PROJECT_ROOT: '/srv/plimsoll' }, '/work/here');
    expect(c.dbPath).toBe('/work/here/var/plimsoll.db');
    expect(c.contentCacheDir).toBe('/work/here/var/content');
    expect(c.contentMirrors).toEqual([path.resolve('/srv/shared/data')]);
    expect(c.port).toBe(4000);
    expect(c.hostFiles).toEqual({ root: '/', helperImage: undefined, helperBusybox: undefined });
  });

  it('reads the environment, with flags (overrides) beating it', () => {
    const env = { PLIMSOLL_PORT: '5000', PLIMSOLL_CONTENT_MIRROR: 'a:/b', PLIMSOLL_HOST_ROOT: 'none', PLIMSOLL_HOST_HELPER_IMAGE: 'busybox:1.36', PLIMSOLL_OFFLINE: '1' };
    const c = loadConfig({ port: 6000 }, env, '/w');
    expect(c.port).toBe(6000);
    expect(c.contentMirrors).toEqual(['/w/a', '/b']);
    expect(c.offline).toBe(true);
    expect(c.hostFiles).toMatchObject({ root: undefined, helperImage: 'busybox:1.36' });
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({}, { PLIMSOLL_PORT: 'eighty', PLIMSOLL_ADMIN_TOKEN: 'short', DOCKER_HOST: 'ssh://x', PLIMSOLL_HOST_ROOT: 'relative/dir', PLIMSOLL_ENV_HASH_SALT: 'too-short' }, '/w');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PLIMSOLL_PORT', 'PLIMSOLL_ADMIN_TOKEN', 'DOCKER_HOST', 'PLIMSOLL_HOST_ROOT', 'PLIMSOLL_ENV_HASH_SALT']) expect(problems).toContain(name);
  });

  it('takes the environment hash salt from PLIMSOLL_ENV_HASH_SALT, else leaves it to the database', () => {
    expect(loadConfig({}, { PLIMSOLL_ENV_HASH_SALT: 'a-long-enough-salt' }, '/w').envHashSalt).toBe('a-long-enough-salt');
    expect(loadConfig({}, {}, '/w').envHashSalt).toBeUndefined();
  });

  it('reads the maximum swarm secret age (PLIMSOLL_SECRET_MAX_AGE_DAYS, default 90) and rejects a bad one', () => {
    expect(loadConfig({}, {}, '/w').secretMaxAgeDays).toBe(90);
    expect(loadConfig({}, { PLIMSOLL_SECRET_MAX_AGE_DAYS: '30' }, '/w').secretMaxAgeDays).toBe(30);
    expect(() => loadConfig({}, { PLIMSOLL_SECRET_MAX_AGE_DAYS: '0' }, '/w')).toThrow(/PLIMSOLL_SECRET_MAX_AGE_DAYS/);
  });

  it('reads OIDC settings, with defaults, and lists every bad one', () => {
    const env = {
      PLIMSOLL_OIDC_ISSUER: 'https://idp.example/realms/x', PLIMSOLL_OIDC_AUDIENCE: 'plimsoll', PLIMSOLL_OIDC_JWKS_URL: 'https://idp.example/certs',
      PLIMSOLL_OIDC_ROLE_MAP: '{"cn=admins,ou=groups":"admin","auditors":"auditor"}', PLIMSOLL_USER: 'dave',
    };
    const c = loadConfig({}, env, '/w');
    expect(c.oidc).toEqual({ issuer: 'https://idp.example/realms/x', audience: 'plimsoll', jwksUrl: 'https://idp.example/certs', rolesClaim: 'groups', roleMap: { 'cn=admins,ou=groups': 'admin', auditors: 'auditor' }, usernameClaim: 'preferred_username', autoProvision: true, clockToleranceSec: 30 });
    expect(c.cliUser).toBe('dave');
    expect(loadConfig({}, {}, '/w').oidc).toBeUndefined();
    expect(loadConfig({}, { ...env, PLIMSOLL_OIDC_JWKS_URL: 'http://127.0.0.1:8080/jwks', PLIMSOLL_OIDC_AUTO_PROVISION: 'false' }, '/w').oidc).toMatchObject({ autoProvision: false });
    let error: unknown;
    try {
      loadConfig({}, { PLIMSOLL_OIDC_ISSUER: 'x', PLIMSOLL_OIDC_JWKS_URL: 'http://idp.example/certs', PLIMSOLL_OIDC_ROLE_MAP: '{"g":"root"}' }, '/w');
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PLIMSOLL_OIDC_AUDIENCE must be set');
    expect(problems).toContain('must use https (http only on a loopback address)');
    expect(problems).toContain('maps "g" to "root"');
    expect(() => loadConfig({}, { PLIMSOLL_OIDC_AUDIENCE: 'a' }, '/w')).toThrow('PLIMSOLL_OIDC_AUDIENCE set without PLIMSOLL_OIDC_ISSUER');
    expect(() => loadConfig({}, { ...env, PLIMSOLL_OIDC_ROLE_MAP: 'admins=admin' }, '/w')).toThrow('PLIMSOLL_OIDC_ROLE_MAP must be a JSON object');
  });
  it('reads POA&M due days per severity, keeping the defaults for severities left out, and names bad parts', () => {
    expect(loadConfig({}, {}, '/w').poamDueDays).toEqual({ high: 30, medium: 90, low: 180, unknown: 90 });
    expect(loadConfig({}, { PLIMSOLL_POAM_DUE_DAYS: 'high=15, low=365' }, '/w').poamDueDays).toEqual({ high: 15, medium: 90, low: 365, unknown: 90 });
    expect(() => loadConfig({}, { PLIMSOLL_POAM_DUE_DAYS: 'high=0,critical=5' }, '/w')).toThrow(/"high=0"[\s\S]*"critical=5"/);
  });
});
