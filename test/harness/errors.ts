/** The PlimsollError a call throws or a promise rejects with; any other outcome fails the test. */
import { PlimsollError } from '../../src/domain/errors.js';

export function thrown(fn: () => unknown): PlimsollError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlimsollError) return e;
    throw e;
  }
  throw new Error('expected a PlimsollError');
}

export async function rejection(p: Promise<unknown>): Promise<PlimsollError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PlimsollError) return e;
    throw e;
  }
  throw new Error('expected a PlimsollError');
}
