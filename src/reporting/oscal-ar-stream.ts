/**
 * The OSCAL assessment-results document as a stream of text chunks, byte for byte what
 * `oscalJsonText(buildAssessmentResults(input, plan))` gives, without ever holding the whole document: the
 * observations (one per rule per target: some 25,000 for a node with 1,000 containers, most of the 23 MB) are
 * built rule by rule and written as they come; only the document around them, the findings and the risks (one
 * per rule per node) are held.
 *
 * How the bytes stay identical: the document around the observations is serialised once with a placeholder as
 * its only observation, and each observation is serialised alone at the placeholder's indentation
 * (`JSON.stringify(x, null, 2)` of a nested value is the value's own serialisation with every line indented by
 * its depth; JSON strings never hold a raw newline). A golden test compares both forms.
 *
 * How validation stays equivalent to validating the whole document against NIST's schema: the schema constrains
 * a result's `observations` only as an array of at least one item, each an observation (no uniqueItems, no
 * maxItems, no rule relating two items). So the document is valid exactly when (a) the document with its first
 * batch of observations is valid and (b) every further batch is valid in that document with its optional
 * local definitions, risks and findings left out (the rest being valid by (a)). Each batch is validated as the
 * very objects that were serialised, each first made exactly what its text says (json-text.ts `asJsonValue`):
 * no text is parsed back.
 *
 * How little it allocates (a run with 1,000 containers writes some 65 MB of text): the first pass builds only
 * the findings and risks (they relate observations by uuid, and the uuids are kept for the second pass); the
 * second builds one observation at a time and serialises it once, at its indentation (json-text.ts
 * `indentedJson`); a batch holds the observations until they are validated.
 */
import type { TargetResult } from '../domain/target-results.js';
import { type ArNode, toolDefinitions, type AssessmentReportInput } from './oscal-inventory.js';
import { assessmentResultsOf, observationOf, observationUuid, type PlanReference, ruleVerdictOf, targetsByRule } from './oscal-ar-builder.js';
import { asJsonValue, indentedJson } from './json-text.js';
import { type AssessmentResultsDocument, type OscalFindingJson, type OscalJson, type OscalObservationJson, type OscalRiskJson, oscalJsonText } from './oscal-values.js';

/** Validates a document built for one part of the stream; throws (SCHEMA_INVALID) when it is not valid. */
export type PartValidator = (document: unknown, what: string) => void;

export interface ArStreamOptions {
  /** Validation of each part (absent: none). */
  validate?: PartValidator;
  /**
   * Observations per validated batch (default 100: the quickest to validate, and a batch short-lived enough that its
   * observations die young instead of being promoted and their allocation sites pretenured).
   */
  batchSize?: number;
  /** About how many characters each yielded chunk holds (default 256 KiB). */
  chunkChars?: number;
}

/** The placeholder standing for the observations while the document around them is serialised. */
const PLACEHOLDER = 'plimsoll:streamed-observations:7f1c2b9e';

/**
 * The results document's text in chunks. Computes each observation's uuid once (the findings of the first pass
 * relate them) and builds each observation once, in the second pass, never holding more than a batch of them.
 */
