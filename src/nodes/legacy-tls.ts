/**
 * Nodes registered before migration 0007 referenced TLS files by path. At start-up with PLIMSOLL_SECRET_KEY,
 * each such node's files are read once (they were named by whoever registered the node, and are read from
 * the server's own disk this one time), checked as a CA certificate, a client certificate and its private key,
 * and stored as content with the key encrypted; the paths are then cleared. A set of files that is unreadable
 * or not TLS material is left as it is (its connections fail with instructions) and reported without content:
 * so a path that was never TLS material (say /etc/shadow) is never copied into the database.
 */
import type { ContentFile } from '../domain/content-input.js';
import { formatProblem, isPlimsollError, type Problem } from '../domain/errors.js';
import type { NodeRepository } from '../repositories/node-repository.js';
import type { SecretBox } from '../repositories/secret-box.js';
import { sealNodeTls } from './node-tls.js';

export interface LegacyTlsOutcome {
  upgraded: string[];
  /** Nodes left with their file paths, and why (never the files' content). */
  failed: { node: string; reason: string }[];
}

/** Reads local files as content; CONTENT_MISSING naming the path when it cannot. */
export interface ContentReader {
  readContent(file: string): Promise<ContentFile>;
}

/** Encrypts the TLS material of every node still registered with file paths. */
export async function upgradeLegacyTls(repo: NodeRepository, files: ContentReader, box: SecretBox): Promise<LegacyTlsOutcome> {
  const outcome: LegacyTlsOutcome = { upgraded: [], failed: [] };
  for (const node of await repo.list()) {
    if (node.tls?.kind !== 'legacy-files') continue;
    const problems: Problem[] = [];
    try {
      const [ca, cert, key] = await Promise.all([files.readContent(node.tls.caPath), files.readContent(node.tls.certPath), files.readContent(node.tls.keyPath)]);
      const sealed = sealNodeTls({ ca, cert, key }, box, problems);
      if (sealed) {
        await repo.updateTls(node.id, sealed);
        outcome.upgraded.push(node.name);
        continue;
      }
    } catch (e) {
      problems.push({ message: isPlimsollError(e) ? e.message : 'cannot read the files' });
    }
    outcome.failed.push({ node: node.name, reason: problems.map(formatProblem).join('; ') });
  }
  return outcome;
}
