/**
 * PLM-SEC-001..005 on facts screened as the EngineCollector screens them (the real redactor and classifier over
 * recorded inspections and swarm answers): verdicts, evidence that names the variable, classes and hash but never
 * the value, and `error` when the screening, a history or a timestamp is missing.
 */
import { describe, expect, it } from 'vitest';
import { checkFor } from '../../../../src/checks/registry.js';
import { EnvRedactor } from '../../../../src/domain/env-redaction.js';
import type { ApiObject, NodeFacts } from '../../../../src/domain/facts.js';
import type { CheckOutcome } from '../../../../src/domain/results.js';
import { secretClassifier } from '../../../../src/domain/secret-classifier.js';
import { FAKE_PEM } from '../../../fixtures/secrets/secret-fixtures.js';
import { nodeFacts, variant } from '../facts-helpers.js';
import { managerFacts, recorded, stateFacts, workerFacts } from '../swarm/swarm-facts.js';

const SALT = 'secret-rules-salt-0123456789';
const redactor = new EnvRedactor(SALT, [secretClassifier]);
const GHP = 'ghp_R8mX2kV7qL4tZ9wN3bH6yJ1cF5dS0aP8eU2o';
const PLAINTEXTS = ['Tr0ub4dor', GHP, 'tok-7734', 'MIIEow', 'Sup3r'];

/** The facts as the collector leaves them: values hashed, findings and the secret policy recorded. */
function screen(facts: NodeFacts, maxAgeDays = 90): NodeFacts {
  const found = facts.containers.flatMap((c) => redactor.redact(c.inspect, `containers/${c.id}/inspect`));
  for (const part of ['engine', 'swarm'] as const) {
    const p = facts[part];
    if (p?.status === 'collected') found.push(...redactor.redact(p.data, part));
  }
  return { ...facts, ...(found.length > 0 ? { envClassifications: found } : {}), secretPolicy: { classifiers: redactor.classifierIds, maxAgeDays } };
}

function run(stigId: string, facts: NodeFacts): CheckOutcome {
  const outcome = checkFor(stigId)!.evaluate(facts);
  const text = JSON.stringify(outcome);
  for (const secret of PLAINTEXTS) expect(text, `${stigId} shows a secret value`).not.toContain(secret);
  return outcome;
}

function withEnv(name: string, env: string[]) {
  const c = variant(name, {});
  (c.inspect.Config as ApiObject).Env = env;
  return c;
}

function image(id: string, env: string[] | null, lines: string[]): { image: ApiObject; history: ApiObject[] } {
  return {
    image: { Id: id, RepoTags: [`app/${id.slice(7, 10)}:1`], RepoDigests: [], Config: env === null ? null : { Env: env } },
    history: lines.map((CreatedBy, i) => ({ Id: i === 0 ? id : '<missing>', Created: 1767225600 - i, CreatedBy, Tags: null, Size: 0, Comment: '' })),
  };
}

function withImages(facts: NodeFacts, images: { image: ApiObject; history: ApiObject[] }[]): NodeFacts {
  return {
    ...facts,
    engine: {
      status: 'collected',
      data: { images: images.map((i) => i.image), histories: Object.fromEntries(images.map((i) => [String(i.image.Id), i.history])), networks: [], volumes: [], plugins: [], processes: {} },
    },
  };
}

describe('PLM-SEC-001 container environments', () => {
  it('fails a container whose environment holds a secret, naming the variable, classes and salted hash', () => {
    const facts = screen(nodeFacts([withEnv('api', ['PATH=/bin', 'DB_PASSWORD=Tr0ub4dor', `GH=${GHP}`]), withEnv('web', ['DB_PASSWORD_FILE=/run/secrets/db', 'TOKEN_URL=https://auth/token'])]));
    const outcome = run('PLM-SEC-001', facts);
    expect(outcome.status).toBe('fail');
    const failing = outcome.observations.filter((o) => o.verdict === 'fail');
    expect(failing.map((o) => [o.target.name, o.field, o.value])).toEqual([
      ['api', 'Config.Env.1', { variable: 'DB_PASSWORD', classes: ['secret-named-literal'], hash: redactor.hash('Tr0ub4dor') }],
      ['api', 'Config.Env.2', { variable: 'GH', classes: ['github-token'], hash: redactor.hash(GHP) }],
    ]);
    expect(outcome.observations.find((o) => o.target.name === 'web')).toMatchObject({ verdict: 'pass', field: 'Config.Env', value: ['DB_PASSWORD_FILE', 'TOKEN_URL'] });
  });

  it('passes look-alikes, and is not applicable without containers', () => {
    expect(run('PLM-SEC-001', screen(nodeFacts([withEnv('web', ['PASSWORD_FILE=/run/secrets/x', 'DEBUG=true', 'BARE'])]))).status).toBe('pass');
    expect(run('PLM-SEC-001', screen(nodeFacts([]))).status).toBe('not-applicable');
  });

  it('cannot decide on unscreened facts, nor on a value that was not hashed (without echoing it)', () => {
    const unscreened = nodeFacts([withEnv('api', ['PATH=/bin'])]);
    redactor.redact(unscreened.containers[0]!.inspect, 'x');
    expect(run('PLM-SEC-001', unscreened)).toMatchObject({ status: 'error', message: expect.stringContaining('not screened for secrets') });
    const raw = { ...screen(nodeFacts([])), containers: [withEnv('api', ['DB_PASSWORD=Tr0ub4dor'])] };
    expect(run('PLM-SEC-001', raw)).toMatchObject({ status: 'error', message: expect.stringContaining('DB_PASSWORD) holds a value that was not replaced') });
  });
});

