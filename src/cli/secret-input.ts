/**
 * Passwords for the CLI come from an environment variable it names or from standard input, never from argv
 * (the process list and shell history show arguments to other users).
 */
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { CredentialsInput } from '../domain/supply-chain-registry.js';

export interface SecretOptions {
  username?: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
}

export interface SecretSources {
  env: NodeJS.ProcessEnv;
  stdin: AsyncIterable<Buffer | string>;
}

const MAX_STDIN = 64 * 1024;

/** The whole of standard input as text, without the final line break (`echo "$PW" | plimsoll …`). */
async function readAll(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_STDIN) throw new PlimsollError(ErrorCode.BAD_INPUT, `the password on standard input is longer than ${MAX_STDIN} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * Credentials from `--username` with `--password-env VAR` or `--password-stdin`; undefined when none of the
 * three is given. BAD_INPUT for half a pair or an unset variable (named, never its value).
 */
export async function credentialsFrom(opts: SecretOptions, sources: SecretSources = { env: process.env, stdin: process.stdin }): Promise<CredentialsInput | undefined> {
  const given = opts.username !== undefined || opts.passwordEnv !== undefined || opts.passwordStdin === true;
  if (!given) return undefined;
  if (opts.username === undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, 'a password needs --username');
  if ((opts.passwordEnv !== undefined) === (opts.passwordStdin === true)) throw new PlimsollError(ErrorCode.BAD_INPUT, '--username needs exactly one of --password-env VAR or --password-stdin');
  let password: string;
  if (opts.passwordEnv !== undefined) {
    const value = sources.env[opts.passwordEnv];
    if (value === undefined || value === '') throw new PlimsollError(ErrorCode.BAD_INPUT, `the environment variable ${opts.passwordEnv} (--password-env) is not set`);
    password = value;
  } else {
    password = await readAll(sources.stdin);
    if (password === '') throw new PlimsollError(ErrorCode.BAD_INPUT, '--password-stdin read no password from standard input');
  }
  return { username: opts.username, password };
}
