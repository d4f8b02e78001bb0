/** Environment values never stay in facts: each becomes a salted HMAC, names stay, classifiers see values once. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EnvRedactor, REDACTED_PREFIX, type EnvVariable } from '../../../src/domain/env-redaction.js';

const SALT = 'a-salt-of-sixteen-chars-or-more';
const hmac = (value: string, salt = SALT) => `${REDACTED_PREFIX}${createHmac('sha256', salt).update(value).digest('hex')}`;

function answers() {
  return {
    container: { Config: { Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2', 'EMPTY=', 'BARE'], Image: 'app' } },
    image: { Config: { Env: ['API_TOKEN=tok-123'] }, ContainerConfig: { Env: ['API_TOKEN=tok-123'] } },
    service: { Spec: { TaskTemplate: { ContainerSpec: { Env: ['SECRET_KEY=s3cr3t=with=equals'] } } } },
    plugin: { Settings: { Env: ['LOKI_URL=https://user:pw@loki'] }, Config: { Env: [{ Name: 'LOKI_URL', Description: '', Settable: ['value'], Value: 'https://user:pw@loki' }] } },
  };
}

describe('EnvRedactor', () => {
  it('replaces every Env value by its HMAC-SHA256 under the salt, keeping names and value-less entries', () => {
    const a = answers();
    new EnvRedactor(SALT).redact(a, 'x');
    expect(a.container.Config.Env).toEqual(['PATH=' + hmac('/usr/bin'), 'DB_PASSWORD=' + hmac('hunter2'), 'EMPTY=' + hmac(''), 'BARE']);
    expect(a.image.Config.Env).toEqual(['API_TOKEN=' + hmac('tok-123')]);
    expect(a.image.ContainerConfig.Env).toEqual(a.image.Config.Env);
    expect(a.service.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['SECRET_KEY=' + hmac('s3cr3t=with=equals')]);
    expect(a.plugin.Settings.Env).toEqual(['LOKI_URL=' + hmac('https://user:pw@loki')]);
    expect(a.plugin.Config.Env[0]).toMatchObject({ Name: 'LOKI_URL', Value: hmac('https://user:pw@loki') });
    const text = JSON.stringify(a);
    for (const secret of ['hunter2', 'tok-123', 's3cr3t', 'user:pw', '/usr/bin']) expect(text).not.toContain(secret);
  });

  it('is deterministic per salt, differs across salts, is idempotent, and refuses a short salt', () => {
    const r = new EnvRedactor(SALT);
    expect(r.hash('x')).toBe(r.hash('x'));
    expect(new EnvRedactor('another-salt-of-16-chars').hash('x')).not.toBe(r.hash('x'));
    const a = answers();
    r.redact(a, 'x');
    const once = JSON.stringify(a);
    r.redact(a, 'x');
    expect(JSON.stringify(a)).toBe(once);
    expect(() => new EnvRedactor('short')).toThrow(/at least 16/);
  });

  it('lets classifiers see each plaintext value once, at redaction, and keeps only their classes, the location and the salted hash', () => {
    const seen: EnvVariable[] = [];
    const classifier = (v: EnvVariable) => {
      seen.push({ ...v });
      return /PASSWORD|TOKEN/.test(v.name) ? ['secret-name'] : undefined;
    };
    const a = answers();
    const redactor = new EnvRedactor(SALT, [classifier]);
    const found = redactor.redact(a, 'containers/c1/inspect');
    expect(seen.map((v) => v.value)).toContain('hunter2');
    const [password, token] = [redactor.hash('hunter2'), redactor.hash('tok-123')];
    expect(found).toEqual([
      { location: 'containers/c1/inspect/container/Config/Env/1', name: 'DB_PASSWORD', classes: ['secret-name'], hash: password },
      { location: 'containers/c1/inspect/image/Config/Env/0', name: 'API_TOKEN', classes: ['secret-name'], hash: token },
      { location: 'containers/c1/inspect/image/ContainerConfig/Env/0', name: 'API_TOKEN', classes: ['secret-name'], hash: token },
    ]);
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });
});
