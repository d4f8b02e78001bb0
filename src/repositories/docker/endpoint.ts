/**
 * Docker endpoint strings (`unix:///path` or `tcp://host:port`): parsing, validation and one
 * canonical spelling, so that the same engine is never registered twice under two spellings.
 */
import path from 'node:path';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';

export type ParsedEndpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number };

function bad(endpoint: string, why: string): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, `Invalid Docker endpoint ${JSON.stringify(endpoint)}: ${why}`);
}

/** Parses an endpoint; throws BAD_INPUT naming the endpoint and what is wrong with it. */
export function parseEndpoint(endpoint: string): ParsedEndpoint {
  const e = endpoint.trim();
  if (e.startsWith('unix://')) {
    const p = e.slice('unix://'.length);
    if (p === '' || !p.startsWith('/')) throw bad(endpoint, 'a unix endpoint needs an absolute socket path, e.g. unix:///var/run/docker.sock');
    if (p.includes('\0')) throw bad(endpoint, 'the socket path contains a NUL character');
    const socketPath = path.posix.normalize(p);
    if (socketPath === '/' || socketPath.endsWith('/')) throw bad(endpoint, 'the socket path names a directory');
    return { kind: 'unix', socketPath };
  }
  if (e.startsWith('tcp://')) {
    let url: URL;
    try {
      url = new URL(e);
    } catch {
      throw bad(endpoint, 'expected tcp://host:port');
    }
    if (url.username !== '' || url.password !== '') throw bad(endpoint, 'credentials in the endpoint are not supported');
    if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') throw bad(endpoint, 'expected tcp://host:port with no path, query or fragment');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (host === '') throw bad(endpoint, 'the host is missing');
    if (url.port === '') throw bad(endpoint, 'a tcp endpoint needs a port, e.g. tcp://host:2376');
    const port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(endpoint, `port ${url.port} is out of range`);
    return { kind: 'tcp', host, port };
  }
  throw bad(endpoint, 'the scheme must be unix:// or tcp://');
}

/** The canonical spelling of a parsed endpoint. */
export function formatEndpoint(p: ParsedEndpoint): string {
  if (p.kind === 'unix') return `unix://${p.socketPath}`;
  return `tcp://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}`;
}

/** Parses and re-formats an endpoint (lower-case host, normalized socket path). Throws BAD_INPUT. */
export function normalizeEndpoint(endpoint: string): string {
  return formatEndpoint(parseEndpoint(endpoint));
}
