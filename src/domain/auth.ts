/** Roles: admins manage tokens and read the audit log; assessors import and assess; auditors only read. */
export type Role = 'admin' | 'assessor' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'assessor', 'auditor'];

/** The authenticated caller of an operation. The CLI acts as a local principal. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

export const LOCAL_CLI_PRINCIPAL: Principal = { tokenId: 'local-cli', name: 'local-cli', role: 'admin' };

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt?: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  role: Role;
  action: string;
  target?: string;
  outcome: 'success' | 'failure';
  detail?: string;
}
