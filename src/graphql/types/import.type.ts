import { Field, ObjectType } from 'type-graphql';
import type { ImportSummary } from '../../domain/content.js';
import { CountType } from './content.type.js';

@ObjectType({ description: 'One imported document: kind, id, title, version and counts.' })
export class ImportSummaryType {
  @Field(() => String) documentId!: string;
  @Field(() => String) kind!: string;
  @Field(() => String) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { nullable: true }) release?: string;
  @Field(() => String) file!: string;
  @Field(() => String) sha256!: string;
  @Field(() => [CountType]) counts!: CountType[];
  @Field(() => Boolean, { description: 'True when the same file (sha256) was already stored.' }) alreadyPresent!: boolean;
}

export function mapImportSummary(s: ImportSummary): ImportSummaryType {
  return { ...s, counts: Object.entries(s.counts).map(([name, value]) => ({ name, value })) };
}
