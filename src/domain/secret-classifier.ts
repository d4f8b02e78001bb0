/**
 * The secret classifier: decides, from a variable's name and plaintext value, whether the value is a secret and of
 * which kinds. It runs inside the environment redactor (env-redaction.ts), the one moment a value is seen; only
 * the classes are kept. Three tiers, most certain first:
 * 1. a credential format found anywhere in the value (secret-patterns.ts SECRET_FORMATS), or a URL with a
 *    literal `user:password@` (`url-credentials`);
 * 2. a name that ends with a secret word (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `*_API_KEY`) holding a literal:
 *    `secret-named-literal`, or `default-password` when the literal is a well-known default;
 * 3. a high-entropy literal under a name that mentions a secret word (`SECRET_KEY_BASE`): `high-entropy-secret`;
 *    public material that looks random (`GPG_KEY`, `*_SHA256`, `*_FINGERPRINT`) is left out by name.
 * Not secrets: empty values, paths (`PASSWORD_FILE=/run/secrets/db`), references (`${DB_PASSWORD}`), plain URLs
 * (`TOKEN_URL=https://…`), switches and numbers, and placeholders (`<token>`, `xxxx`, `REPLACE_ME`).
 */
import type { EnvValueClassifier, EnvVariable } from './env-redaction.js';
import {
  AWS_SECRET_KEY,
  DEFAULT_PASSWORDS,
  HIGH_ENTROPY,
  NON_SECRET_SUFFIX,
  NOT_SECRET_NAMES,
  PATH_VALUE,
  PLACEHOLDER,
  SECRET_FORMATS,
  SECRET_NAME,
  SECRET_WORD,
  SWITCH_OR_NUMBER,
  URL_VALUE,
  URL_WITH_PASSWORD,
} from './secret-patterns.js';

/** The classifier's id, recorded in facts so that checks know the values were screened (and by what). */
export const SECRET_CLASSIFIER_ID = 'plimsoll-secrets/1';

/** Shannon entropy of a string, in bits per character. */
export function bitsPerChar(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** True for values that say where a secret is or stand in for one, rather than being one. */
function notLiteral(value: string): boolean {
  return value === '' || PATH_VALUE.test(value) || SWITCH_OR_NUMBER.test(value) || PLACEHOLDER.test(value) || (URL_VALUE.test(value) && !URL_WITH_PASSWORD.test(value));
}

function isDefaultPassword(value: string): boolean {
  return DEFAULT_PASSWORDS.has(value.toLowerCase().replace(/[_-]/g, ''));
}

/** The credential formats found in a value, by shape alone (tier 1). */
export function formatClasses(value: string): string[] {
  const classes: string[] = [];
  for (const format of SECRET_FORMATS) {
    const m = format.pattern.exec(value);
    // Documentation examples (AWS's AKIAIOSFODNN7EXAMPLE) are not credentials.
    if (m !== null && !/example/i.test(m[0]) && (format.confirm === undefined || format.confirm(m[0]))) classes.push(format.id);
  }
  const url = URL_WITH_PASSWORD.exec(value);
  if (url !== null && !PLACEHOLDER.test(url[1]!) && !/^\$/.test(url[1]!)) classes.push('url-credentials');
  return classes;
}

/** True for a random-looking word (see HIGH_ENTROPY). */
export function highEntropy(value: string): boolean {
  if (value.length < HIGH_ENTROPY.minLength) return false;
  if (/^[0-9a-fA-F]+$/.test(value)) return bitsPerChar(value) >= HIGH_ENTROPY.hexBitsPerChar;
  return /^[A-Za-z0-9+/=_-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && bitsPerChar(value) >= HIGH_ENTROPY.base64BitsPerChar;
}

/** The classes of a named value (all three tiers); empty when it is not a secret. */
export function classifySecret(name: string, value: string): string[] {
  const trimmed = value.trim();
  const classes = formatClasses(trimmed);
  const upper = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  if (AWS_SECRET_KEY.name.test(upper) && AWS_SECRET_KEY.value.test(trimmed)) classes.push('aws-secret-access-key');
  if (classes.length > 0 || upper === '' || NOT_SECRET_NAMES.has(upper)) return classes.sort();
  if (SECRET_NAME.test(upper)) {
    if (isDefaultPassword(trimmed)) return ['default-password'];
    return notLiteral(trimmed) ? [] : ['secret-named-literal'];
  }
  if (SECRET_WORD.test(upper) && !NON_SECRET_SUFFIX.test(upper) && !notLiteral(trimmed) && highEntropy(trimmed)) return ['high-entropy-secret'];
  return [];
}

/** The classifier as the environment redactor's hook (tagged with its id, which facts record). */
export const secretClassifier: EnvValueClassifier = Object.assign((variable: EnvVariable) => classifySecret(variable.name, variable.value), { id: SECRET_CLASSIFIER_ID });
