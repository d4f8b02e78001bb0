/**
 * Uploads: content a person stages (`POST /uploads`) and then names by id in mutations, so that no GraphQL
 * argument ever names a server path. An upload belongs to the user who made it (their user id, whichever
 * token or OIDC session they used) and is usable only by them, for a limited time; registrations that take
 * TLS material discard their uploads once the material is stored. Who may upload at all is the policy
 * table's rule (src/auth/service-policy.ts), applied before the body is read.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Principal } from '../domain/auth.js';
import { type ContentFile, type ContentInput, displayName, isUploadRef, uploadName } from '../domain/content-input.js';
import { ErrorCode, PlimsollError } from '../domain/errors.js';
import type { UploadService } from '../domain/services.js';
import type { Upload, UploadBody } from '../domain/upload.js';
import type { UploadRepository } from '../repositories/upload-repository.js';

export interface UploadServiceOptions {
  maxBytes: number;
  ttlMinutes: number;
  now?: () => Date;
  newId?: () => string;
}

const isBody = (input: ContentFile | UploadBody): input is UploadBody => typeof (input as UploadBody).read === 'function';

export class DefaultUploadService implements UploadService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(
    private readonly repo: UploadRepository,
    private readonly options: UploadServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  async create(input: ContentFile | UploadBody, actor: Principal): Promise<Upload> {
    const { maxBytes } = this.options;
    const bytes = isBody(input) ? await input.read(maxBytes) : input.bytes;
    if (bytes.length === 0) throw new PlimsollError(ErrorCode.BAD_INPUT, 'the upload is empty');
    if (bytes.length > maxBytes) throw tooLarge(maxBytes);
    const now = this.now();
    await this.repo.deleteExpired(now.toISOString());
    const upload: Upload = {
      id: this.newId(),
      name: uploadName(input.name),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      createdBy: actor.userId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.ttlMinutes * 60_000).toISOString(),
    };
    await this.repo.insert(upload, bytes);
    return upload;
  }

  async resolve(inputs: readonly ContentInput[], actor: Principal): Promise<ContentFile[]> {
    const out: ContentFile[] = [];
    for (const input of inputs) {
      if (!isUploadRef(input)) {
        out.push({ name: displayName(input.name), bytes: input.bytes });
        continue;
      }
      const found = await this.repo.get(input.uploadId);
      // Someone else's upload and an expired one look like no upload at all: ids are not to be probed.
      if (found === undefined || found.upload.createdBy !== actor.userId || found.upload.expiresAt < this.now().toISOString()) {
        throw new PlimsollError(ErrorCode.NOT_FOUND, `no upload ${JSON.stringify(input.uploadId)} of yours (unknown, expired or uploaded by someone else): upload the file with POST /uploads first`);
      }
      out.push({ name: found.upload.name, bytes: found.bytes });
    }
    return out;
  }

  async discard(inputs: readonly ContentInput[], actor: Principal): Promise<void> {
    await this.repo.delete(inputs.filter(isUploadRef).map((i) => i.uploadId), actor.userId);
  }
}

/** The error of a body over the limit (the HTTP transport answers it with 413). */
export function tooLarge(maxBytes: number): PlimsollError {
  return new PlimsollError(ErrorCode.BAD_INPUT, `the upload is larger than the limit of ${maxBytes} bytes (PLIMSOLL_UPLOAD_MAX_BYTES)`);
}

/** Where no upload store is wired (unit tests, tools): bytes pass as given, upload ids are refused. */
export const GIVEN_BYTES_ONLY: Pick<UploadService, 'resolve'> = {
  async resolve(inputs) {
    return inputs.map((i) => {
      if (isUploadRef(i)) throw new PlimsollError(ErrorCode.BAD_INPUT, 'uploads are not available here');
      return { name: displayName(i.name), bytes: i.bytes };
    });
  },
};
