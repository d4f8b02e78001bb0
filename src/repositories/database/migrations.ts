import { type Kysely, type Migration, type MigrationProvider, sql } from './kysely.js';
import { canonicalJson, canonicalSha256 } from '../../domain/canonical-json.js';
import { EnvRedactor } from '../../domain/env-redaction.js';
import { ENV_HASH_SALT, newSecret } from '../installation-secret-repository.js';
import { usersMigration } from './migration-0006-users.js';
import { uploadsMigration } from './migration-0007-uploads.js';
import { targetsMigration } from './migration-0009-targets.js';
import { driftMigration } from './migration-0014-drift.js';
import { monitoringMigration } from './migration-0013-monitoring.js';
import { remediationMigration } from './migration-0015-remediation.js';
import { reviewsMigration } from './migration-0012-reviews.js';
import { reportsMigration } from './migration-0017-reports.js';
import { environmentScopesMigration } from './migration-0018-environment-scopes.js';
import { ruleGroupTitleMigration } from './migration-0019-rule-group-title.js';
import { remediationDueMigration } from './migration-0023-remediation-due.js';
import { registriesMigration } from './migration-0016-registries.js';
import { benchmarksMigration } from './migration-0020-benchmarks.js';
import { documentPartsMigration } from './migration-0024-document-parts.js';

/**
 * Schema migrations, in code so that `npm ci` ships them with the build. Written with Kysely's
 * schema builder so that the same migrations serve SQLite now and PostgreSQL later.
 */
