/**
 * The secret formats and names Plimsoll recognises (issue #11 item 4), as data. The value formats follow the
 * well-known public rule sets (gitleaks' default configuration, secretlint's recommended preset): each format is
 * distinctive by its prefix or structure, so it is flagged wherever it appears, whatever the variable's name.
 * Neither rule set fits as a library here: gitleaks' rules are TOML read by Go, and secretlint's rule packages
 * lint whole files through its asynchronous rule context, not one value at a time; the table below is small
 * enough to own and is guarded by the fixture table of true secrets and look-alikes
 * (test/unit/domain/secret-classifier.test.ts).
 */

/** A credential format recognised by its shape alone. */
export interface SecretFormat {
  /** The class recorded in facts and evidence. */
  id: string;
  /** Matches the credential anywhere in a value (a connection string, a command line). */
  pattern: RegExp;
  /** A further test of a candidate match (e.g. a JWT's header decodes to JSON with `alg`). */
  confirm?: (match: string) => boolean;
}

/** A JWT header is base64url JSON naming its algorithm. */
function jwtHeader(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** Formats flagged wherever they occur (sorted by class id). */
export const SECRET_FORMATS: readonly SecretFormat[] = [
  // AWS access key ids: a four-letter kind prefix and 16 base32 characters (AKIA long-term, ASIA temporary).
  { id: 'aws-access-key-id', pattern: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z2-7]{16}\b/ },
  // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained personal tokens.
  { id: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b/ },
  // GitLab: personal, pipeline trigger, deploy, runner and feed tokens.
  { id: 'gitlab-token', pattern: /\b(?:glpat|glptt|gldt|glrt|glft|glsoat|glcbt)-[A-Za-z0-9_-]{20,}/ },
  // Google API keys.
  { id: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  // JSON Web Tokens: three base64url parts, the first two JSON objects (`eyJ` is `{"`).
  { id: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, confirm: jwtHeader },
  // npm access tokens.
  { id: 'npm-token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  // PEM private keys of any kind (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK).
  { id: 'private-key', pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/ },
  // Slack bot, user, app, refresh and legacy tokens, and incoming webhooks.
  { id: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { id: 'slack-webhook', pattern: /hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9+/]{20,}/ },
  // Stripe live secret and restricted keys.
  { id: 'stripe-key', pattern: /\b[rs]k_live_[0-9A-Za-z]{24,}\b/ },
];

/**
 * Names whose literal value is a secret (`DB_PASSWORD`, `PGPASSWORD`, `GITHUB_TOKEN`, `CLIENT_SECRET`, `API_KEY`):
 * the name ends with the secret word. `PASSWORD_FILE` or `TOKEN_URL` end with another word and name where the
 * secret is, not the secret itself.
 */
export const SECRET_NAME = /(?:PASSWORD|PASSWD|(?:^|_)PASS|(?:^|_)PWD|PASSPHRASE|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|AUTH_?KEY|ENCRYPTION_?KEY|SIGNING_?KEY|MASTER_?KEY|CREDENTIALS?|(?:^|_)AUTH)$/;

/** Shell bookkeeping that looks like a secret name: the working directory. */
export const NOT_SECRET_NAMES: ReadonlySet<string> = new Set(['PWD', 'OLDPWD']);

/**
 * Names that mention a secret but end with a word naming something else (a location, a switch, a size):
 * their values are high-entropy secrets only by format, never by name.
 */
export const NON_SECRET_SUFFIX = /(?:GPG_KEYS?|PUBLIC_?KEY|PUB_?KEY|FINGERPRINT|CHECKSUM|SHA\d*|MD5|HASH)$|_(?:FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|NAME|ID|ARN|TYPE|ALGORITHM|ALG|VERSION|REGION|USER|USERNAME|LENGTH|TTL|EXPIRY|EXPIRES|TIMEOUT|ENABLED|DISABLED|MODE|HEADER|FIELD|PREFIX|LOCATION|MOUNT)$/;

/** Words that make a name secret-like without being its last word (`SECRET_KEY_BASE`, `SESSION_KEY_V2`). */
export const SECRET_WORD = /PASS|SECRET|TOKEN|KEY|AUTH|CRED|PRIVATE|SALT|SIGNATURE|SESSION/;

/**
 * Values that are placeholders, not credentials: syntactic markers of "fill me in" (`<password>`, `${DB_PASSWORD}`,
 * `xxxx`, `***`, `REPLACE_ME`, `your-token-here`, AWS's documentation examples). Known default passwords
 * (`changeme`, `password`, `admin`, `secret`) are NOT here: a variable set to one is a live credential, and a
 * guessable one; they are flagged as `default-password`.
 */
export const PLACEHOLDER = /^(?:<[^<>]*>|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|%[A-Za-z_][A-Za-z0-9_]*%|x{3,}|X{3,}|\*{3,}|\.{3,}|-+|_+|(?:REPLACE|FILL|CHANGE|SET)[_-]?(?:ME|IT|THIS)[_-]?(?:IN)?|TODO|TBD|FIXME|none|null|nil|undefined|unset|empty|n\/a|your[_-].*|.*[_-]here|.*example.*)$/i;

/** Well-known default passwords: flagged, as a credential an attacker tries first. */
export const DEFAULT_PASSWORDS: ReadonlySet<string> = new Set(['changeme', 'changeit', 'password', 'passw0rd', 'admin', 'secret', 'root', 'toor', 'letmein', 'default', '123456', 'qwerty']);

/** Switches and numbers: configuration, not credentials (`TOKEN_REFRESH=true`, `PASSWORD_MIN=12`). */
export const SWITCH_OR_NUMBER = /^(?:true|false|yes|no|on|off|enabled?|disabled?|[+-]?\d+(?:\.\d+)?)$/i;

/** A value that names where a secret is: an absolute or relative path (`/run/secrets/db`, `./key.pem`, `~/.pgpass`). */
export const PATH_VALUE = /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)[^\s]*$/;

/** A URL (`scheme://…`), whose credentials, if any, are judged separately. */
export const URL_VALUE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S*$/;

/** `scheme://user:password@host`: the password part (group 1), when it is literal. */
export const URL_WITH_PASSWORD = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@[^\s/@]+/;

/**
 * A generic secret under a secret-like name: a random-looking word of at least `minLength` characters, hex with at
 * least `hexBitsPerChar` of Shannon entropy per character, or of the base64 alphabets with letters and digits and
 * at least `base64BitsPerChar` (the thresholds detect-secrets uses for its hex and base64 detectors). Words joined
 * by hyphens (`v1-node-modules-linux`) stay below.
 */
export const HIGH_ENTROPY = { minLength: 20, hexBitsPerChar: 3.0, base64BitsPerChar: 4.0 } as const;

/** An AWS secret access key: 40 characters of base64 under a name that says so (its shape alone is too common). */
export const AWS_SECRET_KEY = { name: /AWS.*SECRET|SECRET_ACCESS_KEY/, value: /^[A-Za-z0-9/+]{40}$/ } as const;
