/**
 * The collectors of a node's inventory parts, in the order a collection runs them (wired by ./services.ts for
 * the assessments; the integration tests collect through the same list).
 */
import { HostAssetCollector } from '../collectors/asset-collector.js';
import { EngineInventoryCollector } from '../collectors/engine-inventory.js';
import { EnvironmentPolicyCollector } from '../collectors/environment-policy-collector.js';
import { DaemonConfigCollector, HostFilesCollector } from '../collectors/host-collector.js';
import type { PartCollector } from '../collectors/part-collector.js';
import { RegistryCollector } from '../collectors/registry-collector.js';
import { SwarmCollector } from '../collectors/swarm-collector.js';
import { TrustCollector } from '../collectors/trust-collector.js';
import type { Config } from '../config/config.js';
import { staticSupplyChainSettings, type SupplyChainSettingsSource } from '../domain/supply-chain.js';
import { HelperLedger } from '../repositories/host/helper-ledger.js';
import { hostAccess } from '../repositories/host/host-access.js';
import { registryClientFactory } from '../repositories/registry-client.js';
import { NotaryTrustClient } from '../repositories/trust-client.js';

/** The inventory parts collected after the engine's core inventory, once per node per run; helpers go into `ledger`. */
export function collectorParts(config: Config, ledger: HelperLedger = new HelperLedger(), supplyChain: SupplyChainSettingsSource = staticSupplyChainSettings(config.supplyChain.environments)): PartCollector[] {
  const { root, helperImage, helperBusybox } = config.hostFiles;
  const access = hostAccess({ ...(root !== undefined ? { hostRoot: root } : {}), ...(helperImage !== undefined ? { helperImage } : {}), ...(helperBusybox !== undefined ? { helperBusybox } : {}), ledger });
  const remote = { timeoutMs: config.supplyChain.timeoutMs };
  // The daemon configuration first: the host files to read (TLS material, the socket) depend on it. Trust
  // last: it reads the images (engine) and the registries' tags collected before it.
  return [
    new EngineInventoryCollector(),
    new SwarmCollector(),
    new DaemonConfigCollector(access),
    new HostFilesCollector(access),
    new HostAssetCollector(access),
    new RegistryCollector(supplyChain, registryClientFactory(remote)),
    new TrustCollector(supplyChain, new NotaryTrustClient(remote)),
    new EnvironmentPolicyCollector(supplyChain, { productionEnvironments: config.supplyChain.productionEnvironments, accessLabelKey: config.supplyChain.accessLabelKey }),
  ];
}
