import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.js';
import { describeError, exitCodeFor, formatAssessedNodes, formatAssessmentSummary, formatNodeAsset, formatAudit, formatImportLine, formatNodes, formatSyncResults, formatTokens, formatUsers, table } from '../../../src/cli/format.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';
import { assessmentFixture } from './memory-runtime.js';

describe('exit codes', () => {
  it('2 for bad input and content, 3 for unreachable nodes, registries and TLS, 5 for refusals, 7 when serve cannot listen, 1 otherwise', () => {
    for (const c of ['CONTENT_INVALID', 'CONTENT_UNKNOWN_KIND', 'CONTENT_MISSING', 'CONTENT_HASH_MISMATCH', 'SCHEMA_INVALID', 'BAD_INPUT', 'NOT_FOUND', 'CONFLICT', 'CONFIG_INVALID', 'NODE_NOT_ALLOWED', 'QUERY_TOO_COMPLEX', 'QUERY_TIMEOUT'] as const) {
      expect(exitCodeFor(ErrorCode[c])).toBe(2);
    }
    for (const c of ['NODE_UNREACHABLE', 'NODE_TLS_FAILED', 'REGISTRY_UNREACHABLE', 'REGISTRY_TLS_FAILED', 'REGISTRY_AUTH_FAILED', 'REGISTRY_BAD_RESPONSE'] as const) expect(exitCodeFor(ErrorCode[c])).toBe(3);
    for (const c of ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN_SEPARATION_OF_DUTIES'] as const) expect(exitCodeFor(ErrorCode[c])).toBe(5);
    // 6 is the broken audit chain (`audit verify`, not an error code); a busy port has its own code.
    expect(exitCodeFor(ErrorCode.LISTEN_FAILED)).toBe(8);
    expect(exitCodeFor(ErrorCode.INTERNAL)).toBe(1);
    // Every code has its exit code; none but INTERNAL falls to the generic failure.
    for (const c of Object.values(ErrorCode)) if (c !== ErrorCode.INTERNAL) expect(exitCodeFor(c), c).not.toBe(1);
  });
});

describe('describeError', () => {
  it('formats domain errors without a stack, problems indented', () => {
    const e = new PlimsollError(ErrorCode.NODE_TLS_FAILED, 'TLS handshake failed', [{ file: 'ca.pem', message: 'unknown CA' }, { message: 'no location' }]);
    expect(describeError(e)).toEqual({ lines: ['error[NODE_TLS_FAILED]: TLS handshake failed', '  ca.pem: unknown CA', '  no location'], exitCode: 3 });
  });

  it('lists every configuration problem', () => {
    expect(describeError(new ConfigError(['A bad', 'B bad']))).toEqual({ lines: ['error[CONFIG_INVALID]: invalid configuration', '  A bad', '  B bad'], exitCode: 2 });
  });

  it('shows the stack of unexpected errors (bugs) and handles non-errors', () => {
    const d = describeError(new TypeError('x is undefined'));
    expect(d.exitCode).toBe(1);
    expect(d.lines[0]).toBe('error[INTERNAL]: x is undefined');
    expect(d.lines[1]).toContain('TypeError: x is undefined');
    expect(describeError('weird').lines[0]).toBe('error[INTERNAL]: weird');
  });
});

describe('tables and lines', () => {
  it('pads columns but not the last one', () => {
    expect(table(['A', 'BB'], [['xxx', 'y'], ['z', '']])).toEqual(['A    BB', 'xxx  y', 'z']);
  });

  it('formats sync results', () => {
    expect(formatSyncResults([
      { name: 'a', file: 'a.json', path: '/c/a.json', source: 'download', ok: true },
      { name: 'longer-name', file: 'b.xml', ok: false, error: 'offline' },
    ])).toEqual(['a            download  /c/a.json', 'longer-name  MISSING   offline']);
  });

  it('formats an import line without release or counts', () => {
    expect(formatImportLine({ documentId: 'd', kind: 'catalog', id: 'uuid-1', title: 'SP 800-53', version: '5.0.1', file: 'f', sha256: 's', counts: {}, alreadyPresent: false }))
      .toBe('catalog  uuid-1  "SP 800-53"  version 5.0.1');
  });

  it('summarizes an assessment with profile, its nodes and the files written', () => {
    const lines = formatAssessmentSummary({ ...assessmentFixture(), profileId: 'MAC-1_Classified' }, { results: 'out/assessment-results.json', plan: 'out/assessment-plan.json' });
    expect(lines[1]).toBe('benchmark  Docker Enterprise 2.x Linux/UNIX STIG (Docker_Enterprise_2-x_Linux-UNIX_STIG version 2 release 2), profile MAC-1_Classified');
    expect(lines.slice(2, 4)).toEqual(['nodes', '  node-one  collected']);
    expect(lines).toContain('total           4');
    expect(lines.slice(-2)).toEqual(['results written to out/assessment-results.json', 'plan written to out/assessment-plan.json']);
    const running = formatAssessmentSummary({ ...assessmentFixture(), status: 'running', summary: undefined });
    expect(running).toHaveLength(4);
  });

  it('lists failed and interrupted nodes with their reason', () => {
    expect(
      formatAssessedNodes([
        { nodeId: 'a', name: 'alpha', endpoint: 'x', status: { state: 'collected', collectedAt: 't', factsSha256: 's' } },
        { nodeId: 'b', name: 'beta', endpoint: 'y', status: { state: 'failed', reason: 'tls', message: 'certificate rejected' } },
        { nodeId: 'c', name: 'gamma', endpoint: 'z', status: { state: 'interrupted', message: 'runner h:1 is no longer running' } },
      ]),
    ).toEqual(['  alpha  collected', '  beta   failed       tls: certificate rejected', '  gamma  interrupted  runner h:1 is no longer running']);
  });

  it('shows asset facts with their source, overrides by whom, and what is missing', () => {
    const at = '2025-01-01T00:00:00Z';
    const lines = formatNodeAsset({
      nodeId: 'n',
      collected: {},
      overrides: {},
      collectedAt: at,
      effective: {
        hostName: { value: 'web-01', source: 'engine', detail: 'GET /info Name', recordedAt: at },
        ipAddresses: { value: ['10.0.0.1', '10.0.0.2'], source: 'endpoint', detail: 'endpoint', recordedAt: at },
        role: { value: 'Member Server', source: 'assessor', detail: 'per SSP', recordedAt: at, recordedBy: 'carol' },
      },
    });
    expect(lines[0]).toMatch(/^FIELD\s+VALUE\s+SOURCE\s+DETAIL$/);
    expect(lines).toContain('ipAddresses   10.0.0.1, 10.0.0.2  endpoint        endpoint');
    expect(lines.find((l) => l.startsWith('role'))).toMatch(/Member Server\s+assessor carol\s+per SSP/);
    expect(lines.find((l) => l.startsWith('fqdn'))).toContain('not collected; set it with plimsoll node asset set');
    expect(lines.at(-1)).toBe(`collected ${at}`);
  });

  it('says which host files the collection could not read, and why', () => {
    const at = '2025-01-01T00:00:00Z';
    const unreadable = [{ path: '/etc/hostname (helper container c1)', error: 'EACCES: permission denied (readFile)' }];
    const lines = formatNodeAsset({ nodeId: 'n', collected: { unreadable }, overrides: {}, collectedAt: at, effective: { unreadable } });
    expect(lines.find((l) => l.startsWith('hostName'))).toContain('not collected');
    expect(lines.at(-1)).toBe('could not read /etc/hostname (helper container c1): EACCES: permission denied (readFile)');
  });

  it('says so when lists are empty', () => {
    expect(formatNodes([])).toEqual(['no nodes registered']);
    expect(formatTokens([])).toEqual(['no tokens']);
    expect(formatAudit({ edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false }, totalCount: 3 })).toEqual(['no audit records (total 3)']);
    expect(formatUsers([])).toEqual(['no users']);
  });
});
