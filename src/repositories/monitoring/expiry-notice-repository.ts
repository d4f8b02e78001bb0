/** Which expiry events were published (so a restarted server does not announce an expiry twice). */
import type { Db } from '../database/database.js';

export interface ExpiryNotice {
  subject: 'review' | 'exemption';
  subjectId: string;
  /** `soon`: within the warning period; `expired`: past its expiry. */
  kind: 'soon' | 'expired';
  /** The expiry announced: a changed expiry is announced again. */
  expiresAt: string;
}

export interface ExpiryNoticeRepository {
  /** Records the notice; false when it was already recorded. */
  record(notice: ExpiryNotice, at: string): Promise<boolean>;
}

export class KyselyExpiryNoticeRepository implements ExpiryNoticeRepository {
  constructor(private readonly db: Db) {}

  async record(n: ExpiryNotice, at: string): Promise<boolean> {
    const r = await this.db
      .insertInto('expiry_notice')
      .values({ subject: n.subject, subject_id: n.subjectId, kind: n.kind, expires_at: n.expiresAt, noticed_at: at })
      .onConflict((oc) => oc.columns(['subject', 'subject_id', 'kind', 'expires_at']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
}
