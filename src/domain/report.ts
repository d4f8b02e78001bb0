/**
 * Reports of a stored assessment: the formats Plimsoll knows, a rendered report, the listing GraphQL shows and
 * the published signing key. Renderers themselves are in src/reporting (renderer.ts).
 */

/** Every format id Plimsoll knows of; a server offers the registered subset. */
export const REPORT_FORMATS = ['oscal-ap', 'oscal-ar', 'poam', 'pdf', 'remediation-pdf', 'ckl', 'cklb', 'bundle'] as const;

/** A report format id, as the CLI's --format and GraphQL's ReportFormat name it. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** True for a known format id (registered or not). */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** A rendered report: the bytes and what to call them. */
export interface RenderedReport {
  format: ReportFormat;
  /** A plain file name (no directory), e.g. `assessment-results.json`. */
  fileName: string;
  /** e.g. `application/json; charset=utf-8`, `application/pdf`. */
  contentType: string;
  bytes: Uint8Array;
  /** sha256 of `bytes`, lower-case hex. */
  sha256: string;
}

/** A format this server offers. */
export interface ReportFormatInfo {
  format: ReportFormat;
  description: string;
  contentType: string;
  /** `node`: one document per node (a checklist); `assessment`: one for the whole assessment. */
  scope: 'assessment' | 'node';
}

/** A report of one assessment (and node, for per-node formats), as listed for download. */
export interface ReportListing extends ReportFormatInfo {
  fileName: string;
  /** The node of a per-node report. */
  node?: { id: string; name: string };
  /** Path of `GET /downloads/...` (clients prefix their server's origin). */
  downloadPath: string;
  /** Of the last rendering by this server process; absent before the first. */
  lastRendered?: { size: number; sha256: string };
}

/** The published report signing key. */
export interface PublicSigningKey {
  /** RFC 7638 JWK thumbprint (SHA-256, base64url). */
  keyId: string;
  algorithm: 'Ed25519';
  /** SubjectPublicKeyInfo, PEM. */
  publicKeyPem: string;
  /** The public key as a JWK (kty OKP, crv Ed25519). */
  jwk: Record<string, string>;
  origin: 'configured' | 'generated';
}

/** Where a report of an assessment is downloaded (`GET`); a per-node report names the node's id in the path. */
export function reportDownloadPath(assessmentId: string, format: ReportFormat, nodeId?: string): string {
  const node = nodeId !== undefined ? `nodes/${encodeURIComponent(nodeId)}/` : '';
  return `/downloads/assessments/${encodeURIComponent(assessmentId)}/${node}reports/${format}`;
}

/** A report download path taken apart; undefined when it is not one (an unknown format is kept: the service names the offered ones). */
export function parseReportDownloadPath(pathname: string): { assessmentId: string; format: string; nodeId?: string } | undefined {
  const m = /^\/downloads\/assessments\/([^/]+)\/(?:nodes\/([^/]+)\/)?reports\/([^/]+)$/.exec(pathname);
  if (m === null) return undefined;
  try {
    const assessmentId = decodeURIComponent(m[1]!);
    const format = decodeURIComponent(m[3]!);
    return m[2] !== undefined ? { assessmentId, format, nodeId: decodeURIComponent(m[2]) } : { assessmentId, format };
  } catch {
    return undefined;
  }
}
