/**
 * Collection skips the parts no selected rule reads, on a real private daemon: the engine is asked nothing for a
 * part left out (no swarm call, no helper container), the facts don't hold it, and a rule that reads it is `error`
 * or decided on the core inventory as it would be on all facts; with every part asked for, they are all fetched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/assessment/evaluate.js';
import { partsReadBy, partsToCollect } from '../../src/checks/parts-read.js';
import { CHECKS, checkFor } from '../../src/checks/registry.js';
import { EngineCollector } from '../../src/collectors/engine-collector.js';
import { loadConfig } from '../../src/config/config.js';
import type { DockerNode } from '../../src/domain/node.js';
import { collectorParts } from '../../src/wiring/collector-parts.js';
import { createDockerClient, type DockerClient } from '../../src/repositories/docker-client.js';
import { BUSYBOX_IMAGE, importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

/** A client recording every call as `METHOD path` (the core inventory's calls by name). */
function recording(inner: DockerClient): { client: DockerClient; calls: string[] } {
  const calls: string[] = [];
  const client: DockerClient = {
    endpoint: inner.endpoint,
    ping: () => inner.ping(),
    request: (method, path, options) => {
      calls.push(`${method} ${path}`);
      return inner.request(method, path, options);
    },
    version: () => inner.version(),
    info: () => inner.info(),
    listContainers: (o) => inner.listContainers(o),
    inspectContainer: (id) => inner.inspectContainer(id),
  };
  return { client, calls };
}

describe('collection of the parts the selected rules read, on a private daemon', () => {
  let daemon: PrivateDaemon;
  let node: DockerNode;

  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    await daemon.docker(['run', '-d', '--network', 'none', '--name', 'running', BUSYBOX_IMAGE]);
    await daemon.docker(['create', '--network', 'none', '--privileged', '--name', 'privileged', BUSYBOX_IMAGE]);
    node = { id: 'node-parts', name: 'parts', endpoint: daemon.endpoint, labels: {}, createdAt: '2024-01-01T00:00:00.000Z' };
  });
  afterAll(async () => daemon?.stop());

  it('fetches nothing of a part left out, and a rule reading it is error', async () => {
    const spy = recording(createDockerClient(node));
    const collector = new EngineCollector(() => spy.client, { parts: collectorParts(loadConfig()) });
    // Rules reading only containers and the engine inventory (the privileged-container rule among them).
    const containerRules = CHECKS.filter((c) => c.targetKinds.every((k) => k === 'container') && c.facts === undefined).map((c) => c.stigId);
    const parts = partsToCollect(containerRules, checkFor);
    expect([...parts].sort()).toEqual(['asset', 'engine']);
    const withoutAsset = new Set([...parts].filter((p) => p !== 'asset'));
    const facts = await collector.collect(node, { parts: withoutAsset });

    expect(facts.containers.map((c) => c.name)).toEqual(['privileged', 'running']);
    expect(facts.engine?.status).toBe('collected');
    for (const p of ['daemon', 'swarm', 'host', 'registries', 'trust', 'asset'] as const) expect(facts[p], p).toBeUndefined();
    expect(spy.calls).toContain('GET /images/json');
    // No swarm call, no helper container for host files or the daemon configuration.
    expect(spy.calls.filter((c) => c.includes('/swarm') || c.startsWith('POST /containers/create'))).toEqual([]);

    // The privileged-container rule decides on what was collected; a rule reading the daemon part is error.
    const rule = (stigId: string) => ({ stigId, ruleId: `SV-${stigId}`, groupId: 'V-1', checkContentHash: 'h', title: stigId, severity: 'medium' as const, ccis: [], fixText: '', checkContent: '', discussion: '', legacyIds: [] });
    const catalog = { checkFor };
    const none = () => [];
    expect(evaluateRule(rule('DKER-EE-001960'), facts, catalog, none).status).toBe('fail');
    const daemonRules = CHECKS.filter((c) => partsReadBy(c)?.has('daemon') === true);
    expect(daemonRules.length).toBeGreaterThan(0);
    // Some decide from the core inventory (/info) alone: then as on the whole facts; the others are error.
    const whole = await new EngineCollector(() => createDockerClient(node), { parts: collectorParts(loadConfig()) }).collect(node);
    const statuses = daemonRules.map((c) => {
      const skipped = evaluateRule(rule(c.stigId), facts, catalog, none);
      return skipped.status === 'error' ? 'error' : skipped.status === evaluateRule(rule(c.stigId), whole, catalog, none).status ? 'same' : `${c.stigId} ${skipped.status}`;
    });
    expect(statuses.filter((s) => s !== 'error' && s !== 'same')).toEqual([]);
    expect(statuses).toContain('error');
  });

  it('fetches only the core inventory when no part is asked for, and every part when none is named', async () => {
    const core = recording(createDockerClient(node));
    const facts = await new EngineCollector(() => core.client, { parts: collectorParts(loadConfig()) }).collect(node, { parts: new Set() });
    expect(core.calls).toEqual([]);
    expect(facts.engine).toBeUndefined();
    const all = recording(createDockerClient(node));
    const full = await new EngineCollector(() => all.client, { parts: collectorParts(loadConfig()) }).collect(node);
    expect(all.calls).toContain('GET /images/json');
    expect(full.engine?.status).toBe('collected');
    expect(full.swarm).toBeDefined();
    expect(full.daemon).toBeDefined();
  });
});
