/**
 * Image history lines (`GET /images/{id}/history` → `CreatedBy`, and the classic builder's copy of the same
 * instruction in an image's `ContainerConfig.Cmd`) carry build-time values: `ENV API_TOKEN=…`, `ARG PASSWORD=…`,
 * BuildKit's `RUN |2 A=1 B=2 …` build arguments, `RUN curl --password=…`. This module finds the values in a line
 * so that the environment redactor can replace them by their salted hashes, keeping the line's shape:
 * - every value an `ENV` or `ARG` instruction (or a RUN's build-argument prefix) assigns is replaced, as every
 *   `Env` value is, and classified under its variable's name;
 * - in any other command, a token is replaced only when the classifiers call it a secret: `NAME=value` and
 *   `--flag=value` under the name, `--password value` under the flag's name, a bare token by its format alone;
 * - a PEM private-key block is replaced whole.
 */

/** A value found in a line, with the name it is assigned to ('' for a bare token). */
export interface LineValue {
  name: string;
  value: string;
  /** True when the value is replaced whatever the classifiers say (ENV and ARG assignments). */
  always: boolean;
}

const PEM_BLOCK = /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g;
const INSTRUCTION = /^(?:\/bin\/sh -c\s+)?(?:#\(nop\)\s*)?(ENV|ARG)\s+([\s\S]*)$/;
const BUILD_ARGS = /^(?:RUN\s+)?\|(\d+)\s+/;
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[\s\S]*?)(?=\s+[A-Za-z_][A-Za-z0-9_.-]*=|\s*$)/g;
const NAME_VALUE = /^-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]+)$/;
const FLAG = /^--?([A-Za-z][A-Za-z0-9_-]+)$/;
const SECRET_FLAG = /pass|secret|token|key|auth|cred/i;

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;
}

/** The assignments of an ENV/ARG instruction's text (`A=1 B="x y"`; the legacy `ENV NAME value` form too). */
function assignments(text: string): LineValue[] {
  const found = [...text.matchAll(ASSIGNMENT)].map((m) => ({ name: m[1]!, value: unquote(m[2]!), always: true }));
  if (found.length > 0) return found.filter((f) => f.value !== '');
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]+)$/.exec(text.trim());
  return legacy === null ? [] : [{ name: legacy[1]!, value: legacy[2]!.trim(), always: true }];
}

/** The first `count` `NAME=value` words of a RUN's build-argument prefix, and the rest of the line. */
function buildArgs(line: string): { values: LineValue[]; rest: string } | undefined {
  const m = BUILD_ARGS.exec(line);
  if (m === null) return undefined;
  let rest = line.slice(m[0].length);
  const values: LineValue[] = [];
  for (let i = 0; i < Number(m[1]); i++) {
    const word = /^([A-Za-z_][A-Za-z0-9_.-]*)=(\S*)\s*/.exec(rest);
    if (word === null) break;
    if (word[2] !== '') values.push({ name: word[1]!, value: unquote(word[2]!), always: true });
    rest = rest.slice(word[0].length);
  }
  return { values, rest };
}

/** The candidate values of a command: `NAME=value`, `--flag=value`, `--flag value` and bare tokens. */
function commandValues(command: string): LineValue[] {
  const tokens = command.split(/\s+/).map((t) => unquote(t.replace(/^[;&|(]+|[;&|)]+$/g, ''))).filter((t) => t !== '');
  const values: LineValue[] = [];
  tokens.forEach((token, i) => {
    const nv = NAME_VALUE.exec(token);
    if (nv !== null) {
      values.push({ name: nv[1]!, value: unquote(nv[2]!), always: false });
      return;
    }
    const flag = FLAG.exec(token);
    const next = tokens[i + 1];
    if (flag !== null && SECRET_FLAG.test(flag[1]!) && next !== undefined && !next.startsWith('-')) values.push({ name: flag[1]!.replace(/-/g, '_'), value: next, always: false });
    values.push({ name: '', value: token, always: false });
  });
  return values;
}

/** Every value of a history line worth screening (the PEM blocks are handled by redactLine itself). */
export function lineValues(line: string): LineValue[] {
  const instruction = INSTRUCTION.exec(line);
  if (instruction !== null) return assignments(instruction[2]!);
  const args = buildArgs(line);
  return args === undefined ? commandValues(line) : [...args.values, ...commandValues(args.rest)];
}

/** What the redactor does with one value: its classes (empty: not a secret) and its salted hash. */
export type ValueJudge = (name: string, value: string) => { classes: readonly string[]; hash: string };

/** One secret found in a line: the variable (or flag) name, its classes and the salted hash that replaced it. */
export interface LineFinding {
  name: string;
  classes: string[];
  hash: string;
}

/** Replaces each occurrence of `value` that stands as a whole word (after `=`, a space or a quote): never a part of another word. */
function replaceWhole(line: string, value: string, by: string): string {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return line.replace(new RegExp(`(?<=^|[\\s='"])${escaped}(?=$|[\\s'";&|)])`, 'g'), () => by);
}

/** The line with its values replaced by their salted hashes, and the secrets found. */
export function redactLine(line: string, judge: ValueJudge): { line: string; findings: LineFinding[] } {
  const findings: LineFinding[] = [];
  let out = line.replace(PEM_BLOCK, (block) => {
    const { hash } = judge('', block);
    findings.push({ name: '', classes: ['private-key'], hash });
    return hash;
  });
  const replaced = new Set<string>();
  for (const v of lineValues(out)) {
    if (v.value === '' || replaced.has(v.value)) continue;
    const { classes, hash } = judge(v.name, v.value);
    if (classes.length > 0) findings.push({ name: v.name, classes: [...classes], hash });
    if (!v.always && classes.length === 0) continue;
    replaced.add(v.value);
    out = replaceWhole(out, v.value, hash);
  }
  return { line: out, findings };
}
