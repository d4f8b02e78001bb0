/**
 * Why a Docker STIG rule is left to manual review (an attestation) instead of being decided from facts.
 * A plain data module keyed by STIG id; docs/stig-coverage.md is generated from it and the check
 * registry, and a unit test fails when a rule is both automated and listed here, or neither.
 */

/** The kind of reason; the coverage document groups and names them. */
export type ManualReasonKind =
  /** Settings of Universal Control Plane or Docker Trusted Registry: their own APIs and UIs, not the engine's. */
  | 'ucp-dtr'
  /** The pass condition is a value or list the organisation defines in its System Security Plan. */
  | 'ssp'
  /** Alarms and notifications configured in the log aggregation / SIEM system. */
  | 'siem'
  /** A practice or a history (how secrets are handled, when keys were rotated), not a state an API shows. */
  | 'process'
  /** Host package-manager trust configuration, outside the engine and the Docker files Plimsoll reads. */
  | 'host-os';

export interface ManualReason {
  kind: ManualReasonKind;
  /** Why it can't be decided from the engine's facts, in one sentence. */
  reason: string;
}

/** Short labels of the reason kinds, as the coverage document prints them. */
export const MANUAL_REASON_LABELS: Readonly<Record<ManualReasonKind, string>> = {
  'ucp-dtr': 'UCP/DTR setting',
  ssp: 'SSP-defined value',
  siem: 'SIEM configuration',
  process: 'process or history',
  'host-os': 'host OS configuration',
};

const UCP = 'a Universal Control Plane setting, read through the UCP admin API or UI, not the Docker Engine API';
const DTR = 'a Docker Trusted Registry setting, read through the DTR API or UI, not the Docker Engine API';

/** STIG id → why the rule needs manual review. */
export const MANUAL_REASONS: Readonly<Record<string, ManualReason>> = {
  'DKER-EE-001000': { kind: 'ucp-dtr', reason: `The per-user session limit is ${UCP}, and its value is organisation-defined.` },
  'DKER-EE-001080': { kind: 'ucp-dtr', reason: `The audit log level is ${UCP}.` },
  'DKER-EE-001100': { kind: 'ucp-dtr', reason: `LDAP integration is ${UCP}.` },
  'DKER-EE-001170': { kind: 'ucp-dtr', reason: `RBAC grants are ${UCP}, and which policy is right is organisation-defined.` },
  'DKER-EE-001180': { kind: 'ucp-dtr', reason: `RBAC policies are ${DTR}.` },
  'DKER-EE-001590': { kind: 'siem', reason: 'Alerting the ISSO and SA on audit processing failure is configured in the log aggregation/SIEM system, which the engine does not expose.' },
  'DKER-EE-001770': { kind: 'host-os', reason: "Docker's GPG key lives in the host package manager's keyring (apt/yum), which no engine API or collected Docker file shows." },
  'DKER-EE-001870': { kind: 'ucp-dtr', reason: `The certificate UCP serves is ${UCP}; whether it is DoD-signed needs the DoD trust chain.` },
  'DKER-EE-001880': { kind: 'ucp-dtr', reason: `The certificate DTR serves is ${DTR}; whether it is DoD-signed needs the DoD trust chain.` },
  'DKER-EE-001890': { kind: 'ucp-dtr', reason: `Scheduling on manager and DTR nodes is ${UCP}.` },
  'DKER-EE-001900': { kind: 'ucp-dtr', reason: `"Create repository on push" is ${DTR}.` },
  'DKER-EE-001910': { kind: 'ucp-dtr', reason: `Usage and analytics reporting is ${UCP}.` },
  'DKER-EE-001920': { kind: 'ucp-dtr', reason: `Usage and analytics reporting is ${DTR}.` },
  'DKER-EE-005080': { kind: 'ssp', reason: 'The engine shows the node certificate lifetime (Spec.CAConfig.NodeCertExpiry, kept in the facts), but the rotation period it must meet is the one the SSP defines.' },
  'DKER-EE-001990': { kind: 'ssp', reason: 'The engine shows which ports a container exposes, but which ones are required is defined per application in the SSP.' },
  'DKER-EE-002180': { kind: 'ucp-dtr', reason: `SAML integration is ${UCP}.` },
  'DKER-EE-002380': { kind: 'ssp', reason: `The client bundle certificate chain is ${UCP}, and it must match a chain the SSP defines.` },
  'DKER-EE-002410': { kind: 'process', reason: 'Whether secrets are managed with docker secret commands (and not baked into images or environment variables) is a practice: the API lists secrets, not where sensitive data was put instead.' },
  'DKER-EE-002490': { kind: 'ucp-dtr', reason: `The session lifetime and renewal threshold are ${UCP}.` },
  'DKER-EE-002660': { kind: 'process', reason: 'Whether configuration files and small user data are kept in Docker secrets is a practice the engine cannot tell apart from other data in images and volumes.' },
  'DKER-EE-002970': { kind: 'ssp', reason: `The per-user session limit is ${UCP}, to match a value the SSP defines.` },
  'DKER-EE-003330': { kind: 'siem', reason: 'The 75% storage alarm is configured in the log aggregation/SIEM system, which the engine does not expose.' },
  'DKER-EE-003340': { kind: 'siem', reason: 'Notifying the SA and ISSO of audit failures is configured in the log aggregation/SIEM system, which the engine does not expose.' },
  'DKER-EE-003460': { kind: 'siem', reason: 'Alerting the ISSO/ISSM on unauthorized software is configured in the log aggregation/SIEM system, which the engine does not expose.' },
  'DKER-EE-003560': { kind: 'ssp', reason: 'The engine shows the ports of running containers, but what each application needs is defined in the SSP.' },
  'DKER-EE-003590': { kind: 'ucp-dtr', reason: `Content trust enforcement is ${UCP}.` },
  'DKER-EE-003840': { kind: 'ucp-dtr', reason: `Vulnerability scanning is ${DTR}.` },
  'DKER-EE-003920': { kind: 'ucp-dtr', reason: `The CA UCP is integrated with is ${UCP}.` },
  'DKER-EE-003930': { kind: 'ucp-dtr', reason: `The CA DTR is integrated with is ${DTR}.` },
  'DKER-EE-004370': { kind: 'ucp-dtr', reason: `Content trust enforcement is ${UCP}.` },
  'DKER-EE-005070': { kind: 'process', reason: 'Rotating the auto-lock key periodically is a history: the engine shows whether auto-lock is on, not when the key last changed.' },
  'DKER-EE-006190': { kind: 'ucp-dtr', reason: `The CA UCP is integrated with is ${UCP}.` },
  'DKER-EE-006280': { kind: 'ucp-dtr', reason: `The TLS version UCP accepts is ${UCP}.` },
};

/** Why the rule with this STIG id needs manual review, if it is listed. */
export function manualReasonFor(stigId: string): ManualReason | undefined {
  return Object.hasOwn(MANUAL_REASONS, stigId) ? MANUAL_REASONS[stigId] : undefined;
}
