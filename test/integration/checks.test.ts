/**
 * The container checks against real containers: a private daemon runs the fixture containers, the
 * facts are built from `docker inspect` (not the engine collector, to test the checks alone), and every
 * check must give each fixture the verdict the fixture spec expects.
 *
 * PLIMSOLL_RECORD_FIXTURES=1 also writes each fixture's inspection to test/fixtures/docker/containers/,
 * which the unit tests read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import type { ApiObject, NodeFacts } from '../../src/domain/facts.js';
import {
  CONTAINER_STIG_IDS,
  FIXTURE_CONTAINERS,
  containerFactsFromInspect,
  createFixtureContainers,
  verdictFor,
  type CreatedFixture,
} from '../fixtures/fixture-containers.js';
import { importBusyboxImage, startDockerDaemon, type PrivateDaemon } from '../harness/docker-daemon.js';

const RECORD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/docker/containers');

/** One inventory of the daemon through the docker CLI: every container, stopped ones too. */
async function factsOf(daemon: PrivateDaemon): Promise<NodeFacts> {
  const collectedAt = new Date().toISOString();
  const ids = (await daemon.docker(['ps', '--all', '--quiet', '--no-trunc'])).split('\n').filter(Boolean);
  const inspected = JSON.parse(await daemon.docker(['inspect', ...ids])) as ApiObject[];
  return {
    nodeId: 'private-daemon',
    nodeName: 'private daemon',
    endpoint: daemon.endpoint,
    collectedAt,
    version: JSON.parse(await daemon.docker(['version', '--format', '{{json .Server}}'])) as ApiObject,
    info: JSON.parse(await daemon.docker(['info', '--format', '{{json .}}'])) as ApiObject,
    containers: inspected.map(containerFactsFromInspect),
  };
}

describe('container checks on a private daemon', () => {
  let daemon: PrivateDaemon;
  let created: CreatedFixture[];
  let facts: NodeFacts;

  beforeAll(async () => {
    daemon = await startDockerDaemon();
    await importBusyboxImage(daemon);
    created = await createFixtureContainers(daemon);
    facts = await factsOf(daemon);
    if (process.env.PLIMSOLL_RECORD_FIXTURES === '1') {
      fs.mkdirSync(RECORD_DIR, { recursive: true });
      for (const c of facts.containers) fs.writeFileSync(path.join(RECORD_DIR, `${c.name}.json`), `${JSON.stringify(c.inspect, null, 2)}\n`);
    }
  });
  afterAll(async () => daemon?.stop());

  it('created, and started where asked, every fixture container', () => {
    expect(facts.containers.map((c) => c.name).sort()).toEqual(FIXTURE_CONTAINERS.map((f) => f.name).sort());
    for (const { fixture, id } of created) {
      const c = facts.containers.find((x) => x.id === id);
      expect((c?.inspect.State as ApiObject | undefined)?.Running, fixture.name).toBe(fixture.start);
    }
  });

  it('has a check for every rule the fixtures cover', () => {
    expect(CHECKS.map((c) => c.stigId)).toEqual(expect.arrayContaining([...CONTAINER_STIG_IDS]));
  });

  for (const stigId of CONTAINER_STIG_IDS) {
    it(`${stigId}: every fixture container gets its expected verdict`, () => {
      const check = CHECKS.find((c) => c.stigId === stigId);
      expect(check).toBeDefined();
      const outcome = check!.evaluate(facts);
      const actual = Object.fromEntries(created.map(({ fixture, id }) => [fixture.name, verdictFor(outcome, id)]));
      const expected = Object.fromEntries(created.map(({ fixture }) => [fixture.name, fixture.expected[stigId]]));
      expect(actual).toEqual(expected);
      // Some fixture fails every rule, so the node fails; the summary counts the failing containers.
      const failing = Object.values(expected).filter((v) => v === 'fail').length;
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatch(new RegExp(`^${failing} of \\d+ containers `));
      const excluded = created.filter(({ fixture }) => fixture.expected[stigId] === 'excluded');
      for (const { fixture } of excluded) expect(outcome.message).toContain(fixture.name);
      for (const o of outcome.observations) expect(o.collectedAt).toBe(facts.collectedAt);
    });
  }
});
