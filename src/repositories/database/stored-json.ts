import { ErrorCode, PlimsollError } from '../../domain/errors.js';

/** Parses a JSON column; a column that is not JSON is a fault of the store (INTERNAL), named by `what`. */
export function parseStoredJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new PlimsollError(ErrorCode.INTERNAL, `stored ${what} is not valid JSON`, [], { cause: e });
  }
}