describe('PLM-SEC-002 and PLM-SEC-003 images', () => {
  // Fresh objects for each use: screening hashes them in place.
  const clean = () => image(`sha256:${'a'.repeat(64)}`, ['PATH=/bin'], ['/bin/sh -c #(nop)  CMD ["sh"]', '/bin/sh -c #(nop)  ENV PATH=/bin', '']);
  const leaky = () => image(`sha256:${'b'.repeat(64)}`, ['API_TOKEN=tok-7734'], [
    '/bin/sh -c #(nop)  ENV API_TOKEN=tok-7734',
    `|1 NPM_TOKEN=${GHP} /bin/sh -c npm ci`,
    `/bin/sh -c echo '${FAKE_PEM}' > /key && login --password Sup3rS3cret`,
  ]);

  it('fails an image whose configured environment holds a secret', () => {
    const outcome = run('PLM-SEC-002', screen(withImages(nodeFacts([]), [clean(), leaky()])));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations.map((o) => [o.target.name, o.verdict, o.field])).toEqual([
      ['app/aaa:1', 'pass', 'Config.Env'],
      ['app/bbb:1', 'fail', 'Config.Env.0'],
    ]);
    // An image without a configuration (imported without --change) has no environment.
    expect(run('PLM-SEC-002', screen(withImages(nodeFacts([]), [image(`sha256:${'c'.repeat(64)}`, null, [''])]))).status).toBe('pass');
  });

  it('fails each history line holding a secret: ENV, build arguments, a PEM block and a password flag', () => {
    const outcome = run('PLM-SEC-003', screen(withImages(nodeFacts([]), [clean(), leaky()])));
    expect(outcome.status).toBe('fail');
    const failing = outcome.observations.filter((o) => o.verdict === 'fail');
    expect(failing.map((o) => [o.field, (o.value as { variable: string }).variable, (o.value as { classes: string[] }).classes])).toEqual([
      ['history.0.CreatedBy', 'API_TOKEN', ['secret-named-literal']],
      ['history.1.CreatedBy', 'NPM_TOKEN', ['github-token']],
      ['history.2.CreatedBy', '', ['private-key']],
      ['history.2.CreatedBy', 'password', ['secret-named-literal']],
    ]);
    expect(failing[0]!.value).toMatchObject({ line: 0, hash: redactor.hash('tok-7734') });
    expect(outcome.observations.find((o) => o.target.name === 'app/aaa:1')).toMatchObject({ verdict: 'pass', field: 'history', value: 3 });
  });

  it('cannot decide without the histories, or with an image whose history is missing', () => {
    const facts = screen(withImages(nodeFacts([]), [clean()]));
    if (facts.engine?.status !== 'collected') throw new Error('no engine part');
    const { histories: _h, ...older } = facts.engine.data;
    expect(run('PLM-SEC-003', { ...facts, engine: { status: 'collected', data: older } })).toMatchObject({ status: 'error', message: expect.stringContaining('histories') });
    expect(run('PLM-SEC-003', { ...facts, engine: { status: 'collected', data: { ...facts.engine.data, histories: {} } } })).toMatchObject({ status: 'error', message: expect.stringContaining('history of image app/aaa:1') });
    expect(run('PLM-SEC-003', { ...facts, engine: { status: 'failed', error: 'boom' } }).status).toBe('error');
  });
});

