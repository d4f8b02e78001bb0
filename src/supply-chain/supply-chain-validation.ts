/**
 * Checks of registration input for registries, trust servers and signers: the same shapes the configuration
 * file accepts (SUPPLY_CHAIN_PATTERNS, endpointUrl), each problem with the JSON pointer of the bad field. No
 * message quotes a password (nor any credential value): they name the field and what is wrong with it.
 */
import { SUPPLY_CHAIN_PATTERNS, endpointUrl } from '../config/supply-chain-config.js';
import type { ContentFile } from '../domain/content-input.js';
import { ErrorCode, PlimsollError, type Problem } from '../domain/errors.js';
import type { AllowedSigner } from '../domain/supply-chain.js';
import type { CredentialsInput } from '../domain/supply-chain-registry.js';
import { readPemCertificate } from '../nodes/node-tls.js';

const MAX_NAME = 100;
const MAX_USERNAME = 256;
const MAX_PASSWORD = 8192;
const MAX_LIST = 200;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Collects problems of one input; `done` throws BAD_INPUT listing them all. */
export class InputCheck {
  readonly problems: Problem[] = [];

  constructor(private readonly what: string) {}

  bad(pointer: string, message: string): undefined {
    this.problems.push({ pointer, message });
    return undefined;
  }

  /** Throws BAD_INPUT when any problem was found. */
  done(): void {
    if (this.problems.length > 0) throw new PlimsollError(ErrorCode.BAD_INPUT, `Invalid ${this.what}: ${this.problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`, this.problems);
  }

  name(v: unknown, pointer = '/name'): string | undefined {
    const s = typeof v === 'string' ? v.trim() : '';
    if (s === '') return this.bad(pointer, 'is required');
    if (s.length > MAX_NAME) return this.bad(pointer, `is longer than ${MAX_NAME} characters`);
    if (CONTROL_CHARS.test(s)) return this.bad(pointer, 'contains control characters');
    return s;
  }

  url(v: unknown, allowHttp: boolean, pointer = '/url'): string | undefined {
    if (typeof v !== 'string' || v.trim() === '') return this.bad(pointer, 'is required');
    // A user or password inside the URL would be stored (and shown) in clear: they go in `credentials`.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(v.trim())) return this.bad(pointer, 'must not hold a user or password: give them as credentials');
    const checked = endpointUrl(v.trim(), allowHttp);
    return 'url' in checked ? checked.url : this.bad(pointer, checked.invalid);
  }

  host(v: unknown, pointer = '/host'): string | undefined {
    return typeof v === 'string' && SUPPLY_CHAIN_PATTERNS.host.test(v) ? v.toLowerCase() : this.bad(pointer, 'must be a registry host as image references name it (host or host:port)');
  }

  environment(v: unknown, pointer = '/environment'): string | undefined {
    return typeof v === 'string' && SUPPLY_CHAIN_PATTERNS.environment.test(v) ? v : this.bad(pointer, 'must be an environment name: letters, digits, "_", "." or "-" (at most 63)');
  }

  repositories(v: readonly unknown[], pointer = '/repositories'): string[] {
    if (v.length > MAX_LIST) this.bad(pointer, `has more than ${MAX_LIST} entries`);
    return v.flatMap((r, i) => (typeof r === 'string' && SUPPLY_CHAIN_PATTERNS.repository.test(r) ? [r] : (this.bad(`${pointer}/${i}`, 'must be a repository name or "prefix/*"'), [])));
  }

  /** Credentials go over https:// only; the password is checked for presence and size, never shown. */
  credentials(c: CredentialsInput, url: string | undefined, pointer = '/credentials'): CredentialsInput | undefined {
    const before = this.problems.length;
    const username = typeof c.username === 'string' ? c.username : '';
    if (username === '' || username.length > MAX_USERNAME || CONTROL_CHARS.test(username) || username.includes(':')) {
      this.bad(`${pointer}/username`, `must be 1 to ${MAX_USERNAME} characters without ":" or control characters`);
    }
    if (typeof c.password !== 'string' || c.password === '' || c.password.length > MAX_PASSWORD || /[\r\n]/.test(c.password)) {
      this.bad(`${pointer}/password`, `must be 1 to ${MAX_PASSWORD} characters on one line`);
    }
    if (url !== undefined && !url.startsWith('https:')) this.bad(pointer, 'credentials are sent over https:// only');
    return this.problems.length > before ? undefined : { username, password: c.password };
  }

  keyIds(v: readonly unknown[], pointer: string): string[] {
    if (v.length > MAX_LIST) this.bad(pointer, `has more than ${MAX_LIST} entries`);
    return v.flatMap((k, i) => (typeof k === 'string' && SUPPLY_CHAIN_PATTERNS.keyId.test(k) ? [k] : (this.bad(`${pointer}/${i}`, 'must be 64 lowercase hex digits (a TUF key id)'), [])));
  }

  pinnedRootKeys(pins: Record<string, unknown>, pointer = '/pinnedRootKeys'): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (Object.keys(pins).length > MAX_LIST) this.bad(pointer, `has more than ${MAX_LIST} entries`);
    for (const [gun, ids] of Object.entries(pins)) {
      if (!/^[A-Za-z0-9.:-]+(\/[A-Za-z0-9._-]+)*(\/\*)?$/.test(gun)) this.bad(`${pointer}/${gun}`, 'must be a GUN (registry-host/repository) or "prefix/*"');
      else if (!Array.isArray(ids) || ids.length === 0) this.bad(`${pointer}/${gun}`, 'must list at least one key id');
      else out[gun] = this.keyIds(ids, `${pointer}/${gun}`);
    }
    return out;
  }

  signers(signers: readonly AllowedSigner[], pointer = '/signers'): AllowedSigner[] {
    if (signers.length > MAX_LIST) this.bad(pointer, `has more than ${MAX_LIST} entries`);
    const seen = new Set<string>();
    return signers.flatMap((s, i) => {
      if (typeof s.role !== 'string' || !SUPPLY_CHAIN_PATTERNS.role.test(s.role)) return (this.bad(`${pointer}/${i}/role`, 'must be a targets role such as "targets/releases"'), []);
      if (seen.has(s.role)) return (this.bad(`${pointer}/${i}/role`, `${s.role} is given twice`), []);
      seen.add(s.role);
      const keyIds = s.keyIds !== undefined ? this.keyIds(s.keyIds, `${pointer}/${i}/keyIds`) : undefined;
      return [{ role: s.role, ...(keyIds !== undefined && keyIds.length > 0 ? { keyIds } : {}) }];
    });
  }

  /** The CA certificate as PEM text, or undefined with a problem naming the file. */
  caPem(file: ContentFile, pointer = '/ca'): string | undefined {
    const before = this.problems.length;
    readPemCertificate(file, 'CA certificate', pointer, this.problems);
    return this.problems.length > before ? undefined : file.bytes.toString('utf8');
  }
}
