/**
 * Types of the parts of STIG Manager's client modules the checklist tests use (the package's own index.d.ts
 * declares a module of another name, so TypeScript can't use it).
 */
declare module '@nuwcdivnpt/stig-manager-client-modules' {
  export interface ParsedReview {
    ruleId: string;
    result: string;
    detail: string | null;
    comment: string | null;
    status?: string | null;
  }
  export interface ParsedChecklist {
    benchmarkId: string;
    revisionStr: string | null;
    reviews: ParsedReview[];
  }
  export interface ParseResult {
    target: { name: string; ip: string | null; fqdn: string | null; mac: string | null; noncomputing: boolean; metadata: Record<string, string> };
    checklists: ParsedChecklist[];
  }
  export interface ReviewParserParams {
    data: string;
    fieldSettings: unknown;
    allowAccept: boolean;
    importOptions: unknown;
    sourceRef: unknown;
  }
  export function reviewsFromCkl(params: ReviewParserParams): ParseResult;
  export function reviewsFromCklb(params: ReviewParserParams): ParseResult;
}
