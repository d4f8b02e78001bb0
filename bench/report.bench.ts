/**
 * Report rendering benchmark: one stored assessment of one node (the real Docker STIG V2R2, CCI list and
 * SP 800-53 rev5 catalog imported into a temp SQLite database; the node's facts built from the recorded fixture
 * containers, 40 of them), then, with the OSCAL schema compiled once:
 *
 *   load     the report-input loader rebuilding the run's input from the database
 *   bundle   loading, rendering and validating the AR and the plan, and signing the in-toto statement (Ed25519)
 *
 *   node dist/bench/report.bench.js
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultAssessmentService } from '../src/assessment/assessment-service.js';
import { automationRecordFor } from '../src/checks/automation.js';
import { checkFor } from '../src/checks/registry.js';
import { remediationFor } from '../src/checks/remediation.js';
import type { ApiObject } from '../src/domain/facts.js';
import type { DockerNode } from '../src/domain/node.js';
import type { NodeService } from '../src/domain/services.js';
import { LibraryImportService } from '../src/library/import-service.js';
import { ContentLibraryService } from '../src/library/library-service.js';
import { AssessmentResultsWriter } from '../src/reporting/oscal-ar-writer.js';
import { reportRendererTable } from '../src/reporting/report-formats.js';
import { ReportInputLoader } from '../src/reporting/report-input-loader.js';
import { DefaultReportService } from '../src/reporting/report-service.js';
import { SigningKey } from '../src/reporting/signing/signing-key.js';
import { KyselyAssessmentRepository } from '../src/repositories/assessment-repository.js';
import { ContentRepository } from '../src/repositories/content-repository.js';
import { openDatabase } from '../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../src/repositories/target-result-repository.js';
import { containerFactsFromInspect } from '../test/fixtures/fixture-containers.js';
import { DOCKER_STIG, OSCAL_SCHEMA_112, sharedData } from './content.bench.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'docker', 'containers');
const ACTOR = { userId: 'u-bench', name: 'bench', role: 'admin', kind: 'person', via: 'cli' } as const;

export interface ReportMeasure {
  containers: number;
  loadMs: number;
  bundleMs: number;
  bundleBytes: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]!);
}

/** Measures loading and bundling one stored one-node assessment (median of `runs`). */
export async function benchReports(runs = 5): Promise<ReportMeasure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plimsoll-bench-reports-'));
  const db = await openDatabase(path.join(dir, 'p.db'));
  try {
    const content = new ContentRepository(db);
    const imports = new LibraryImportService(content, db, { oscalSchemaPath: OSCAL_SCHEMA_112 });
    const files = [sharedData('stig', 'U_CCI_List.xml'), sharedData('oscal', 'nist-800-53-rev5-5.0.1', 'NIST_SP-800-53_rev5_catalog.json'), DOCKER_STIG];
    await imports.importDocuments(files.map((file) => ({ name: path.basename(file), bytes: fs.readFileSync(file) })), ACTOR);
    const recorded = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    const containers = Array.from({ length: 40 }, (_, i) => {
      const inspect = JSON.parse(fs.readFileSync(path.join(FIXTURES, recorded[i % recorded.length]!), 'utf8')) as ApiObject;
      return containerFactsFromInspect({ ...inspect, Id: `${i}`.padStart(64, '0'), Name: `/c-${i}` });
    });
    const node: DockerNode = { id: 'node-bench', name: 'bench-node', endpoint: 'unix:///var/run/docker.sock', labels: {}, createdAt: '2024-07-01T00:00:00.000Z' };
    const nodes = { find: async (ref: string) => (ref === node.name ? node : undefined) } as unknown as NodeService;
    const writer = AssessmentResultsWriter.fromSchema(OSCAL_SCHEMA_112);
    const repo = new KyselyAssessmentRepository(db);
    const targets = new KyselyTargetResultRepository(db);
    const library = new ContentLibraryService(content);
    const service = new DefaultAssessmentService({
      repo, targetResults: targets, library, imports, nodes, writer,
      collector: { collect: async () => ({ nodeId: node.id, nodeName: node.name, endpoint: node.endpoint, collectedAt: '2024-07-24T12:00:00.000Z', version: { Version: '26.1.5' }, info: { OSType: 'linux' }, containers }) },
      checks: { checkFor, automationFor: automationRecordFor, remediationFor },
    });
    const assessment = await service.run({ nodes: [node.name], benchmark: 'Docker_Enterprise_2-x_Linux-UNIX_STIG' }, ACTOR);
    const key = await SigningKey.generate();
    const keys = { key: async () => key };
    const loader = new ReportInputLoader({ assessments: repo, targets, library });
    const reports = new DefaultReportService({ loader, renderers: reportRendererTable({ writer, signingKeys: keys }), signingKeys: keys });
    const load: number[] = [];
    const bundle: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await loader.load(assessment.id);
      load.push(performance.now() - t);
      t = performance.now();
      bytes = (await reports.render(assessment.id, 'bundle')).bytes.length;
      bundle.push(performance.now() - t);
    }
    return { containers: containers.length, loadMs: median(load), bundleMs: median(bundle), bundleBytes: bytes };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  benchReports().then((m) => console.log(JSON.stringify(m)), (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
