/**
 * Reports over HTTP: `GET /downloads/assessments/ID/reports/FORMAT` (and `…/nodes/NODE/reports/FORMAT` for one
 * node), rendered on demand through the gateway (authenticated, authorised and audited as `renderReport`), served
 * as an attachment with its sha256 as ETag; and `GET /.well-known/plimsoll-signing-key`, the public key bundles
 * are verified with (authenticated like every other route).
 */
import type http from 'node:http';
import type { ServiceGateway } from '../auth/service-gateway.js';
import type { parseReportDownloadPath } from '../domain/report.js';
import { bearerOf, HttpError, sendDownload, sendJson } from './upload-routes.js';

export const SIGNING_KEY_PATH = '/.well-known/plimsoll-signing-key';

function requireGet(req: http.IncomingMessage, what: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'BAD_INPUT', `${what} are read with GET`);
}

/** A report download: one service call as the caller. */
export async function handleReportDownload(gateway: ServiceGateway, req: http.IncomingMessage, res: http.ServerResponse, target: NonNullable<ReturnType<typeof parseReportDownloadPath>>): Promise<void> {
  requireGet(req, 'downloads');
  const caller = await gateway.authenticate(bearerOf(req));
  const report = await gateway.servicesFor(caller).reports.render(target.assessmentId, target.format, target.nodeId !== undefined ? { node: target.nodeId } : {});
  sendDownload(req, res, { fileName: report.fileName, contentType: report.contentType, body: Buffer.from(report.bytes) }, { etag: `"sha256:${report.sha256}"` });
}

/** The published signing key (404 when this server signs nothing). */
export async function handleSigningKey(gateway: ServiceGateway, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  requireGet(req, 'keys');
  const caller = await gateway.authenticate(bearerOf(req));
  const key = await gateway.servicesFor(caller).reports.signingKey();
  if (key === undefined) throw new HttpError(404, 'NOT_FOUND', 'this server signs no reports (no PLIMSOLL_SIGNING_KEY or PLIMSOLL_SECRET_KEY)');
  sendJson(res, 200, { keyId: key.keyId, algorithm: key.algorithm, origin: key.origin, publicKeyPem: key.publicKeyPem, jwk: { ...key.jwk, kid: key.keyId, alg: 'EdDSA', use: 'sig' } });
}
