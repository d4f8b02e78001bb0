import { describe, expect, it } from 'vitest';
import { classifyNodeFailure, nodeFailureMessage } from '../../../src/assessment/node-failures.js';
import { ErrorCode, PlimsollError } from '../../../src/domain/errors.js';

describe('classifyNodeFailure', () => {
  it('names each collection failure by its cause', () => {
    expect(classifyNodeFailure(new PlimsollError(ErrorCode.NODE_UNREACHABLE, 'no route')).reason).toBe('unreachable');
    expect(classifyNodeFailure(new PlimsollError(ErrorCode.NODE_TLS_FAILED, 'bad cert')).reason).toBe('tls');
    expect(classifyNodeFailure(new PlimsollError(ErrorCode.NOT_FOUND, 'gone')).reason).toBe('engine-error');
    expect(classifyNodeFailure(new Error('boom'))).toEqual({ reason: 'internal', message: 'boom' });
  });

  it('reports a node refused by a narrowed allow-list as not allowed, not as an internal failure', () => {
    const failure = classifyNodeFailure(new PlimsollError(ErrorCode.NODE_NOT_ALLOWED, 'Docker endpoint tcp://10.0.0.9:2376 is not allowed: outside 192.0.2.0/24 (PLIMSOLL_NODE_ALLOWLIST)'));
    expect(failure.reason).toBe('not-allowed');
    expect(nodeFailureMessage('prod-1', failure)).toBe('Node prod-1 could not be collected (not-allowed): Docker endpoint tcp://10.0.0.9:2376 is not allowed: outside 192.0.2.0/24 (PLIMSOLL_NODE_ALLOWLIST)');
  });
});
