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
 * local definitions, risks and findings left out (the rest being valid by (a)). Each batch is validated as it
 * was written: parsed back from its own text.
 */
import { toolDefinitions, type AssessmentReportInput } from './oscal-inventory.js';
import { assessmentResultsOf, type PlanReference, rulePartsOf, targetsByRule } from './oscal-ar-builder.js';
import { type AssessmentResultsDocument, type OscalFindingJson, type OscalObservationJson, type OscalRiskJson, oscalJsonText } from './oscal-values.js';

/** Validates a document built for one part of the stream; throws (SCHEMA_INVALID) when it is not valid. */
export type PartValidator = (document: unknown, what: string) => void;

export interface ArStreamOptions {
  /** Validation of each part (absent: none). */
  validate?: PartValidator;
  /** Observations per validated batch (default 1,000). */
  batchSize?: number;
  /** About how many characters each yielded chunk holds (default 256 KiB). */
  chunkChars?: number;
}

/** The placeholder standing for the observations while the document around them is serialised. */
const PLACEHOLDER = 'plimsoll:streamed-observations:7f1c2b9e';

/**
 * The results document's text in chunks. Builds each rule's observations twice (once to collect findings and
 * risks, once to write them), which costs time but never holds them all.
 */
export function* assessmentResultsChunks(input: AssessmentReportInput, plan: PlanReference, options: ArStreamOptions = {}): Generator<string> {
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const chunkChars = Math.max(1024, options.chunkChars ?? 256 * 1024);
  const tool = toolDefinitions(input.tool);
  const nodeById = new Map(input.nodes.map((n) => [n.id, n]));
  const byRule = targetsByRule(input.targets);
  const partsOf = (r: AssessmentReportInput['results'][number]) => rulePartsOf(input, r, byRule.get(`${r.nodeId}\u0000${r.ruleId}`) ?? [], nodeById, tool.origins);

  const risks: OscalRiskJson[] = [];
  const findings: OscalFindingJson[] = [];
  let count = 0;
  for (const r of input.results) {
    const parts = partsOf(r);
    count += parts.observations.length;
    if (parts.risk !== undefined) risks.push(parts.risk);
    findings.push(parts.finding);
  }
  const placeholder = [PLACEHOLDER as unknown as OscalObservationJson];
  const around = oscalJsonText(assessmentResultsOf(input, plan, { observations: count > 0 ? placeholder : [], risks, findings }));
  const what = `assessment-results of assessment ${input.assessment.id}`;
  if (count === 0) {
    options.validate?.(JSON.parse(around), what);
    yield around;
    return;
  }
  const at = around.indexOf(JSON.stringify(PLACEHOLDER));
  const lineStart = around.lastIndexOf('\n', at) + 1;
  const indent = around.slice(lineStart, at);
  const head = around.slice(0, lineStart);
  const tail = around.slice(at + JSON.stringify(PLACEHOLDER).length);
  // The documents each batch is validated in: the whole document around the first, a lean one around the rest.
  const shell = options.validate !== undefined ? (JSON.parse(around) as AssessmentResultsDocument) : undefined;

  let buffer = head;
  let batch: string[] = [];
  let written = 0;
  const flushBatch = (): void => {
    if (shell === undefined || batch.length === 0) return;
    const observations = JSON.parse(`[${batch.join(',')}]`) as OscalObservationJson[];
    const from = written - batch.length;
    options.validate!(withObservations(shell, observations, from === 0), from === 0 ? what : `${what} (observations ${from + 1} to ${written})`);
    batch = [];
  };
  for (const r of input.results) {
    for (const o of partsOf(r).observations) {
      const text = JSON.stringify(o, null, 2);
      buffer += `${written > 0 ? ',\n' : ''}${indent}${text.replaceAll('\n', `\n${indent}`)}`;
      written += 1;
      if (shell !== undefined) {
        batch.push(text);
        if (batch.length >= batchSize) flushBatch();
      }
      if (buffer.length >= chunkChars) {
        yield buffer;
        buffer = '';
      }
    }
  }
  flushBatch();
  if (written !== count) throw new Error(`the observations changed while the results were written (${count} counted, ${written} written)`);
  yield buffer + tail;
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
