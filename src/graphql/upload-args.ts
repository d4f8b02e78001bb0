/** GraphQL arguments that name content: a stored reference or an upload id, exactly one of the two. */
import type { ContentInput } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';

/** The side named by `ref` (a stored benchmark) or `uploadId`; BAD_INPUT unless exactly one is given. */
export function benchmarkOf(ref: string | null | undefined, uploadId: string | null | undefined, what: string): string | ContentInput {
  const hasRef = ref !== undefined && ref !== null;
  const hasUpload = uploadId !== undefined && uploadId !== null;
  if (hasRef === hasUpload) throw new PlimsollError(ErrorCode.BAD_INPUT, `give either ${what} (a stored benchmark) or ${what}UploadId (an upload), not ${hasRef ? 'both' : 'neither'}`);
  return hasRef ? ref : { uploadId: uploadId! };
}
