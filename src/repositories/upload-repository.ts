/**
 * Staged uploads in the `upload` table: rows in, domain Uploads out. Bodies are sealed with the secret
 * key when one is configured (an upload may hold a TLS private key until a registration consumes it),
 * otherwise base64 text; both are plain text columns, portable to PostgreSQL.
 */
import type { Selectable } from './database/kysely.js';
import type { Upload } from '../domain/upload.js';
import type { Db } from './database/database.js';
import type { UploadTable } from './database/tables.js';
import type { SecretBox } from './secret-box.js';

export interface UploadRepository {
  insert(upload: Upload, bytes: Buffer): Promise<void>;
  /** The upload and its bytes; undefined when there is no such id. */
  get(id: string): Promise<{ upload: Upload; bytes: Buffer } | undefined>;
  /** Deletes those of the ids that belong to the user `owner`. */
  delete(ids: readonly string[], owner: string): Promise<void>;
  /** Deletes uploads that expired before `now`; returns how many. */
  deleteExpired(now: string): Promise<number>;
}

function toUpload(row: Selectable<UploadTable>): Upload {
  return { id: row.id, name: row.name, size: Number(row.size), sha256: row.sha256, createdBy: row.created_by, createdAt: row.created_at, expiresAt: row.expires_at };
}

export class KyselyUploadRepository implements UploadRepository {
  constructor(
    private readonly db: Db,
    private readonly box?: SecretBox,
  ) {}

  async insert(upload: Upload, bytes: Buffer): Promise<void> {
    await this.db
      .insertInto('upload')
      .values({
        id: upload.id, name: upload.name, size: upload.size, sha256: upload.sha256, created_by: upload.createdBy,
        created_at: upload.createdAt, expires_at: upload.expiresAt,
        sealed: this.box ? 1 : 0, body: this.box ? this.box.seal(bytes, 'upload') : bytes.toString('base64'),
      })
      .execute();
  }

  async get(id: string): Promise<{ upload: Upload; bytes: Buffer } | undefined> {
    const row = await this.db.selectFrom('upload').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    const bytes = Number(row.sealed) === 1 ? this.open(row.body) : Buffer.from(row.body, 'base64');
    return { upload: toUpload(row), bytes };
  }

  async delete(ids: readonly string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('upload').where('id', 'in', [...ids]).where('created_by', '=', owner).execute();
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom('upload').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private open(sealed: string): Buffer {
    if (!this.box) throw new Error('an upload was sealed, but PLIMSOLL_SECRET_KEY is not set');
    return this.box.open(sealed, 'upload');
  }
}
