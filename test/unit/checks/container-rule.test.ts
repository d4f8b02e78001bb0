/** The per-container aggregator: not-applicable, error on missing data, platform containers, counts. */
import { describe, expect, it } from 'vitest';
import { isPlatformContainer } from '../../../src/checks/container-rule.js';
import { checkFor } from '../../../src/checks/registry.js';
import { nodeFacts, recordedContainer, variant } from './facts-helpers.js';

const check = (stigId: string) => checkFor(stigId)!;
const privileged = () => check('DKER-EE-001960');

describe('container rule aggregation', () => {
  it('is not applicable on a node without containers', () => {
    for (const stigId of ['DKER-EE-001960', 'DKER-EE-002130', 'DKER-EE-002010']) {
      const outcome = check(stigId).evaluate(nodeFacts([]));
      expect(outcome).toEqual({ status: 'not-applicable', message: expect.stringMatching(/no containers/) as unknown, observations: [] });
    }
  });

  it('is an error, naming container and field, when the inspection has no HostConfig', () => {
    const broken = variant('broken', {}, { HostConfig: undefined });
    const outcome = privileged().evaluate(nodeFacts([broken, recordedContainer('privileged')]));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('broken: its inspection has no HostConfig.Privileged');
    // What could be decided is still reported.
    expect(outcome.message).toContain('of the others, 1 of 1 containers are privileged');
    expect(outcome.observations.map((o) => o.target.name)).toEqual(['privileged']);
  });

  it('is an error when the one field is missing, even if every other container passes', () => {
    const outcome = check('DKER-EE-002010').evaluate(nodeFacts([variant('no-memory', { Memory: undefined }), recordedContainer('hardened')]));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('no-memory: its inspection has no HostConfig.Memory');
  });

  it('is an error when a field holds a value of the wrong type', () => {
    const outcome = privileged().evaluate(nodeFacts([variant('odd', { Privileged: 'yes' })]));
    expect(outcome.status).toBe('error');
    expect(outcome.message).toContain('odd: HostConfig.Privileged is "yes": expected a boolean');
    expect(outcome.observations).toEqual([]);
  });

  it('is an error when Mounts is missing for the mount rules', () => {
    for (const stigId of ['DKER-EE-002130', 'DKER-EE-001190']) {
      const outcome = check(stigId).evaluate(nodeFacts([variant('no-mounts', {}, { Mounts: undefined })]));
      expect(outcome.status, stigId).toBe('error');
      expect(outcome.message).toContain('no-mounts: its inspection has no Mounts');
    }
  });

  it('recognises platform containers by name or image', () => {
    expect(isPlatformContainer(variant('ucp-agent', {}))).toBe(true);
    expect(isPlatformContainer(variant('web', {}, {}, 'docker/ucp-agent:3.2'))).toBe(true);
    expect(isPlatformContainer(variant('k8s_POD_kube-proxy', {}))).toBe(true);
    expect(isPlatformContainer(variant('DTR-registry', {}))).toBe(true);
    expect(isPlatformContainer(variant('web', {}))).toBe(false);
  });

  it('leaves platform containers out where the STIG command does, and says so', () => {
    const facts = nodeFacts([variant('ucp-agent', { Privileged: true }), variant('web', { Privileged: true }), recordedContainer('hardened')]);
    const outcome = privileged().evaluate(facts);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('1 of 2 containers are privileged (1 platform container left out as the STIG check does: ucp-agent).');
    expect(outcome.observations.map((o) => o.target.name).sort()).toEqual(['hardened', 'web']);
  });

  it('is not applicable when only platform containers exist, for a rule that leaves them out', () => {
    const outcome = privileged().evaluate(nodeFacts([variant('ucp-agent', { Privileged: true })]));
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toContain('ucp-agent');
  });

  it('still judges platform containers for rules whose STIG command does not filter them', () => {
    const outcome = check('DKER-EE-002010').evaluate(nodeFacts([variant('ucp-agent', { Memory: 0 })]));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('1 of 1 containers have no memory limit.');
  });

  it('does not let an excluded platform container hide an error-free pass', () => {
    const outcome = privileged().evaluate(nodeFacts([variant('dtr-nginx', { HostConfig: undefined }), recordedContainer('hardened')]));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('dtr-nginx');
  });

  it('counts failing containers in the message', () => {
    const facts = nodeFacts([recordedContainer('defaults'), recordedContainer('hardened'), recordedContainer('host-network')]);
    expect(check('DKER-EE-002030').evaluate(facts).message).toBe('1 of 3 containers have a writable root filesystem.');
    expect(check('DKER-EE-002000').evaluate(facts).message).toBe("1 of 3 containers share the host's network namespace.");
    expect(check('DKER-EE-002060').evaluate(facts)).toMatchObject({ status: 'pass', message: "0 of 3 containers share the host's UTS namespace." });
  });
});
