/**
 * Problems found on the JSON model of a document that came as XML or YAML carry a JSON pointer; these
 * helpers give them back the line and column of the source, so every format's errors name the place.
 */
import { PlimsollError, type Problem } from '../../domain/errors.js';

/** Maps a JSON pointer of the model to the line and column of the source element or node. */
export type Locate = (pointer: string) => { line: number; column: number } | undefined;

/** Runs `run`; a PlimsollError from it is re-thrown with line and column added to problems that carry a pointer. */
export function withLocations<T>(file: string, locate: Locate | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof PlimsollError) || locate === undefined) throw e;
    const problems: Problem[] = e.problems.map((p) => {
      if (p.pointer === undefined || p.line !== undefined) return p;
      const at = locate(p.pointer);
      return at === undefined ? p : { ...p, ...at };
    });
    const first = problems[0];
    const rest = e.message.startsWith(file) ? e.message.slice(file.length).replace(/^[:#\s]+/, '') : e.message;
    const message = first?.line !== undefined ? `${file}:${first.line}:${first.column ?? 0}: ${rest}` : e.message;
    throw new PlimsollError(e.code, message, problems, { cause: e });
  }
}

/** Adds line and column to every `at: { pointer }` location inside a mapped document (profile directives). */
export function addLines(value: unknown, locate: Locate): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    const o = v as Record<string, unknown>;
    const at = o.at as { pointer?: unknown; line?: number } | undefined;
    if (at && typeof at.pointer === 'string' && at.line === undefined) {
      const pos = locate(at.pointer);
      if (pos) Object.assign(at, { line: pos.line, column: pos.column });
    }
    for (const [k, x] of Object.entries(o)) if (k !== 'at' && k !== 'extra' && k !== 'raw') stack.push(x);
  }
}
