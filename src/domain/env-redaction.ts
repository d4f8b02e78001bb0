/**
 * Container and image environment values are often secrets (passwords, tokens, keys). Plimsoll never keeps
 * one: at collection time every value of an `Env` list in an Engine API answer (a container's inspection, an
 * image's config, a swarm service's or task's container spec, a plugin's settings) is replaced by a salted
 * hash, `NAME=redacted:hmac-sha256:<hex>`, with the installation's secret salt as the HMAC key. The variable
 * names stay, and equal values still compare equal (drift), but a value can't be read back, nor guessed
 * offline without the salt.
 *
 * Classifiers (issue #11: secret detection) see each plaintext value once, during redaction, and may classify
 * it (e.g. `aws-access-key`, `private-key`); only their classes are kept, next to the variable's location.
 */
import { createHmac } from 'node:crypto';

/** The prefix of a redacted value. */
export const REDACTED_PREFIX = 'redacted:hmac-sha256:';

/** One environment variable as collected, shown to classifiers before its value is replaced. */
export interface EnvVariable {
  /** Where the variable is, as a path in the facts (`containers/<id>/inspect/Config/Env/3`). */
  location: string;
  name: string;
  value: string;
}

/** A hook that classifies a plaintext value at collection time; the classes (never the value) are kept. */
export type EnvValueClassifier = (variable: EnvVariable) => readonly string[] | undefined;

/** What a classifier said about one variable. */
export interface EnvClassification {
  location: string;
  name: string;
  classes: string[];
}

/** Replaces environment values by their salted hashes and records what classifiers say about them. */
export class EnvRedactor {
  constructor(
    private readonly salt: string,
    private readonly classifiers: readonly EnvValueClassifier[] = [],
  ) {
    if (salt.length < 16) throw new Error('the environment hash salt must have at least 16 characters');
  }

  /** The salted hash of a value, as stored. */
  hash(value: string): string {
    return `${REDACTED_PREFIX}${createHmac('sha256', this.salt).update(value, 'utf8').digest('hex')}`;
  }

  /**
   * Redacts every `Env` list below `root` in place (strings `NAME=value`, or objects with a string `Value`, as
   * plugins list them); `location` names `root` in the facts. Returns the classifications made on the way.
   */
  redact(root: unknown, location: string): EnvClassification[] {
    const found: EnvClassification[] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => visit(item, `${at}/${i}`));
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === 'Env' && Array.isArray(value)) this.redactList(value, `${at}/Env`, found);
        else visit(value, `${at}/${key}`);
      }
    };
    visit(root, location);
    return found;
  }

  private redactList(list: unknown[], at: string, found: EnvClassification[]): void {
    list.forEach((entry, i) => {
      const location = `${at}/${i}`;
      if (typeof entry === 'string') {
        const eq = entry.indexOf('=');
        // `NAME` without a value carries nothing to hide.
        if (eq < 0) return;
        const name = entry.slice(0, eq);
        const value = entry.slice(eq + 1);
        if (value.startsWith(REDACTED_PREFIX)) return;
        this.classify({ location, name, value }, found);
        list[i] = `${name}=${this.hash(value)}`;
      } else if (typeof entry === 'object' && entry !== null && typeof (entry as { Value?: unknown }).Value === 'string') {
        const e = entry as { Name?: unknown; Value: string };
        if (e.Value.startsWith(REDACTED_PREFIX)) return;
        this.classify({ location, name: typeof e.Name === 'string' ? e.Name : '', value: e.Value }, found);
        e.Value = this.hash(e.Value);
      }
    });
  }

  private classify(variable: EnvVariable, found: EnvClassification[]): void {
    const classes = [...new Set(this.classifiers.flatMap((c) => c(variable) ?? []))].sort();
    if (classes.length > 0) found.push({ location: variable.location, name: variable.name, classes });
  }
}
