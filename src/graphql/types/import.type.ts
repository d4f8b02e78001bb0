/** GraphQL shapes of content imports. */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { DocumentKind, ImportSummary } from '../../domain/content.js';
import { DocumentKindEnum } from './enums.js';
import { CountType, countsOf } from './oscal.type.js';

@ObjectType('DocumentImport', { description: 'One imported file: the document it became and its counts.' })
export class DocumentImportType {
  @Field(() => String, { description: 'Document id of the stored document.' }) documentId!: string;
  @Field(() => DocumentKindEnum, { description: 'What the document is.' }) kind!: DocumentKind;
  @Field(() => String, { description: 'The id the content declares (OSCAL uuid, XCCDF benchmark id, "cci-list").' }) contentId!: string;
  @Field(() => String, { description: 'Title.' }) title!: string;
  @Field(() => String, { description: 'Version.' }) version!: string;
  @Field(() => String, { nullable: true, description: 'Release of a STIG.' }) release?: string;
  @Field(() => String, { description: 'The name of the file imported (as uploaded).' }) file!: string;
  @Field(() => String, { description: 'sha256 (hex) of the file.' }) sha256!: string;
  @Field(() => [CountType], { description: 'How many items of each kind it holds.' }) counts!: CountType[];
  @Field(() => Boolean, { description: 'True when the same file (sha256) was already stored; nothing was added.' }) alreadyPresent!: boolean;
}

@InputType('ImportDocumentsInput', { description: 'Uploaded content to import, all or nothing.' })
export class ImportDocumentsInput {
  @Field(() => [ID], {
    description: 'Ids that POST /uploads answered with: OSCAL catalogs and profiles (JSON, XML, YAML), XCCDF benchmarks, SCAP data streams, the CCI list. A profile may import catalogs uploaded with it.',
  })
  uploadIds!: string[];
}

@ObjectType('ImportDocumentsPayload', { description: 'The documents an import stored (or found already stored).' })
export class ImportDocumentsPayload {
  @Field(() => [DocumentImportType], { description: 'One entry per file, in the order given.' }) imports!: DocumentImportType[];
}

@InputType('ResolveProfileInput', { description: 'An uploaded OSCAL profile to resolve and store as a baseline.' })
export class ResolveProfileInput {
  @Field(() => ID, { description: 'The profile (JSON, XML or YAML) as POST /uploads answered.' }) uploadId!: string;
  @Field(() => [ID], {
    nullable: true,
    description: 'Uploaded catalogs or profiles the profile imports, matched by uuid or file name; used for resolution, not stored. Omitted: imports come from the library or the content mirror.',
  })
  importUploadIds?: string[];
}

export function mapImport(s: ImportSummary): DocumentImportType {
  const { id, counts, ...rest } = s;
  return { ...rest, contentId: id, counts: countsOf(counts) };
}
