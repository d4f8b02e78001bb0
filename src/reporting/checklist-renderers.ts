/**
 * The CKL and CKLB report renderers: one checklist per node (the report renderer table's `node` scope). They
 * follow the report renderer contract (wp-reports' src/reporting/renderer.ts: format, description,
 * contentType, scope, fileName, render → bytes); deterministic for one input (no clock, no randomness).
 */
import type { Checklist } from '../domain/checklist.js';
import { writeCkl } from '../formats/ckl/ckl-writer.js';
import { writeCklb } from '../formats/ckl/cklb.js';
import { buildChecklist, type ChecklistReportInput } from './checklist-builder.js';
import { fileNamePart } from './renderer.js';

/** Which checklist a file name is for (the report renderer table's ReportScope): the assessment and the node. */
export interface ChecklistScope {
  assessmentId: string;
  node?: { id: string; name: string };
}

/** A checklist renderer (the shape of the report renderer table's entries). */
export interface ChecklistRenderer {
  readonly format: 'ckl' | 'cklb';
  readonly description: string;
  readonly contentType: string;
  readonly scope: 'node';
  fileName(scope: ChecklistScope): string;
  render(input: ChecklistReportInput): Promise<Uint8Array>;
}

/** A file-name-safe form of a node or benchmark name. */
function safeName(s: string): string {
  return fileNamePart(s).replace(/^[_.]+|_+$/g, '') || 'node';
}

function fileName(scope: ChecklistScope, extension: string): string {
  return `${scope.node !== undefined ? `${safeName(scope.node.name)}_` : 'checklist_'}${safeName(scope.assessmentId)}.${extension}`;
}

function generatorOf(input: ChecklistReportInput): string {
  return `${input.tool.name} ${input.tool.version}, assessment ${input.assessment.id}`;
}

/** CKL text of a node's checklist. */
export function renderCklText(input: ChecklistReportInput, checklist: Checklist = buildChecklist(input)): string {
  return writeCkl(checklist, generatorOf(input));
}

function checklistRenderer(format: 'ckl' | 'cklb', description: string, contentType: string, write: (input: ChecklistReportInput) => string): ChecklistRenderer {
  return {
    format,
    description,
    contentType,
    scope: 'node',
    fileName: (scope) => fileName(scope, format),
    render: (input) => Promise.resolve(new TextEncoder().encode(write(input))),
  };
}

export const cklRenderer = checklistRenderer('ckl', 'STIG Viewer 2 checklist (CKL, XML) of one node', 'application/xml; charset=utf-8', (input) => renderCklText(input));

export const cklbRenderer = checklistRenderer('cklb', 'STIG Viewer 3 checklist (CKLB, JSON) of one node', 'application/json; charset=utf-8', (input) => writeCklb(buildChecklist(input)));
