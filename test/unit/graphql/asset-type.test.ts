/** AssetFacts as GraphQL gives it: unreadable host files under hostPath. */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { mapAssetFacts } from '../../../src/graphql/types/asset.type.js';

describe('mapAssetFacts', () => {
  it('names an unreadable file by hostPath, the file on the assessed host', () => {
    const out = mapAssetFacts({ unreadable: [{ path: '/etc/os-release (host root)', error: 'EACCES: permission denied (readFile)' }] });
    expect(out.unreadable).toEqual([{ hostPath: '/etc/os-release (host root)', error: 'EACCES: permission denied (readFile)' }]);
  });
});
