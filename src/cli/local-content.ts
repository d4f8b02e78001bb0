/**
 * The CLI's side of "content, not paths": the files a user names are read here, in their own process,
 * through the local-files repository, and handed to the services as content.
 */
import type { ContentFile } from '../domain/content-input.js';
import type { TlsFiles } from '../nodes/node-tls.js';
import type { TlsFilePaths } from '../repositories/docker/contexts.js';
import { LocalFiles } from '../repositories/local-files.js';

/** A local file's content when `ref` names one, else the reference (a document id, an XCCDF id) as given. */
export async function localContentOr(ref: string): Promise<string | ContentFile> {
  const local = new LocalFiles();
  return (await local.isFile(ref)) ? local.readContent(ref) : ref;
}

/** The three PEM files of mutual TLS, read as content. */
export async function readTlsFiles(paths: TlsFilePaths): Promise<TlsFiles> {
  const local = new LocalFiles();
  const [ca, cert, key] = await Promise.all([local.readContent(paths.caPath), local.readContent(paths.certPath), local.readContent(paths.keyPath)]);
  return { ca, cert, key };
}
