/**
 * An assessment over the real content library (the DISA Docker STIG V2R2, the CCI list and the SP
 * 800-53 rev5 catalog imported through the real import service) and the real checks, with facts
 * recorded from fixture containers instead of a live daemon. The document must validate against the
 * official schema with real rule texts, real CCI mappings and real evidence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultAssessmentService } from '../../../src/assessment/assessment-service.js';
import { checkFor } from '../../../src/checks/registry.js';
import type { NodeFacts } from '../../../src/domain/facts.js';
import type { DockerNode } from '../../../src/domain/node.js';
import type { FactsCollector } from '../../../src/domain/services.js';
import { LibraryImportService } from '../../../src/library/import-service.js';
import { ContentLibraryService } from '../../../src/library/library-service.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import type { AssessmentResultsDocument } from '../../../src/reporting/oscal-values.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { ContentRepository } from '../../../src/repositories/content-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { CCI_LIST, DOCKER_STIG_V2R2, OSCAL_SCHEMA_112, REV5_CATALOG_JSON, shared, tempDir, localContents } from '../../harness/content.js';
import { recordedContainer } from '../checks/facts-helpers.js';
import { ACTOR, MemoryNodes } from './fakes.js';

const schemaPath = shared(...OSCAL_SCHEMA_112);
let dir: string;
let db: Db;
let service: DefaultAssessmentService;

const recorded: FactsCollector = {
  async collect(node: DockerNode): Promise<NodeFacts> {
    const names = node.name === 'hardened-node' ? ['hardened'] : ['defaults', 'host-pid', 'docker-socket', 'cap-add'];
    return { nodeId: node.id, nodeName: node.name, endpoint: node.endpoint, collectedAt: '2024-07-24T12:00:00.000Z', version: { Version: '26.1.5' }, info: {}, containers: names.map(recordedContainer) };
  },
};

beforeAll(async () => {
  dir = tempDir();
  db = await openDatabase(path.join(dir, 'p.db'));
  const content = new ContentRepository(db);
  const imports = new LibraryImportService(content, db, { oscalSchemaPath: schemaPath });
  await imports.importDocuments(localContents([shared(...CCI_LIST), shared(...REV5_CATALOG_JSON), shared(...DOCKER_STIG_V2R2)]), ACTOR);
  const nodes = new MemoryNodes();
  await nodes.register({ name: 'hardened-node', endpoint: 'tcp://10.0.0.1:2376' });
  await nodes.register({ name: 'lax-node', endpoint: 'tcp://10.0.0.2:2376' });
  service = new DefaultAssessmentService({
    repo: new KyselyAssessmentRepository(db),
    targetResults: new KyselyTargetResultRepository(db),
    library: new ContentLibraryService(content),
    imports,
    nodes,
    collector: recorded,
    checks: { checkFor },
    writer: AssessmentResultsWriter.fromSchema(schemaPath),
  });
}, 120_000);

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('assessment over the real Docker STIG', () => {
  it('writes a valid document with a finding per rule per node and real control ids', async () => {
    const a = await service.run({ nodes: ['hardened-node', 'lax-node'], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' }, ACTOR);
    expect(a.status).toBe('completed');
    expect(a.results).toHaveLength(2 * 101);
    const counts = a.summary!.counts;
    expect(counts.fail).toBeGreaterThan(0);
    expect(counts['not-checked']).toBeGreaterThan(0);
    expect(a.results.filter((r) => checkFor(r.stigId) === undefined).every((r) => r.status === 'not-checked')).toBe(true);
    const privileged = a.results.filter((r) => r.stigId === 'DKER-EE-001960');
    expect(privileged.map((r) => r.controlIds.length > 0)).toEqual([true, true]);

    const doc = (await service.resultsDocument(a.id)) as AssessmentResultsDocument;
    const r = doc['assessment-results'].results[0]!;
    expect(r.findings).toHaveLength(202);
    expect(r.risks).toHaveLength(counts.fail);
    for (const f of r.findings!) {
      if (f.target.type === 'statement-id') expect(f.target['target-id']).toMatch(/^[a-z]{2}-\d+(\.\d+)?(_smt(\.[a-z0-9]+)*)?$/);
    }
    const selections = r['reviewed-controls']['control-selections'][0]!['include-controls'] as { 'control-id': string }[];
    expect(selections.length).toBeGreaterThan(5);
    for (const s of selections) expect(s['control-id']).toMatch(/^[a-z]{2}-\d+(\.\d+)?$/);
  });
});
