import { describe, expect, it } from 'vitest';
import { excludedByStig, inspectLine, isUnspecified, listenHost, swarmStatePath } from '../../../../src/checks/swarm/network-rules.js';
import type { ApiObject } from '../../../../src/domain/facts.js';
import { hostPart, managerFacts, recorded, run, STATE_PATH, stateFacts, workerFacts } from './swarm-facts.js';

const OVERLAY = 'DKER-EE-006240';
const LISTEN = 'DKER-EE-006270';

const networks = (): ApiObject[] => recorded<ApiObject[]>('networks.json');
const named = (...names: string[]): ApiObject[] => networks().filter((n) => names.includes(String(n.Name)));

describe('DKER-EE-006240 overlay network encryption', () => {
  it('prints the line the STIG command prints and leaves out what its grep leaves out', () => {
    const byName = new Map(networks().map((n) => [String(n.Name), n]));
    expect(inspectLine(byName.get('enc-net') as ApiObject)).toBe('enc-net map[com.docker.network.driver.overlay.vxlanid_list:4097 encrypted:]');
    expect(excludedByStig(byName.get('ingress') as ApiObject)).toBe(true);
    expect(excludedByStig(byName.get('plain-net') as ApiObject)).toBe(false);
    expect(excludedByStig({ Name: 'dtr-ol', Options: {} })).toBe(true);
    expect(excludedByStig({ Name: 'ucp-interlock', Options: {} })).toBe(true);
  });

  it('fails the recorded swarm on plain-net only, leaving out ingress', () => {
    const outcome = run(OVERLAY, managerFacts());
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('1 of 3 overlay networks are not encrypted: overlay network plain-net.');
    const byName = Object.fromEntries(outcome.observations.map((o) => [o.target.name, o]));
    expect(Object.keys(byName).sort()).toEqual(['overlay network enc-net', 'overlay network plain-net', 'overlay network weird-net']);
    expect(byName['overlay network plain-net']).toMatchObject({ target: { kind: 'swarm', id: 'bzvbjdv3tjatlu6m220s7204b' }, field: 'Options.encrypted', value: null, verdict: 'fail' });
    expect(byName['overlay network enc-net']).toMatchObject({ value: '', verdict: 'pass' });
    // --opt encrypted=false still encrypts: the overlay driver reads the option's presence only.
    expect(byName['overlay network weird-net']).toMatchObject({ value: 'false', verdict: 'pass' });
    expect(byName['overlay network weird-net']?.message).toContain('whenever the option is present');
  });

  it('passes when every checked overlay network is encrypted', () => {
    const outcome = run(OVERLAY, managerFacts({}, { networks: named('enc-net', 'ingress') }));
    expect(outcome.status).toBe('pass');
    expect(outcome.observations).toHaveLength(1);
  });

  it('is not applicable when only ingress is left, naming it', () => {
    const outcome = run(OVERLAY, managerFacts({}, { networks: named('ingress') }));
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toContain('"ingress"');
  });

  it('decides on a worker from the networks it carries', () => {
    expect(run(OVERLAY, workerFacts(named('enc-net', 'ingress'))).status).toBe('pass');
    const fail = run(OVERLAY, workerFacts(named('plain-net')));
    expect(fail.status).toBe('fail');
    expect(fail.observations[0]?.message).toContain('a worker: it sees the overlay networks it carries tasks of');
    expect(run(OVERLAY, workerFacts([])).status).toBe('not-applicable');
  });

  it('reports error when the listing was not collected, an Options field is missing, or the manager is locked', () => {
    expect(run(OVERLAY, managerFacts({}, { networks: undefined })).status).toBe('error');
    const broken = named('plain-net').map((n) => {
      const copy = { ...n };
      delete copy.Options;
      return copy;
    });
    expect(run(OVERLAY, managerFacts({}, { networks: broken })).status).toBe('error');
    expect(run(OVERLAY, managerFacts({}, { networks: [{ ...named('plain-net')[0], Options: 'encrypted' }] })).status).toBe('error');
    expect(run(OVERLAY, stateFacts('info-locked.json')).status).toBe('error');
  });
});

describe('DKER-EE-006270 swarm listen address', () => {
  it('parses listen addresses and knows the unspecified ones', () => {
    expect(listenHost('0.0.0.0:2377')).toBe('0.0.0.0');
    expect(listenHost('[::]:2377')).toBe('::');
    expect(listenHost(':2377')).toBe('');
    expect(listenHost('[fe80::1]:2377')).toBe('fe80::1');
    expect(listenHost('10.0.0.5')).toBeUndefined();
    for (const h of ['', '0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0']) expect(isUnspecified(h), h).toBe(true);
    for (const h of ['127.0.0.1', '10.0.0.5', 'fe80::1', '::1']) expect(isUnspecified(h), h).toBe(false);
    expect(swarmStatePath('/var/lib/docker/')).toBe('/var/lib/docker/swarm/docker-state.json');
  });

  it('fails the recorded default init (ListenAddr 0.0.0.0:2377)', () => {
    const outcome = run(LISTEN, managerFacts());
    expect(outcome.status).toBe('fail');
    expect(outcome.observations).toEqual([
      expect.objectContaining({ target: { kind: 'file', id: STATE_PATH, name: STATE_PATH }, field: 'ListenAddr', value: '0.0.0.0:2377', verdict: 'fail' }),
    ]);
  });

  it('passes the recorded `docker swarm init --listen-addr 127.0.0.1:2377`', () => {
    const outcome = run(LISTEN, managerFacts({ host: hostPart('docker-state-listen-127.json') }));
    expect(outcome.status).toBe('pass');
    expect(outcome.observations[0]).toMatchObject({ value: '127.0.0.1:2377', verdict: 'pass' });
  });

  it('judges a locked manager from its state file too', () => {
    expect(run(LISTEN, stateFacts('info-locked.json')).status).toBe('fail');
  });

  it('is not applicable on a worker (no 2377 listener)', () => {
    const outcome = run(LISTEN, workerFacts());
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.observations[0]).toMatchObject({ field: 'info.Swarm.ControlAvailable', value: false });
  });

  it('reports error when the state file is not in the host facts, missing, unreadable or not JSON', () => {
    const noHost = run(LISTEN, managerFacts({ host: undefined }));
    expect(noHost.status).toBe('error');
    expect(noHost.message).toContain(STATE_PATH);
    expect(run(LISTEN, managerFacts({ host: hostPart(null) })).message).toContain('do not include');
    expect(run(LISTEN, managerFacts({ host: hostPart('docker-state.json', '/var/lib/docker/swarm/docker-state.json') })).status).toBe('error');
    const absent = hostPart();
    if (absent.status === 'collected') absent.data.files = [{ path: STATE_PATH, exists: false }];
    expect(run(LISTEN, managerFacts({ host: absent })).status).toBe('error');
    const garbled = hostPart('README.md');
    expect(run(LISTEN, managerFacts({ host: garbled })).message).toContain('not JSON');
    expect(run(LISTEN, managerFacts({ host: { status: 'unavailable', reason: 'remote engine' } })).status).toBe('error');
  });
});
