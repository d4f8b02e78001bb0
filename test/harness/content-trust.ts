/**
 * The docker CLI signing with Docker Content Trust against a test notary-server: a private DOCKER_CONFIG (so
 * its trust keys never touch the user's), passphrases from the environment (non-interactive), the daemon of
 * the test. The CLI skips TLS verification of a notary on 127.0.0.0/8, so these commands prove nothing about
 * CAs; Plimsoll's own trust client does (see the wrong-CA tests).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PrivateDaemon } from './docker-daemon.js';

const run = promisify(execFile);

export interface ContentTrustCli {
  /** Runs `docker ARGS`; with `trust`, DOCKER_CONTENT_TRUST=1. */
  docker(args: string[], options?: { trust?: boolean }): Promise<string>;
  /** `docker trust key generate NAME` into the private trust store; returns the public key file. */
  generateKey(name: string): Promise<string>;
  /** `docker trust signer add --key PUB NAME REPO`: creates targets/NAME and adds the key to targets/releases. */
  addSigner(name: string, publicKey: string, repository: string): Promise<void>;
  /** A new image with its own digest: BASE committed with a label. */
  variant(base: string, label: string, tag: string): Promise<void>;
}

export function contentTrustCli(daemon: PrivateDaemon, notaryUrl: string, dir: string): ContentTrustCli {
  const config = path.join(dir, 'docker-config');
  const keys = path.join(dir, 'keys');
  fs.mkdirSync(config, { recursive: true });
  fs.mkdirSync(keys, { recursive: true });
  const env = (trust: boolean): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      DOCKER_HOST: daemon.endpoint,
      DOCKER_CONFIG: config,
      DOCKER_CONTENT_TRUST_SERVER: notaryUrl,
      DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'plimsoll-root-passphrase',
      DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'plimsoll-repository-passphrase',
    };
    delete e.DOCKER_TLS_VERIFY;
    delete e.DOCKER_CERT_PATH;
    delete e.DOCKER_CONTEXT;
    if (trust) e.DOCKER_CONTENT_TRUST = '1';
    else delete e.DOCKER_CONTENT_TRUST;
    return e;
  };
  const docker = async (args: string[], options: { trust?: boolean } = {}): Promise<string> => {
    try {
      const { stdout } = await run('docker', args, { env: env(options.trust ?? false), maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`docker ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
    }
  };
  return {
    docker,
    async generateKey(name) {
      await docker(['trust', 'key', 'generate', name, '--dir', keys]);
      return path.join(keys, `${name}.pub`);
    },
    async addSigner(name, publicKey, repository) {
      await docker(['trust', 'signer', 'add', '--key', publicKey, name, repository]);
    },
    async variant(base, label, tag) {
      const id = (await docker(['create', base])).trim();
      await docker(['commit', '--change', `LABEL plimsoll.variant=${label}`, id, tag]);
      await docker(['rm', '-f', id]);
    },
  };
}
