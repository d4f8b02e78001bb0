/**
 * Content that callers hand to the services: never a path on the server. GraphQL callers upload it first
 * (`POST /uploads`) and name the upload; the CLI reads the user's own files and passes their bytes.
 */

/** A document's bytes with a display name (an upload's file name, or the path a CLI user typed). */
export interface ContentFile {
  name: string;
  bytes: Buffer;
}

/** An upload by id (see UploadService), or bytes the caller holds. */
export type ContentInput = ContentFile | { uploadId: string };

/**
 * Documents a profile imports by relative href, found by the transport that holds them: the CLI looks
 * beside the profile on the user's disk, GraphQL among the other uploads of the request. `importing` is
 * the name of the document whose href it is; undefined when there is no such document.
 */
export interface RelatedContent {
  find(href: string, importing: string): Promise<ContentFile | undefined>;
}

export function isUploadRef(input: ContentInput): input is { uploadId: string } {
  return 'uploadId' in input;
}

/** How records (audit targets) name content: the upload id, or the name it was given under; never its bytes. */
export function contentLabel(input: ContentInput | string): string {
  if (typeof input === 'string') return input;
  return isUploadRef(input) ? `upload:${input.uploadId}` : input.name;
}

const MAX_NAME = 255;

/**
 * A display name safe to store and print: control characters removed, at most 255 characters, never
 * empty. Directories are kept (the CLI's own paths); uploads are reduced to a base name by `uploadName`.
 */
export function displayName(raw: string): string {
  const clean = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean === '' ? 'unnamed' : clean).slice(0, MAX_NAME);
}

/** An upload's file name as a client gave it, reduced to its base name (no directory, no control characters). */
export function uploadName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  return displayName(base === '.' || base === '..' ? '' : base);
}
