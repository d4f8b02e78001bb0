/**
 * Two helpers of the streamed OSCAL results (oscal-ar-stream.ts), which write tens of thousands of values into a
 * larger document without building that document: a value's text at the indentation of its place in the document
 * in one serialisation, and the guarantee that the value a validator checks is the value its text says.
 */

/**
 * `JSON.stringify(value, null, 2)` with every line indented by `indent` (spaces, two per depth), as one
 * serialisation: the value is serialised nested in one array per depth, and the arrays' own lines are cut off (a
 * slice of the text, not a copy). Writing `JSON.stringify(value, null, 2)` and then indenting each line makes a
 * second copy of every value.
 */
export function indentedJson(indent: string): (value: unknown) => string {
  if (!/^(?: {2})*$/.test(indent)) throw new Error(`indentedJson: the indentation must be pairs of spaces, got ${JSON.stringify(indent)}`);
  const depth = indent.length / 2;
  let open = '';
  let close = '';
  for (let d = 0; d < depth; d += 1) {
    open += `${'  '.repeat(d)}[\n`;
    close = `\n${'  '.repeat(d)}]${close}`;
  }
  return (value) => {
    let nested: unknown = value;
    for (let d = 0; d < depth; d += 1) nested = [nested];
    const text = JSON.stringify(nested, null, 2);
    return depth === 0 ? text : text.slice(open.length, text.length - close.length);
  };
}

/**
 * Makes `value` (a tree of plain objects and arrays its caller built and owns) exactly what its JSON text says, in
 * place: members whose value is undefined (which JSON.stringify leaves out) are deleted; anything JSON cannot
 * carry as it is (a function, a symbol, a bigint, a non-finite number, an undefined array item, an object that is
 * not plain) throws. Then `JSON.parse(JSON.stringify(value))` deep-equals `value`, so validating the value is
 * validating its text.
 */
export function asJsonValue<T>(value: T): T {
  const problem = problemOf(value);
  if (problem !== undefined) throw new Error(`not a JSON value: ${problem}`);
  return value;
}

/** Where `value` is no JSON value and why (`/props/0: undefined`), or undefined; allocates nothing when it is one. */
function problemOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `: ${value}`;
    case 'object':
      break;
    default:
      return `: a ${typeof value}`;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const problem = value[i] === undefined ? ': undefined' : problemOf(value[i]);
      if (problem !== undefined) return `/${i}${problem}`;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return ': not a plain object';
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (record[key] === undefined) {
      delete record[key];
      continue;
    }
    const problem = problemOf(record[key]);
    if (problem !== undefined) return `/${key}${problem}`;
  }
  return undefined;
}
