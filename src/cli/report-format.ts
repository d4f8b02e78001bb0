/** Text output of report commands. */
import type { BundleVerification } from '../reporting/signing/bundle-verify.js';

/** What `plimsoll verify` prints: the key, each subject, each problem, and the verdict last. */
export function formatVerification(bundle: string, v: BundleVerification): string[] {
  const lines: string[] = [];
  if (v.key !== undefined) {
    const whose = v.key.source === 'given' ? 'the given key' : 'the key embedded in the bundle (compare its id with the server\'s published key)';
    lines.push(v.signatureValid ? `signature: verified with ${whose}, key id ${v.key.keyId}` : `signature: NOT verified with ${whose}, key id ${v.key.keyId}`);
  }
  for (const s of v.subjects) {
    const given = s.given !== undefined ? `; ${s.given.file}: ${s.given.state}` : '';
    lines.push(`  ${s.embedded === 'verified' ? 'ok     ' : s.embedded.padEnd(7)} ${s.name}  sha256 ${s.sha256}${given}`);
  }
  for (const p of v.problems) lines.push(`problem: ${p}`);
  lines.push(v.verified ? `VERIFIED: ${bundle}` : `NOT VERIFIED: ${bundle} (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'})`);
  return lines;
}