describe('PLM-SEC-004 and PLM-SEC-005 swarm', () => {
  const AT = '2026-12-03T00:00:00.000Z';

  function leakyService(): ApiObject {
    const service = structuredClone(recorded<ApiObject[]>('services.json')[0]!);
    service.ID = 'leaky0000000000000000000';
    (service.Spec as { Name: string }).Name = 'billing';
    const spec = (service.Spec as { TaskTemplate: { ContainerSpec: ApiObject } }).TaskTemplate.ContainerSpec;
    spec.Env = ['LOG_LEVEL=info', 'STRIPE_API_KEY=Tr0ub4dorXyz'];
    delete spec.Secrets;
    return service;
  }

  it('passes a service that takes its secret from a swarm secret, fails one with a secret in its spec environment', () => {
    const good = run('PLM-SEC-004', screen(managerFacts({ collectedAt: AT })));
    expect(good.status).toBe('pass');
    expect(good.observations[0]).toMatchObject({ target: { kind: 'service', name: 'web' }, verdict: 'pass', message: expect.stringContaining('db_password') });
    const services = [...recorded<ApiObject[]>('services.json'), leakyService()];
    const bad = run('PLM-SEC-004', screen(managerFacts({ collectedAt: AT }, { services })));
    expect(bad.status).toBe('fail');
    expect(bad.observations.filter((o) => o.verdict === 'fail').map((o) => [o.target.name, o.field, (o.value as { variable: string }).variable])).toEqual([
      ['billing', 'Spec.TaskTemplate.ContainerSpec.Env.1', 'STRIPE_API_KEY'],
    ]);
  });

  it('fails a secret left in the previous spec the manager keeps for rollback', () => {
    const service = structuredClone(recorded<ApiObject[]>('services.json')[0]!);
    service.PreviousSpec = structuredClone(service.Spec);
    ((service.PreviousSpec as { TaskTemplate: { ContainerSpec: ApiObject } }).TaskTemplate.ContainerSpec).Env = ['DB_PASSWORD=Tr0ub4dor'];
    const outcome = run('PLM-SEC-004', screen(managerFacts({ collectedAt: AT }, { services: [service] })));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations.map((o) => [o.verdict, o.field])).toEqual([
      ['pass', 'Spec.TaskTemplate.ContainerSpec.Env'],
      ['fail', 'PreviousSpec.TaskTemplate.ContainerSpec.Env.0'],
    ]);
    expect(outcome.observations[1]!.message).toContain('rollback');
  });

  it('is not applicable on a worker or outside a swarm, and an error on a locked manager', () => {
    for (const id of ['PLM-SEC-004', 'PLM-SEC-005']) {
      expect(run(id, screen(workerFacts())).status, id).toBe('not-applicable');
      expect(run(id, screen(stateFacts('info-inactive.json'))).status, id).toBe('not-applicable');
      expect(run(id, screen(stateFacts('info-locked.json'))).status, id).toBe('error');
    }
  });

  it('fails a swarm secret older than the maximum age, from its CreatedAt (its data never changes)', () => {
    const young = run('PLM-SEC-005', screen(managerFacts({ collectedAt: AT })));
    expect(young).toMatchObject({ status: 'pass' });
    expect(young.observations[0]).toMatchObject({ target: { kind: 'secret', name: 'db_password' }, field: 'CreatedAt', value: { ageDays: 3, maxAgeDays: 90 } });
    const old = run('PLM-SEC-005', screen(managerFacts({ collectedAt: '2027-06-01T00:00:00.000Z' })));
    expect(old.status).toBe('fail');
    expect(old.observations[0]!.message).toContain('rotate it');
    expect(run('PLM-SEC-005', screen(managerFacts({ collectedAt: AT }), 2)).status).toBe('fail');
  });

  it('cannot decide without a maximum age, a creation time, or with a secret created after the collection', () => {
    const noMax = screen(managerFacts({ collectedAt: AT }));
    expect(run('PLM-SEC-005', { ...noMax, secretPolicy: { classifiers: noMax.secretPolicy!.classifiers } }).status).toBe('error');
    const secrets = recorded<ApiObject[]>('secrets.json').map((s) => ({ ...s, CreatedAt: 'yesterday' }));
    expect(run('PLM-SEC-005', screen(managerFacts({ collectedAt: AT }, { secrets }))).status).toBe('error');
    expect(run('PLM-SEC-005', screen(managerFacts({ collectedAt: '2024-07-24T12:00:00.000Z' }))).message).toContain('clocks disagree');
  });
});