const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('document')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('doc_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('release', 'text')
      .addColumn('release_date', 'text')
      .addColumn('oscal_version', 'text')
      .addColumn('source_file', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull().unique())
      .addColumn('counts_json', 'text', (c) => c.notNull())
      .addColumn('meta_json', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addColumn('imported_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('document_kind_doc_id').on('document').columns(['kind', 'doc_id']).execute();

    await db.schema
      .createTable('catalog_group')
      .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('parent_group_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('class', 'text')
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('body_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_group_pk', ['document_id', 'group_id'])
      .execute();

    await db.schema
      .createTable('catalog_control')
      .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
      .addColumn('control_id', 'text', (c) => c.notNull())
      .addColumn('parent_control_id', 'text')
      .addColumn('group_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('class', 'text')
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addColumn('body_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_control_pk', ['document_id', 'control_id'])
      .execute();
    await db.schema.createIndex('catalog_control_group').on('catalog_control').columns(['document_id', 'group_id']).execute();
    await db.schema.createIndex('catalog_control_parent').on('catalog_control').columns(['document_id', 'parent_control_id']).execute();

    await db.schema
      .createTable('benchmark_rule')
      .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('weight', 'real')
      .addColumn('discussion', 'text', (c) => c.notNull())
      .addColumn('check_content', 'text', (c) => c.notNull())
      .addColumn('check_content_hash', 'text', (c) => c.notNull())
      .addColumn('fix_text', 'text', (c) => c.notNull())
      .addColumn('ccis_json', 'text', (c) => c.notNull())
      .addColumn('legacy_ids_json', 'text', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('benchmark_rule_pk', ['document_id', 'rule_id'])
      .execute();
    await db.schema.createIndex('benchmark_rule_stig').on('benchmark_rule').columns(['stig_id', 'check_content_hash']).execute();

    await db.schema
      .createTable('cci_item')
      .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
      .addColumn('cci_id', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('type', 'text')
      .addColumn('status', 'text')
      .addColumn('references_json', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cci_item_pk', ['document_id', 'cci_id'])
      .execute();

    await db.schema
      .createTable('node')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('tls_ca_path', 'text')
      .addColumn('tls_cert_path', 'text')
      .addColumn('tls_key_path', 'text')
      .addColumn('labels_json', 'text', (c) => c.notNull())
      .addColumn('environment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('assessment')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('benchmark_document_id', 'text', (c) => c.notNull().references('document.id'))
      .addColumn('profile_id', 'text')
      .addColumn('node_ids_json', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('started_by', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('summary_json', 'text')
      .addColumn('results_document_json', 'text')
      .addColumn('runner', 'text')
      .execute();
    await db.schema.createIndex('assessment_started').on('assessment').columns(['started_at']).execute();

    await db.schema
      .createTable('facts_snapshot')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('collected_at', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('facts_json', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('rule_result')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('assessment_id', 'text', (c) => c.notNull().references('assessment.id').onDelete('cascade'))
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('stig_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('check_content_hash', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('observations_json', 'text', (c) => c.notNull())
      .addColumn('control_ids_json', 'text', (c) => c.notNull())
      .addColumn('ccis_json', 'text', (c) => c.notNull())
      .addColumn('fix_text', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rule_result_assessment').on('rule_result').columns(['assessment_id', 'node_id']).execute();
    await db.schema.createIndex('rule_result_stig').on('rule_result').columns(['stig_id', 'check_content_hash']).execute();

    await db.schema
      .createTable('api_token')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await sql`select 1`.execute(db);
  },
};

/**
 * Exemptions with their lifecycle columns, and the exemption a rule result was recorded under (and the
 * expired ones that matched it) as JSON on the result.
 */
const exemptions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('exemption')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('container_pattern', 'text')
      .addColumn('labels_json', 'text', (c) => c.notNull())
      .addColumn('node_ref', 'text')
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_by_token', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('rejected_by', 'text')
      .addColumn('rejected_at', 'text')
      .addColumn('revoked_by', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('reason', 'text')
      .execute();
    await db.schema.createIndex('exemption_status').on('exemption').columns(['status', 'rule']).execute();
    await db.schema.alterTable('rule_result').addColumn('exemption_json', 'text').execute();
  },
};

/**
 * The library's derived views: resolved baselines (a stored profile's resolution, its controls stored as
 * catalog rows under the profile's document), a control-id index for "which baselines select a control",
 * and SQLite FTS5 indexes over controls and rules kept in step by triggers (PostgreSQL will need its own
 * full-text migration).
 */
const library: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('baseline')
      .addColumn('document_id', 'text', (c) => c.primaryKey().references('document.id').onDelete('cascade'))
      .addColumn('profile_uuid', 'text', (c) => c.notNull())
      .addColumn('catalog_uuid', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text', (c) => c.notNull())
      .addColumn('control_count', 'integer', (c) => c.notNull())
      .addColumn('sources_json', 'text', (c) => c.notNull())
      .addColumn('warnings_json', 'text', (c) => c.notNull())
      .addColumn('catalog_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('baseline_profile').on('baseline').columns(['profile_uuid']).execute();
    await db.schema.createIndex('catalog_control_id').on('catalog_control').columns(['control_id']).execute();

    await sql`CREATE VIRTUAL TABLE control_fts USING fts5(document_id UNINDEXED, control_id, title, body)`.execute(db);
    const controlBody = sql.raw(`(SELECT group_concat(value, ' ') FROM json_tree(new.body_json) WHERE key IN ('prose', 'label', 'title') AND type = 'text')`);
    await sql`CREATE TRIGGER catalog_control_fts_insert AFTER INSERT ON catalog_control BEGIN
      INSERT INTO control_fts(rowid, document_id, control_id, title, body) VALUES (new.rowid, new.document_id, new.control_id, new.title, ${controlBody});
    END`.execute(db);
    await sql`CREATE TRIGGER catalog_control_fts_delete AFTER DELETE ON catalog_control BEGIN
      DELETE FROM control_fts WHERE rowid = old.rowid;
    END`.execute(db);
    await sql`INSERT INTO control_fts(rowid, document_id, control_id, title, body)
      SELECT c.rowid, c.document_id, c.control_id, c.title,
        (SELECT group_concat(value, ' ') FROM json_tree(c.body_json) WHERE key IN ('prose', 'label', 'title') AND type = 'text')
      FROM catalog_control c`.execute(db);

    await sql`CREATE VIRTUAL TABLE rule_fts USING fts5(document_id UNINDEXED, stig_id, rule_id, title, body)`.execute(db);
    await sql`CREATE TRIGGER benchmark_rule_fts_insert AFTER INSERT ON benchmark_rule BEGIN
      INSERT INTO rule_fts(rowid, document_id, stig_id, rule_id, title, body)
      VALUES (new.rowid, new.document_id, new.stig_id, new.rule_id || ' ' || new.group_id, new.title,
        new.discussion || ' ' || new.check_content || ' ' || new.fix_text || ' ' || new.ccis_json);
    END`.execute(db);
    await sql`CREATE TRIGGER benchmark_rule_fts_delete AFTER DELETE ON benchmark_rule BEGIN
      DELETE FROM rule_fts WHERE rowid = old.rowid;
    END`.execute(db);
    await sql`INSERT INTO rule_fts(rowid, document_id, stig_id, rule_id, title, body)
      SELECT rowid, document_id, stig_id, rule_id || ' ' || group_id, title, discussion || ' ' || check_content || ' ' || fix_text || ' ' || ccis_json
      FROM benchmark_rule`.execute(db);
  },
};

/** A rule result's concrete remediation and the state of its automation (stale when the check text changed). */
const remediation: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('rule_result').addColumn('remediation', 'text').execute();
    await db.schema.alterTable('rule_result').addColumn('automation_json', 'text').execute();
  },
};

/**
 * No verdict without evidence, no secret in stored facts (issue #8): a node's own platform container pattern;
 * the installation's secrets (the generated salt environment values are hashed with); and every environment
 * value already stored in a facts snapshot replaced by its salted hash, the snapshot's sha256 recomputed over
 * the redacted facts (so it is the hash of what is stored, no longer of what was first collected).
 */
const evidence: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('node').addColumn('platform_container_pattern', 'text').execute();
    await db.schema
      .createTable('installation_secret')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    const snapshots = await db.selectFrom('facts_snapshot').select(['id', 'facts_json']).execute();
    if (snapshots.length === 0) return;
    // The salt is created here when stored facts need it; a salt configured later (PLIMSOLL_ENV_HASH_SALT) hashes later runs.
    await db.insertInto('installation_secret').values({ name: ENV_HASH_SALT, value: newSecret(), created_at: new Date().toISOString() }).execute();
    const salt = (await db.selectFrom('installation_secret').select('value').where('name', '=', ENV_HASH_SALT).executeTakeFirstOrThrow()).value as string;
    const redactor = new EnvRedactor(salt);
    for (const row of snapshots) {
      const facts = JSON.parse(row.facts_json as string) as Record<string, unknown>;
      const containers = Array.isArray(facts.containers) ? (facts.containers as Record<string, unknown>[]) : [];
      for (const c of containers) redactor.redact(c.inspect, `containers/${String(c.id)}/inspect`);
      for (const part of ['engine', 'swarm'] as const) {
        const p = facts[part] as { status?: unknown; data?: unknown } | undefined;
        if (p?.status === 'collected') redactor.redact(p.data, part);
      }
      const json = canonicalJson(facts);
      if (json === row.facts_json) continue;
      await db.updateTable('facts_snapshot').set({ facts_json: json, sha256: canonicalSha256(facts) }).where('id', '=', row.id).execute();
    }
  },
};

/**
 * Whole OSCAL documents: each catalog and profile keeps its complete OSCAL JSON model (metadata, catalog-level
 * params, back matter, every prop and link), so the library can give back the document it was given and a
 * profile resolves against a stored catalog as against the file. Rows imported before this migration cannot
 * be completed from what was stored (back matter and catalog-level params were never kept), so their
 * `oscal_json` stays NULL: the library rebuilds them from their rows as before and names them for re-import.
 */
const wholeDocuments: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('document').addColumn('oscal_json', 'text').execute();
  },
};

/** All migrations in order; never edit a released one, add a new one. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return {
      '0001_initial': initial,
      '0002_exemptions': exemptions,
      '0003_library': library,
      '0004_rule_remediation': remediation,
      '0005_evidence': evidence,
      '0006_users': usersMigration,
      '0007_uploads_node_tls': uploadsMigration,
      '0008_whole_documents': wholeDocuments,
      '0009_targets': targetsMigration,
      '0014_drift': driftMigration,
      '0013_monitoring': monitoringMigration,
      '0015_remediation': remediationMigration,
      '0012_reviews': reviewsMigration,
      '0017_reports': reportsMigration,
      '0019_rule_group_title': ruleGroupTitleMigration,
      '0023_remediation_due': remediationDueMigration,
      '0016_registries': registriesMigration,
      '0018_environment_scopes': environmentScopesMigration,
      '0020_benchmarks': benchmarksMigration,
      '0024_document_parts': documentPartsMigration,
    };
  },
};
