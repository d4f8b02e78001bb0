/** Parsers of option values; a bad value is a commander InvalidArgumentError (a usage error, exit 2). */
import { InvalidArgumentError } from 'commander';
import { ROLES, type Role } from '../domain/auth.js';

/** A TCP port, 0 to 65535 (0: any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

/** A non-negative integer (offsets), or a positive one when `min` is 1. */
export function intParser(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Collects `--label key=value` into a record; keys must be unique. */
export function collectLabel(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  const key = eq > 0 ? value.slice(0, eq).trim() : '';
  if (key === '') throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  if (key in previous) throw new InvalidArgumentError(`label ${key} given twice`);
  return { ...previous, [key]: value.slice(eq + 1) };
}

export function parseRole(value: string): Role {
  if (!ROLES.includes(value as Role)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value as Role;
}
