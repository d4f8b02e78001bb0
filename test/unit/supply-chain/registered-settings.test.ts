/** How the configuration file's environments and the registered entries merge: the file wins on a clash. */
import { describe, expect, it } from 'vitest';
import type { EnvironmentSupplyChain } from '../../../src/domain/supply-chain.js';
import { mergeSupplyChain } from '../../../src/supply-chain/registered-settings.js';

const FILE: EnvironmentSupplyChain[] = [
  {
    environment: 'prod',
    registries: [{ name: 'prod', host: 'registry.example.mil', url: 'https://registry.example.mil', trustServer: 'notary' }],
    trustServers: [{ name: 'notary', url: 'https://notary.example.mil' }],
    allowedSigners: [{ role: 'targets/releases' }],
  },
];

describe('mergeSupplyChain', () => {
  it('keeps the file\'s entries and leaves out registered ones that clash with them (a file edited after registering)', () => {
    const merged = mergeSupplyChain(FILE, {
      registries: [
        { environment: 'prod', name: 'prod', host: 'other.example.mil', url: 'https://other.example.mil' },
        { environment: 'prod', name: 'shadow-host', host: 'registry.example.mil', url: 'https://mirror.example.mil' },
        { environment: 'prod', name: 'extra', host: 'extra.example.mil', url: 'https://extra.example.mil', trustServer: 'notary' },
        { environment: 'dev', name: 'dev', host: 'dev.example.mil', url: 'https://dev.example.mil', trustServer: 'dev-notary' },
      ],
      trustServers: [
        { name: 'notary', url: 'https://registered-notary.example.mil' },
        { name: 'dev-notary', url: 'https://dev-notary.example.mil' },
        { name: 'unused', url: 'https://unused.example.mil' },
      ],
      signers: [
        { environment: 'prod', signers: [{ role: 'targets/alice' }] },
        { environment: 'dev', signers: [{ role: 'targets/dev' }] },
      ],
    });
    const prod = merged.find((e) => e.environment === 'prod')!;
    expect(prod.registries.map((r) => r.name)).toEqual(['prod', 'extra']);
    // `extra` names "notary": the file's notary of the environment, not the registered one of that name.
    expect(prod.trustServers).toEqual([{ name: 'notary', url: 'https://notary.example.mil' }]);
    expect(prod.allowedSigners).toEqual([{ role: 'targets/releases' }]);
    const dev = merged.find((e) => e.environment === 'dev')!;
    expect(dev).toEqual({
      environment: 'dev',
      registries: [{ name: 'dev', host: 'dev.example.mil', url: 'https://dev.example.mil', trustServer: 'dev-notary' }],
      trustServers: [{ name: 'dev-notary', url: 'https://dev-notary.example.mil' }],
      allowedSigners: [{ role: 'targets/dev' }],
    });
  });

  it('gives the file\'s environments unchanged when nothing is registered', () => {
    expect(mergeSupplyChain(FILE, { registries: [], trustServers: [], signers: [] })).toEqual(FILE);
  });
});
