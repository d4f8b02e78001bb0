/**
 * Reads the report layouts (reports/branding.json, reports/attestation.json, reports/remediation-plan.json)
 * from the project's `reports/` folder. The files are read once and kept: layouts change with a release, not
 * while the server runs. Parsing and validation are the reporting module's (report-layout.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import { parseLayout, type ReportLayouts } from '../reporting/report-layout.js';

const FILES: Record<keyof ReportLayouts, string> = {
  branding: 'branding.json',
  attestation: 'attestation.json',
  remediation: 'remediation-plan.json',
};

export class ReportLayoutRepository {
  private cached?: Promise<ReportLayouts>;

  /** `dir`: the `reports/` folder (config.projectRoot + `reports`). */
  constructor(private readonly dir: string) {}

  /** The three layouts, validated; CONTENT_MISSING or CONTENT_INVALID naming the file otherwise. */
  load(): Promise<ReportLayouts> {
    this.cached ??= this.read().catch((e: unknown) => {
      this.cached = undefined;
      throw e;
    });
    return this.cached;
  }

  private async read(): Promise<ReportLayouts> {
    const [branding, attestation, remediation] = await Promise.all([this.file('branding'), this.file('attestation'), this.file('remediation')]);
    return { branding, attestation, remediation };
  }

  private async file<K extends keyof ReportLayouts>(kind: K): Promise<ReportLayouts[K]> {
    const full = path.join(this.dir, FILES[kind]);
    const shown = `reports/${FILES[kind]}`;
    let text: string;
    try {
      text = await fs.readFile(full, 'utf8');
    } catch (e) {
      throw new PlimsollError(ErrorCode.CONTENT_MISSING, `report layout ${shown} can't be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, [{ file: shown, message: 'missing or unreadable' }], { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new PlimsollError(ErrorCode.CONTENT_INVALID, `report layout ${shown} is not valid JSON`, [{ file: shown, message: 'not valid JSON' }], { cause: e });
    }
    return parseLayout(kind, shown, json);
  }
}