export function* assessmentResultsChunks(input: AssessmentReportInput, plan: PlanReference, options: ArStreamOptions = {}): Generator<string> {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const chunkChars = Math.max(1024, options.chunkChars ?? 256 * 1024);
  const a = input.assessment;
  const tool = toolDefinitions(input.tool);
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));
  const byRule = targetsByRule(input.targets);
  const rules = input.results.map((r) => ({ r, targets: byRule.get(`${r.nodeId}\u0000${r.ruleId}`) ?? [] }));

  const { around, uuidsByRule, count } = firstPass(input, plan, rules, nodeById, tool.origins);
  const what = `assessment-results of assessment ${a.id}`;
  if (count === 0) {
    options.validate?.(JSON.parse(around), what);
    yield around;
    return;
  }
  const at = around.indexOf(JSON.stringify(PLACEHOLDER));
  const lineStart = around.lastIndexOf('\n', at) + 1;
  const serialise = indentedJson(around.slice(lineStart, at));
  const head = around.slice(0, lineStart);
  const tail = around.slice(at + JSON.stringify(PLACEHOLDER).length);
  // The documents each batch is validated in: the whole document around the first, a lean one around the rest
  // (made once the first is validated, so that the findings, risks and inventory are not held to the end twice).
  let shell = options.validate !== undefined ? (JSON.parse(around) as AssessmentResultsDocument) : undefined;

  // The chunk's pieces, joined when it is yielded. Appending to one string would build a rope across many young
  // collections: its nodes were promoted, and then flattening it (when stored) allocated each chunk's text straight
  // in the old generation, the largest share of what a large run's store left there for a full collection to find.
  let pieces: string[] = [head];
  let size = head.length;
  const take = (): string => {
    const text = pieces.join('');
    pieces = [];
    size = 0;
    return text;
  };
  let batch: OscalObservationJson[] = [];
  let written = 0;
  const flushBatch = (): void => {
    if (shell === undefined || batch.length === 0) return;
    const from = written - batch.length;
    options.validate!(withObservations(shell, batch, from === 0), from === 0 ? what : `${what} (observations ${from + 1} to ${written})`);
    if (from === 0) shell = withObservations(shell, [], false);
    batch = [];
  };
  for (let i = 0; i < rules.length; i += 1) {
    const { r, targets } = rules[i]!;
    const uuids = uuidsByRule[i]!;
    const node = nodeById.get(r.nodeId);
    for (let j = 0; j < targets.length; j += 1) {
      // The object validated is the object serialised, made exactly what its text says.
      const o = asJsonValue(observationOf(a.id, r, targets[j]!, node, a.startedAt, uuids[j]));
      const piece = written > 0 ? `,\n${serialise(o)}` : serialise(o);
      pieces.push(piece);
      size += piece.length;
      written += 1;
      if (shell !== undefined) {
        batch.push(o);
        if (batch.length >= batchSize) flushBatch();
      }
      if (size >= chunkChars) yield take();
    }
  }
  flushBatch();
  if (written !== count) throw new Error(`the observations changed while the results were written (${count} counted, ${written} written)`);
  pieces.push(tail);
  yield take();
}

/**
 * The first pass: each rule's observation uuids (the findings relate them) and the document's text with a
 * placeholder for its observations. In a function of its own, so that the findings and risks it builds are
 * released once they are text instead of living as long as the stream.
 */
function firstPass(
  input: AssessmentReportInput,
  plan: PlanReference,
  rules: readonly { r: AssessmentReportInput['results'][number]; targets: readonly TargetResult[] }[],
  nodeById: ReadonlyMap<string, ArNode>,
  origins: OscalJson[],
): { around: string; uuidsByRule: string[][]; count: number } {
  const risks: OscalRiskJson[] = [];
  const findings: OscalFindingJson[] = [];
  const uuidsByRule: string[][] = [];
  let count = 0;
  for (const { r, targets } of rules) {
    const uuids = targets.map((t) => observationUuid(input.assessment.id, r, t));
    const verdict = ruleVerdictOf(input, r, targets, uuids, nodeById, origins);
    uuidsByRule.push(uuids);
    count += uuids.length;
    if (verdict.risk !== undefined) risks.push(verdict.risk);
    findings.push(verdict.finding);
  }
  const placeholder = [PLACEHOLDER as unknown as OscalObservationJson];
  return { around: oscalJsonText(assessmentResultsOf(input, plan, { observations: count > 0 ? placeholder : [], risks, findings })), uuidsByRule, count };
}

/** The shell with these observations; `whole`: with everything else, else without the optional parts around them. */
function withObservations(shell: AssessmentResultsDocument, observations: OscalObservationJson[], whole: boolean): AssessmentResultsDocument {
  const ar = shell['assessment-results'];
  const result = ar.results[0]!;
  const lean = { ...result, observations };
  if (!whole) {
    delete lean['local-definitions'];
    delete lean.risks;
    delete lean.findings;
  }
  return { 'assessment-results': { ...ar, results: [lean, ...ar.results.slice(1)] } };
}
