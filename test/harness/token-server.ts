/**
 * A Docker token service for tests (the `Bearer realm=…` flow of the registry and Notary): HTTPS with the
 * test CA, basic auth with one user, and ES256 JWTs carrying the requested `access` with the signing
 * certificate in `x5c`, which the registry verifies against its `rootcertbundle`.
 */
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TokenServer {
  realm: string;
  /** Tokens issued so far. */
  issued(): number;
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  tls: { cert: string; key: string };
  /** Key and certificate that sign the tokens (the certificate must chain to the registry's root bundle). */
  signing: { cert: string; key: string };
  issuer: string;
  user: string;
  password: string;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(fs.readFileSync(options.signing.key));
  const der = new X509Certificate(fs.readFileSync(options.signing.cert)).raw.toString('base64');
  let issued = 0;
  const server = https.createServer({ cert: fs.readFileSync(options.tls.cert), key: fs.readFileSync(options.tls.key) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="token"' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll('scope').map((scope) => {
      const [type, ...rest] = scope.split(':');
      const actions = (rest.pop() ?? '').split(',');
      return { type, name: rest.join(':'), actions: actions.includes('*') ? ['*'] : actions };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [der] };
    const claims = { iss: options.issuer, sub: options.user, aud: url.searchParams.get('service') ?? '', exp: now + 300, nbf: now - 10, iat: now, jti: `t${issued}`, access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    issued++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${input}.${b64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `https://127.0.0.1:${port}/token`,
    issued: () => issued,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
