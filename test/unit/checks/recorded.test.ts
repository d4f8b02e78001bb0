/**
 * The checks on real inspections recorded from a private daemon (test/fixtures/docker/containers,
 * re-recorded by the integration test with PLIMSOLL_RECORD_FIXTURES=1).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFor } from '../../../src/checks/registry.js';
import { CONTAINER_STIG_IDS, FIXTURE_CONTAINERS, verdictFor } from '../../fixtures/fixture-containers.js';
import { COLLECTED_AT, RECORDED_DIR, nodeFacts, recordedContainer } from './facts-helpers.js';

const must = (stigId: string) => {
  const c = checkFor(stigId);
  if (c === undefined) throw new Error(`no check ${stigId}`);
  return c;
};

describe('checks on recorded inspections', () => {
  const containers = FIXTURE_CONTAINERS.map((f) => recordedContainer(f.name));
  const facts = nodeFacts(containers);

  it('has a recording of every fixture container, and only those', () => {
    const recorded = fs.readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(recorded.sort()).toEqual(FIXTURE_CONTAINERS.map((f) => f.name).sort());
  });

  for (const stigId of CONTAINER_STIG_IDS) {
    it(`${stigId}: each recorded container gets the fixture's expected verdict`, () => {
      const outcome = must(stigId).evaluate(facts);
      const actual = Object.fromEntries(FIXTURE_CONTAINERS.map((f, i) => [f.name, verdictFor(outcome, containers[i]!.id)]));
      expect(actual).toEqual(Object.fromEntries(FIXTURE_CONTAINERS.map((f) => [f.name, f.expected[stigId]])));
      expect(outcome.status).toBe('fail');
      for (const o of outcome.observations) {
        expect(o.collectedAt).toBe(COLLECTED_AT);
        expect(o.value).not.toBeUndefined();
        expect(o.expected).not.toBe('');
      }
    });
  }

  it('the hardened container alone passes every rule of the first fourteen', () => {
    const alone = nodeFacts([recordedContainer('hardened')]);
    for (const check of CONTAINER_STIG_IDS.map(must)) {
      const outcome = check.evaluate(alone);
      expect(outcome.status, check.stigId).toBe('pass');
      expect(outcome.message, check.stigId).toMatch(/^0 of 1 containers /);
      expect(outcome.observations.length, check.stigId).toBeGreaterThan(0);
    }
  });

  it('records the privileged flag as evidence', () => {
    const outcome = must('DKER-EE-001960').evaluate(nodeFacts([recordedContainer('privileged'), recordedContainer('hardened')]));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('1 of 2 containers are privileged.');
    const o = outcome.observations.find((x) => x.target.name === 'privileged');
    expect(o).toMatchObject({ field: 'HostConfig.Privileged', value: true, verdict: 'fail', target: { kind: 'container' } });
    expect(o?.target.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('points at the mount of the Docker socket', () => {
    const outcome = must('DKER-EE-002130').evaluate(nodeFacts([recordedContainer('docker-socket')]));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations).toHaveLength(1);
    const o = outcome.observations[0]!;
    expect(o.field).toBe('Mounts.0');
    expect(o.value).toMatchObject({ Type: 'bind', Destination: '/var/run/docker.sock' });
    expect((o.value as { Source: string }).Source).toMatch(/\/docker\.sock$/);
  });

  it('fails read-write sensitive mounts, passes read-only ones with a note', () => {
    const check = must('DKER-EE-001190');
    const rw = check.evaluate(nodeFacts([recordedContainer('etc-rw')]));
    expect(rw.status).toBe('fail');
    expect(rw.observations[0]).toMatchObject({ field: 'Mounts.0', verdict: 'fail', value: { Source: '/etc', RW: true } });
    const ro = check.evaluate(nodeFacts([recordedContainer('etc-ro')]));
    expect(ro.status).toBe('pass');
    expect(ro.observations[0]!.message).toMatch(/read-only only \(\/etc at \/host\/etc, \/usr at \/host\/usr\)/);
  });

  it('fails "shareable" IPC, as the check text does', () => {
    const outcome = must('DKER-EE-001250').evaluate(nodeFacts([recordedContainer('shareable-ipc')]));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations[0]).toMatchObject({ field: 'HostConfig.IpcMode', value: 'shareable', verdict: 'fail' });
    expect(outcome.observations[0]!.message).toMatch(/STIG check text names the finding/);
  });

  it('reads the engine-normalised unlimited PIDs limit (null) as a failure', () => {
    const outcome = must('DKER-EE-002780').evaluate(nodeFacts([recordedContainer('pids-unlimited')]));
    expect(outcome.status).toBe('fail');
    expect(outcome.observations[0]).toMatchObject({ field: 'HostConfig.PidsLimit', value: null, verdict: 'fail' });
  });
});
