import { describe, expect, it } from 'vitest';
import { summarizeArgs } from '../../../src/graphql/audit-plugin.js';

describe('summarizeArgs', () => {
  it('keeps arguments short and never records secrets', () => {
    expect(summarizeArgs({})).toBeUndefined();
    expect(summarizeArgs({ name: 'ci', role: 'assessor' })).toBe('{"name":"ci","role":"assessor"}');
    expect(summarizeArgs({ input: { secret: 'plm_abc', password: 'x' } })).toBe('{"input":{"secret":"[redacted]","password":"[redacted]"}}');
    const long = summarizeArgs({ paths: Array.from({ length: 100 }, (_, i) => `/data/file-${i}.xml`) })!;
    expect(long.length).toBe(500);
    expect(long.endsWith('…')).toBe(true);
  });
});
