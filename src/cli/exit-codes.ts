/**
 * Exit codes of the CLI: 2 bad input or content (a node outside the allow-list included), 3 node unreachable or TLS
 * failure, 4 failed rules at or above the `assess --fail-on` severity remain open, 5 refused (UNAUTHENTICATED,
 * FORBIDDEN, FORBIDDEN_SEPARATION_OF_DUTIES), 6 the audit log's hash chain is broken (`audit verify`),
 * 7 `remediate --apply --no-dry-run` made not every change (the plan is partially-applied, failed or stale),
 * 8 `serve` cannot listen (address in use, not permitted), 1 anything else.
 * Apart from format.ts (which re-exports them): `--help` and usage errors load no formatter.
 */
/** Exit codes; 6 is every failed integrity check: the audit chain, or a signed bundle that does not verify. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, nodeUnreachable: 3, findingsAtOrAbove: 4, refused: 5, auditChainBroken: 6, verificationFailed: 6, notApplied: 7, cannotListen: 8 } as const;
