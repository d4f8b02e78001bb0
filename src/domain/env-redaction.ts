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
 * Image history lines (`CreatedBy`, and the classic builder's `ContainerConfig.Cmd`) hold build-time values too:
 * their ENV/ARG values, and any token a classifier calls a secret, are replaced the same way (secret-history.ts).
 */
import { createHmac } from 'node:crypto';
import { redactLine } from './secret-history.js';

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
export type EnvValueClassifier = ((variable: EnvVariable) => readonly string[] | undefined) & {
  /** Names the classifier in facts (`secretPolicy.classifiers`), so checks know which screening the values had. */
  readonly id?: string;
};

/** What a classifier said about one variable. */
export interface EnvClassification {
  location: string;
  name: string;
  classes: string[];
  /** The salted hash the value was replaced by (in a history line, the value is one part of the stored line). */
  hash?: string;
}

/** Replaces environment values by their salted hashes and records what classifiers say about them. */
export class EnvRedactor {
  constructor(
    private readonly salt: string,
    private readonly classifiers: readonly EnvValueClassifier[] = [],
  ) {
    if (salt.length < 16) throw new Error('the environment hash salt must have at least 16 characters');
  }

  /** The ids of the classifiers that screen every value (those that have one). */
  get classifierIds(): string[] {
    return this.classifiers.flatMap((c) => (c.id === undefined ? [] : [c.id]));
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
      const object = node as Record<string, unknown>;
      for (const [key, value] of Object.entries(object)) {
        if (key === 'Env' && Array.isArray(value)) this.redactList(value, `${at}/Env`, found);
        else if (key === 'CreatedBy' && typeof value === 'string') object[key] = this.redactHistoryLine(value, `${at}/CreatedBy`, found);
        else if (key === 'Cmd' && Array.isArray(value) && at.endsWith('/ContainerConfig')) {
          value.forEach((part, i) => typeof part === 'string' && (value[i] = this.redactHistoryLine(part, `${at}/Cmd/${i}`, found)));
        } else visit(value, `${at}/${key}`);
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

  private redactHistoryLine(line: string, location: string, found: EnvClassification[]): string {
    if (line.includes(REDACTED_PREFIX)) return line;
    const redacted = redactLine(line, (name, value) => ({ classes: this.classesOf({ location, name, value }), hash: this.hash(value) }));
    for (const f of redacted.findings) found.push({ location, name: f.name, classes: f.classes, hash: f.hash });
    return redacted.line;
  }

  private classesOf(variable: EnvVariable): string[] {
    return [...new Set(this.classifiers.flatMap((c) => c(variable) ?? []))].sort();
  }

  private classify(variable: EnvVariable, found: EnvClassification[]): void {
    const classes = this.classesOf(variable);
    if (classes.length > 0) found.push({ location: variable.location, name: variable.name, classes, hash: this.hash(variable.value) });
  }
}
