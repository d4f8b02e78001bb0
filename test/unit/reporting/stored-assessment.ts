/**
 * A stored assessment to render reports from, in a real SQLite database with real migrations: two nodes (one
 * with a compliant and a privileged container, one unreachable), the fake library's four rules (a real-style
 * check, a throwing check, a manual rule, an always-passing check), run through the real assessment service.
 * Report tests (OSCAL, bundle, PDF, checklists) share it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DefaultAssessmentService } from '../../../src/assessment/assessment-service.js';
import type { AssessmentWithResults } from '../../../src/domain/assessment.js';
import { AssessmentResultsWriter } from '../../../src/reporting/oscal-ar-writer.js';
import { bundleRenderer } from '../../../src/reporting/bundle-renderer.js';
import { oscalPlanRenderer, oscalResultsRenderer } from '../../../src/reporting/oscal-renderers.js';
import { ReportRendererTable } from '../../../src/reporting/renderer.js';
import { ReportInputLoader } from '../../../src/reporting/report-input-loader.js';
import { DefaultReportService } from '../../../src/reporting/report-service.js';
import type { SigningKey } from '../../../src/reporting/signing/signing-key.js';
import { KyselyAssessmentRepository } from '../../../src/repositories/assessment-repository.js';
import { type Db, openDatabase } from '../../../src/repositories/database/database.js';
import { KyselyTargetResultRepository } from '../../../src/repositories/target-result-repository.js';
import { OSCAL_SCHEMA_112, shared, tempDir } from '../../harness/content.js';
import { ACTOR, benchmark, CHECKS, MemoryCollector, MemoryImports, MemoryLibrary, MemoryNodes, seedDocument } from '../assessment/fakes.js';

export const SCHEMA_PATH = shared(...OSCAL_SCHEMA_112);
export const LOCAL = 'unix:///var/run/docker.sock';
export const REMOTE = 'tcp://10.0.0.5:2376';

export interface StoredAssessmentFixture {
  dir: string;
  db: Db;
  library: MemoryLibrary;
  repo: KyselyAssessmentRepository;
  targets: KyselyTargetResultRepository;
  loader: ReportInputLoader;
  writer: AssessmentResultsWriter;
  /** The completed two-node assessment (node `local` collected, `remote` unreachable). */
  assessment: AssessmentWithResults;
  /** Runs another assessment (same nodes unless given). */
  run(options?: { nodes?: string[]; profileId?: string }): Promise<AssessmentWithResults>;
  close(): Promise<void>;
}

/** Opens a temp database and completes one assessment in it. */
export async function storedAssessment(writer = AssessmentResultsWriter.fromSchema(SCHEMA_PATH)): Promise<StoredAssessmentFixture> {
  const dir = tempDir('plimsoll-reports-');
  const db = await openDatabase(path.join(dir, 'plimsoll.db'));
  const library = new MemoryLibrary();
  const doc = benchmark('doc-r2', '2');
  library.add(doc);
  await seedDocument(db, doc);
  const nodes = new MemoryNodes();
  await nodes.register({ name: 'local', endpoint: LOCAL });
  await nodes.register({ name: 'remote', endpoint: REMOTE });
  const collector = new MemoryCollector();
  collector.containers.set(LOCAL, ['web', 'priv-agent']);
  collector.down.add(REMOTE);
  const repo = new KyselyAssessmentRepository(db);
  const targets = new KyselyTargetResultRepository(db);
  let clock = 0;
  let ids = 0;
  const service = new DefaultAssessmentService(
    { repo, targetResults: targets, library, imports: new MemoryImports(library, new Map()), nodes, collector, checks: CHECKS, writer },
    {
      now: () => new Date(Date.UTC(2024, 6, 24, 12, 0, clock++)),
      newId: () => `a-${String(++ids).padStart(4, '0')}`,
      tool: { name: 'Plimsoll', version: '9.9.9' },
    },
  );
  const run = (options: { nodes?: string[]; profileId?: string } = {}) =>
    service.run({ nodes: options.nodes ?? ['local', 'remote'], benchmark: 'doc-r2', ...(options.profileId !== undefined ? { profileId: options.profileId } : {}) }, ACTOR);
  const assessment = await run();
  const loader = new ReportInputLoader({ assessments: repo, targets, library });
  return {
    dir,
    db,
    library,
    repo,
    targets,
    loader,
    writer,
    assessment,
    run,
    close: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A report service over the fixture with this package's formats only (oscal-ap, oscal-ar, bundle signed by
 * `key`): tests of it hold whatever formats other packages register.
 */
export function ownFormatsService(f: Pick<StoredAssessmentFixture, 'loader' | 'writer'>, key: SigningKey): DefaultReportService {
  const keys = { key: async () => key };
  const renderers = new ReportRendererTable([oscalPlanRenderer(f.writer), oscalResultsRenderer(f.writer), bundleRenderer(keys)]);
  return new DefaultReportService({ loader: f.loader, renderers, signingKeys: keys });
}
