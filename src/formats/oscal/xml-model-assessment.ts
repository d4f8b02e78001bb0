/**
 * The XML layout of OSCAL's assessment layer (assessment plan, assessment results, POA&M) and the parts of
 * implementation-common they use, in the notation of xml-model.ts. From NIST's metaschema, OSCAL 1.1.2.
 */
const SHARED = 'props=prop*:property links=link*:link';
const RP = 'responsible-parties=responsible-party*:responsible-party';
const RR = 'responsible-roles=responsible-role*:responsible-role';

export const ASSESSMENT_TABLE: Record<string, string> = {
  // implementation-common
  'system-component': `uuid type | title:line description:multi purpose:line ${SHARED} status:component-status ${RR} protocols=protocol*:protocol remarks:multi`,
  'component-status': 'state | remarks:multi',
  protocol: 'uuid name | title:line port-ranges=port-range*:port-range',
  'port-range': 'start:int end:int transport |',
  'inventory-item': `uuid | description:multi ${SHARED} ${RP} implemented-components=implemented-component*:implemented-component remarks:multi`,
  'implemented-component': `component-uuid | ${SHARED} ${RP} remarks:multi`,
  'system-user': `uuid | title:line short-name:str description:multi ${SHARED} role-ids=role-id*:str authorized-privileges=authorized-privilege*:authorized-privilege remarks:multi`,
  'authorized-privilege': '| title:line description:multi functions-performed=function-performed*:str',
  'system-id': 'identifier-type | #id:str',

  // assessment-common
  'import-ssp': 'href | remarks:multi',
  'local-objective': `control-id | description:multi ${SHARED} parts=part*:part remarks:multi`,
  activity: `uuid | title:line description:multi ${SHARED} steps=step*:step related-controls:reviewed-controls ${RR} remarks:multi`,
  step: `uuid | title:line description:multi ${SHARED} reviewed-controls:reviewed-controls ${RR} remarks:multi`,
  task: `uuid type | title:line description:multi ${SHARED} timing:timing dependencies=dependency*:dependency tasks=task*:task associated-activities=associated-activity*:associated-activity subjects=subject*:assessment-subject ${RR} remarks:multi`,
  timing: '| on-date:on-date within-date-range:within-date-range at-frequency:at-frequency',
  'on-date': 'date |',
  'within-date-range': 'start end |',
  'at-frequency': 'period:int unit |',
  dependency: 'task-uuid | remarks:multi',
  'associated-activity': `activity-uuid | ${SHARED} ${RR} subjects=subject*:assessment-subject remarks:multi`,
  'assessment-subject': `type | description:multi ${SHARED} include-all:empty include-subjects=include-subject*:select-subject exclude-subjects=exclude-subject*:select-subject remarks:multi`,
  'select-subject': `subject-uuid type | ${SHARED} remarks:multi`,
  'subject-reference': `subject-uuid type | title:line ${SHARED} remarks:multi`,
  'assessment-assets': '| components=component*:system-component assessment-platforms=assessment-platform*:assessment-platform',
  'assessment-platform': `uuid | title:line ${SHARED} uses-components=uses-component*:uses-component remarks:multi`,
  'uses-component': `component-uuid | ${SHARED} ${RP} remarks:multi`,
  'reviewed-controls': `| description:multi ${SHARED} control-selections=control-selection*:control-selection control-objective-selections=control-objective-selection*:control-objective-selection remarks:multi`,
  'control-selection': `| description:multi ${SHARED} include-all:empty include-controls=include-control*:select-control-by-id exclude-controls=exclude-control*:select-control-by-id remarks:multi`,
  'select-control-by-id': 'control-id | statement-ids=statement-id*:str',
  'control-objective-selection': `| description:multi ${SHARED} include-all:empty include-objectives=include-objective*:select-objective exclude-objectives=exclude-objective*:select-objective remarks:multi`,
  'select-objective': 'objective-id |',
  'assessment-part': 'uuid name ns class | title:line props=prop*:property prose:~multi parts=part*:assessment-part links=link*:link',
  observation: `uuid | title:line description:multi ${SHARED} methods=method*:str types=type*:str origins=origin*:origin subjects=subject*:subject-reference relevant-evidence=relevant-evidence*:relevant-evidence collected:str expires:str remarks:multi`,
  origin: '| actors=actor*:origin-actor related-tasks=related-task*:related-task',
  'origin-actor': `type actor-uuid role-id | ${SHARED}`,
  'related-task': `task-uuid | ${SHARED} ${RP} subjects=subject*:assessment-subject identified-subject:identified-subject remarks:multi`,
  'identified-subject': 'subject-placeholder-uuid | subjects=subject*:assessment-subject',
  'relevant-evidence': `href | description:multi ${SHARED} remarks:multi`,
  risk: `uuid | title:line description:multi statement:multi ${SHARED} status:str origins=origin*:origin threat-ids=threat-id*:threat-id characterizations=characterization*:characterization mitigating-factors=mitigating-factor*:mitigating-factor deadline:str remediations=response*:response risk-log:risk-log related-observations=related-observation*:related-observation`,
  'threat-id': 'system href | #id:str',
  characterization: `| ${SHARED} origin:origin facets=facet*:facet`,
  facet: `name system value | ${SHARED} remarks:multi`,
  'mitigating-factor': `uuid implementation-uuid | description:multi ${SHARED} subjects=subject*:subject-reference`,
  response: `uuid lifecycle | title:line description:multi ${SHARED} origins=origin*:origin required-assets=required-asset*:required-asset tasks=task*:task remarks:multi`,
  'required-asset': `uuid | subjects=subject*:subject-reference title:line description:multi ${SHARED} remarks:multi`,
  'risk-log': '| entries=entry*:risk-log-entry',
  'risk-log-entry': `uuid | title:line description:multi start:str end:str ${SHARED} logged-by=logged-by*:logged-by status-change:str related-responses=related-response*:related-response remarks:multi`,
  'related-response': `response-uuid | ${SHARED} related-tasks=related-task*:related-task remarks:multi`,
  'logged-by': 'party-uuid role-id |',
  'related-observation': 'observation-uuid |',
  'associated-risk': 'risk-uuid |',
  finding: `uuid | title:line description:multi ${SHARED} origins=origin*:origin target:finding-target implementation-statement-uuid:str related-observations=related-observation*:related-observation related-risks=associated-risk*:associated-risk remarks:multi`,
  'finding-target': `type target-id | title:line description:multi ${SHARED} status:objective-status implementation-status:implementation-status remarks:multi`,
  'objective-status': 'state reason | remarks:multi',
  'implementation-status': 'state | remarks:multi',

  // assessment plan
  'assessment-plan': 'uuid | metadata:metadata import-ssp:import-ssp local-definitions:ap-local-definitions terms-and-conditions:terms-and-conditions reviewed-controls:reviewed-controls assessment-subjects=assessment-subject*:assessment-subject assessment-assets:assessment-assets tasks=task*:task back-matter:back-matter',
  'ap-local-definitions': `| components=component*:system-component inventory-items=inventory-item*:inventory-item users=user*:system-user objectives-and-methods=objectives-and-methods*:local-objective activities=activity*:activity remarks:multi`,
  'terms-and-conditions': '| parts=part*:assessment-part',

  // assessment results
  'assessment-results': 'uuid | metadata:metadata import-ap:import-ap local-definitions:ar-local-definitions results=result*:result back-matter:back-matter',
  'import-ap': 'href | remarks:multi',
  'ar-local-definitions': '| objectives-and-methods=objectives-and-methods*:local-objective activities=activity*:activity remarks:multi',
  result: `uuid | title:line description:multi ${SHARED} start:str end:str local-definitions:result-local-definitions reviewed-controls:reviewed-controls attestations=attestation*:attestation assessment-log:assessment-log observations=observation*:observation risks=risk*:risk findings=finding*:finding remarks:multi`,
  'result-local-definitions': '| components=component*:system-component inventory-items=inventory-item*:inventory-item users=user*:system-user assessment-assets:assessment-assets tasks=task*:task',
  attestation: `| ${RP} parts=part*:assessment-part`,
  'assessment-log': '| entries=entry*:ar-log-entry',
  'ar-log-entry': `uuid | title:line description:multi start:str end:str ${SHARED} logged-by=logged-by*:logged-by related-tasks=related-task*:related-task remarks:multi`,

  // POA&M
  'plan-of-action-and-milestones': 'uuid | metadata:metadata import-ssp:import-ssp system-id:system-id local-definitions:poam-local-definitions observations=observation*:observation risks=risk*:risk findings=finding*:finding poam-items=poam-item*:poam-item back-matter:back-matter',
  'poam-local-definitions': '| components=component*:system-component inventory-items=inventory-item*:inventory-item assessment-assets:assessment-assets remarks:multi',
  'poam-item': `uuid | title:line description:multi ${SHARED} origins=origin*:origin related-findings=related-finding*:related-finding related-observations=related-observation*:related-observation related-risks=associated-risk*:associated-risk remarks:multi`,
  'related-finding': 'finding-uuid |',
};
