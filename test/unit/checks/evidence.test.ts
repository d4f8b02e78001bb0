import { describe, expect, it } from 'vitest';
import { containerObservation, containerTarget, hasField, readField } from '../../../src/checks/evidence.js';
import { COLLECTED_AT, nodeFacts, recordedContainer } from './facts-helpers.js';

describe('readField / hasField', () => {
  const obj = { HostConfig: { Privileged: false, PidsLimit: null, SecurityOpt: ['a', 'b'] }, Mounts: [{ Source: '/etc' }], Empty: undefined };

  it('reads nested fields and array elements by dotted path', () => {
    expect(readField(obj, 'HostConfig.Privileged')).toBe(false);
    expect(readField(obj, 'HostConfig.SecurityOpt.1')).toBe('b');
    expect(readField(obj, 'Mounts.0.Source')).toBe('/etc');
    expect(readField(obj, 'HostConfig')).toEqual(obj.HostConfig);
  });

  it('reads missing fields as null, never undefined', () => {
    for (const p of ['Nope', 'HostConfig.Nope', 'HostConfig.Privileged.deeper', 'Mounts.1.Source', 'Mounts.x', 'Empty']) {
      expect(readField(obj, p)).toBeNull();
    }
  });

  it('tells a present null from a missing field', () => {
    expect(hasField(obj, 'HostConfig.PidsLimit')).toBe(true);
    expect(readField(obj, 'HostConfig.PidsLimit')).toBeNull();
    expect(hasField(obj, 'HostConfig.Memory')).toBe(false);
    expect(hasField(obj, 'Mounts.0.Source')).toBe(true);
    expect(hasField(obj, 'Mounts.3')).toBe(false);
    expect(hasField(obj, 'Empty')).toBe(false);
    // Inherited properties are not fields of the API object.
    expect(hasField(obj, 'toString')).toBe(false);
  });
});

describe('containerObservation', () => {
  it('names the container target and stamps the collection time', () => {
    const c = recordedContainer('privileged');
    const o = containerObservation(nodeFacts([c]), c, {
      field: 'HostConfig.Privileged',
      value: undefined,
      expected: 'false',
      verdict: 'fail',
      message: 'm',
    });
    expect(o.target).toEqual({ kind: 'container', id: c.id, name: 'privileged' });
    expect(containerTarget(c)).toEqual(o.target);
    expect(o.collectedAt).toBe(COLLECTED_AT);
    expect(o.value).toBeNull();
  });
});
