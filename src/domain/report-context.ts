/**
 * What an assessment's reports are built from beyond its stored rows: the facts of the run that the rows do
 * not keep (the tool and its version, the starting user's role, which rules a check decided, each node's engine
 * version). Stored with the completed assessment, so a report rendered later from the database is byte for byte
 * the one rendered at run time, whatever version of Plimsoll renders it.
 */
export interface AssessmentReportContext {
  /** The tool that ran the assessment, as its documents name it. */
  tool: { name: string; version: string };
  /** Who started the run (the user's name is also `assessment.started_by`) and their role then. */
  actor: { name: string; role?: string };
  /** XCCDF rule ids a check decided at the run (the others were left to manual review). */
  automatedRuleIds: string[];
  /** Docker engine version of each collected node, by node id. */
  engineVersions: Record<string, string>;
}
