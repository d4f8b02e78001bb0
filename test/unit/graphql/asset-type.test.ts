/** AssetFacts as GraphQL gives it: unreadable host files under hostPath, and under the deprecated path too. */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { mapAssetFacts } from '../../../src/graphql/types/asset.type.js';

describe('mapAssetFacts', () => {
  it('names an unreadable file by hostPath, and keeps the deprecated path the same', () => {
    const out = mapAssetFacts({ unreadable: [{ path: '/etc/os-release (host root)', error: 'EACCES: permission denied (readFile)' }] });
    expect(out.unreadable).toEqual([{ hostPath: '/etc/os-release (host root)', path: '/etc/os-release (host root)', error: 'EACCES: permission denied (readFile)' }]);
  });
});
