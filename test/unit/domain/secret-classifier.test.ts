/**
 * The secret classifier on its fixture table (test/fixtures/secrets): every true secret is found with its class,
 * and the harmless look-alikes stay below the false-positive budget.
 */
import { describe, expect, it } from 'vitest';
import { bitsPerChar, classifySecret, highEntropy, secretClassifier, SECRET_CLASSIFIER_ID } from '../../../src/domain/secret-classifier.js';
import { LOOK_ALIKES, TRUE_SECRETS } from '../../fixtures/secrets/secret-fixtures.js';

/** The false positives tolerated on the look-alikes: none today; raise only with a reason. */
const FALSE_POSITIVE_BUDGET = 0;

describe('secret classifier', () => {
  it('finds every true secret of the fixture table, with its class', () => {
    const wrong = TRUE_SECRETS.map((f) => ({ name: f.name, expected: f.classes, got: classifySecret(f.name, f.value) })).filter((r) => JSON.stringify(r.got) !== JSON.stringify(r.expected));
    expect(wrong).toEqual([]);
    expect(TRUE_SECRETS.length).toBeGreaterThanOrEqual(25);
  });

  it(`keeps the false-positive rate on the look-alikes at or below ${FALSE_POSITIVE_BUDGET / LOOK_ALIKES.length}`, () => {
    const flagged = LOOK_ALIKES.map((f) => ({ name: f.name, value: f.value, got: classifySecret(f.name, f.value) })).filter((r) => r.got.length > 0);
    const rate = flagged.length / LOOK_ALIKES.length;
    expect(flagged, `false positives: ${JSON.stringify(flagged)}`).toHaveLength(FALSE_POSITIVE_BUDGET);
    expect(rate).toBeLessThanOrEqual(0.05);
    expect(LOOK_ALIKES.length).toBeGreaterThanOrEqual(30);
  });

  it('judges a format by shape wherever the value holds it, and a name only with a literal value', () => {
    expect(classifySecret('OPTS', '--retries 3 --token ghp_R8mX2kV7qL4tZ9wN3bH6yJ1cF5dS0aP8eU2o')).toEqual(['github-token']);
    expect(classifySecret('DB_PASSWORD', 'p')).toEqual(['secret-named-literal']);
    expect(classifySecret('DB_PASSWORD', '/run/secrets/db')).toEqual([]);
    expect(classifySecret('GREETING', 'hunter2')).toEqual([]);
    // A random-looking word under a name mentioning no secret is nobody's business here.
    expect(classifySecret('BUILD', 'Qm9Xz3Lk7Vt2Np8Rw4Sy6Bh1Jd5Gf0Ca')).toEqual([]);
  });

  it('measures entropy as bits per character, and keeps hyphenated words out of the high-entropy tier', () => {
    expect(bitsPerChar('aaaa')).toBe(0);
    expect(bitsPerChar('abcd')).toBe(2);
    expect(highEntropy('v1-node-modules-linux-x64-cache')).toBe(false);
    expect(highEntropy('Qm9Xz3Lk7Vt2Np8Rw4Sy6Bh1Jd5Gf0Ca')).toBe(true);
  });

  it('plugs into the environment redactor under its id', () => {
    expect(secretClassifier.id).toBe(SECRET_CLASSIFIER_ID);
    expect(secretClassifier({ location: 'x', name: 'API_TOKEN', value: 'abc-123' })).toEqual(['secret-named-literal']);
  });
});
