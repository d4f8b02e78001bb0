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

  const hostNetwork = () => check('DKER-EE-002000');

  it('leaves platform containers out where the STIG command does, records each as excluded, and says so', () => {
    const facts = nodeFacts([variant('ucp-agent', { NetworkMode: 'host' }), variant('web', { NetworkMode: 'host' }), recordedContainer('hardened')]);
    const outcome = hostNetwork().evaluate(facts);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe("1 of 2 containers share the host's network namespace (1 platform container left out as the STIG check does: ucp-agent).");
    expect(outcome.observations.map((o) => [o.target.name, o.verdict]).sort()).toEqual([['hardened', 'pass'], ['ucp-agent', 'excluded'], ['web', 'fail']]);
    const excluded = outcome.observations.find((o) => o.verdict === 'excluded');
    expect(excluded).toMatchObject({ target: { kind: 'container', id: 'ucp-agent-id' }, field: 'name', value: 'ucp-agent' });
    expect(excluded?.message).toMatch(/matches \/ucp\|kube\|dtr\/i, the STIG check command's filter \(grep -iv "ucp\\\|kube\\\|dtr"\)/);
  });

  it('is not applicable when only platform containers exist, for a rule that leaves them out, with each one recorded', () => {
    const outcome = hostNetwork().evaluate(nodeFacts([variant('ucp-agent', { NetworkMode: 'host' })]));
    expect(outcome.status).toBe('not-applicable');
    expect(outcome.message).toContain('ucp-agent');
    expect(outcome.observations).toMatchObject([{ target: { name: 'ucp-agent' }, verdict: 'excluded' }]);
  });

  it('still judges platform containers for rules whose STIG command does not filter them', () => {
    const outcome = check('DKER-EE-002010').evaluate(nodeFacts([variant('ucp-agent', { Memory: 0 })]));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe('1 of 1 containers have no memory limit.');
    // DKER-EE-001960 greps container ids only (`docker ps --quiet`): it leaves nothing out.
    expect(privileged().evaluate(nodeFacts([variant('ucp-agent', { Privileged: true })])).status).toBe('fail');
  });

  it('does not let an excluded platform container hide an error-free pass', () => {
    const outcome = hostNetwork().evaluate(nodeFacts([variant('dtr-nginx', { HostConfig: undefined }), recordedContainer('hardened')]));
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toContain('dtr-nginx');
  });

  it("uses the rule's own STIG pattern: DKER-EE-001190 greps ucp|kubelet|dtr", () => {
    const etcRw = [{ Type: 'bind', Source: '/etc', Destination: '/host/etc', Mode: '', RW: true, Propagation: 'rprivate' }];
    const outcome = check('DKER-EE-001190').evaluate(nodeFacts([variant('kube-proxy', {}, { Mounts: etcRw }), variant('kubelet', {}, { Mounts: etcRw })]));
    expect(outcome.observations.map((o) => [o.target.name, o.verdict]).sort()).toEqual([['kube-proxy', 'fail'], ['kubelet', 'excluded']]);
  });

  it("uses the node's own platform container pattern instead, for every rule; an empty one leaves nothing out", () => {
    const containers = [variant('ucp-agent', { NetworkMode: 'host' }), variant('acme-platform', { NetworkMode: 'host' }, {}, 'acme/agent:1')];
    const own = hostNetwork().evaluate({ ...nodeFacts(containers), platformContainerPattern: '^acme/' });
    expect(own.observations.map((o) => [o.target.name, o.verdict, o.field]).sort()).toEqual([['acme-platform', 'excluded', 'image'], ['ucp-agent', 'fail', 'HostConfig.NetworkMode']]);
    expect(own.observations.find((o) => o.verdict === 'excluded')?.message).toContain("the node's platform container pattern");
    const none = hostNetwork().evaluate({ ...nodeFacts(containers), platformContainerPattern: '' });
    expect(none.observations.map((o) => o.verdict)).toEqual(['fail', 'fail']);
    const invalid = hostNetwork().evaluate({ ...nodeFacts(containers), platformContainerPattern: '(' });
    expect(invalid).toMatchObject({ status: 'error', message: expect.stringContaining('is not a regular expression') });
  });

  it('counts failing containers in the message', () => {
    const facts = nodeFacts([recordedContainer('defaults'), recordedContainer('hardened'), recordedContainer('host-network')]);
    expect(check('DKER-EE-002030').evaluate(facts).message).toBe('1 of 3 containers have a writable root filesystem.');
    expect(check('DKER-EE-002000').evaluate(facts).message).toBe("1 of 3 containers share the host's network namespace.");
    expect(check('DKER-EE-002060').evaluate(facts)).toMatchObject({ status: 'pass', message: "0 of 3 containers share the host's UTS namespace." });
  });
});
