/**
 * The real parts the supply-chain integration tests share: TLS material from a test CA, a private Docker daemon
 * with the busybox image, a plain registry on loopback, notary-server and a TLS registry behind htpasswd (both
 * registries on one storage, so an image pushed to one is served by the other). Every started process is pushed
 * onto `stops`, for the caller's afterAll.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importBusyboxImage, type PrivateDaemon, startDockerDaemon } from './docker-daemon.js';
import { type ServerProcess, startNotaryServer, startRegistry, writeHtpasswd } from './registry-servers.js';
import { makeTlsMaterial, type TlsMaterial } from './tls.js';

export interface SupplyChainParts {
  tls: TlsMaterial;
  daemon: PrivateDaemon;
  /** The registries' shared storage directory. */
  storage: string;
  serverTls: { cert: string; key: string };
  plain: ServerProcess;
  notary: ServerProcess;
  basicRegistry: ServerProcess;
}

/** Starts the parts under `dir`; `user`/`password` are the htpasswd registry's only account. */
export async function startSupplyChainParts(dir: string, account: { user: string; password: string }, stops: (() => Promise<void>)[]): Promise<SupplyChainParts> {
  const tls = await makeTlsMaterial(path.join(dir, 'tls'));
  const daemon = await startDockerDaemon();
  stops.push(() => daemon.stop());
  await importBusyboxImage(daemon);
  const storage = path.join(dir, 'storage');
  fs.mkdirSync(storage);
  const serverTls = { cert: tls.serverCert, key: tls.serverKey };
  const plain = await startRegistry({ storageDir: storage });
  stops.push(() => plain.stop());
  const notary = await startNotaryServer({ tls: serverTls });
  stops.push(() => notary.stop());
  const htpasswd = path.join(dir, 'htpasswd');
  await writeHtpasswd(htpasswd, account.user, account.password);
  const basicRegistry = await startRegistry({ storageDir: storage, tls: serverTls, auth: { htpasswd } });
  stops.push(() => basicRegistry.stop());
  return { tls, daemon, storage, serverTls, plain, notary, basicRegistry };
}
