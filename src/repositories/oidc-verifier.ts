/**
 * Verification of OIDC JWTs with jose: the signature against the provider's JWKS (fetched over HTTP(S),
 * cached, refetched when an unknown `kid` shows up, at most every cooldown), then issuer, audience and
 * expiry. Only asymmetric algorithms are accepted, so `alg: none` and HMAC tokens signed with a guessed
 * secret are refused. Failures become OidcTokenError with a short reason (never the token or a remote body).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { OidcTokenError, type OidcVerifier } from '../auth/oidc-authenticator.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface JoseVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockToleranceSec: number;
  /** Milliseconds to wait for the JWKS. */
  timeoutMs?: number;
}

/** A short reason for a jose failure. */
function reasonOf(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'iss') return 'the token was issued by another issuer';
    if (e.claim === 'aud') return 'the token is for another audience';
    return `its ${e.claim} claim is not acceptable (${e.reason})`;
  }
  if (e instanceof errors.JWKSNoMatchingKey) return 'no key of the identity provider matches its kid';
  if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JOSENotSupported) return 'its signing algorithm is not accepted';
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (e instanceof errors.JWKSTimeout) return "the identity provider's key set (JWKS) did not answer in time";
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return 'it is not a well-formed signed JWT';
  if (e instanceof errors.JWKSInvalid || e instanceof errors.JOSEError) return "the identity provider's key set (JWKS) could not be used";
  return "the identity provider's key set (JWKS) could not be fetched";
}

export class JoseOidcVerifier implements OidcVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: JoseVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.timeoutMs ?? 5000 });
  }

  async verify(jwt: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(jwt, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.options.clockToleranceSec,
        requiredClaims: ['sub', 'exp'],
      });
      return payload as Record<string, unknown>;
    } catch (e) {
      throw new OidcTokenError(reasonOf(e));
    }
  }
}
