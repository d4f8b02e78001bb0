/** Filter inputs of the library's lists. */
import { Field, InputType } from 'type-graphql';
import type { DocumentKind } from '../../domain/content.js';
import type { Severity } from '../../domain/results.js';
import { DocumentKindEnum, SeverityEnum } from './enums.js';

@InputType('DocumentFilterInput', { description: 'Which documents to list.' })
export class DocumentFilterInput {
  @Field(() => DocumentKindEnum, { nullable: true, description: 'Only documents of this kind.' }) kind?: DocumentKind;
}

@InputType('RuleFilterInput', { description: "Which of a benchmark's rules to list." })
export class RuleFilterInput {
  @Field(() => SeverityEnum, { nullable: true, description: 'Only rules of this severity.' }) severity?: Severity;
}

@InputType('BaselineFilterInput', { description: 'Which baselines to list.' })
export class BaselineFilterInput {
  @Field(() => String, { nullable: true, description: 'Only baselines whose resolved catalog holds this control or enhancement, e.g. "ac-2.1".' }) selectsControl?: string;
}
