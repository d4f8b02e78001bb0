/** Content staged by `POST /uploads`, for mutations of the same person that name it by id. */
export interface Upload {
  id: string;
  /** Display name: the base name the client gave. */
  name: string;
  size: number;
  sha256: string;
  /** The user id of the person who uploaded it; only they can use it. */
  createdBy: string;
  createdAt: string;
  /** Unused uploads are deleted after this moment. */
  expiresAt: string;
}

/**
 * An upload's body as the HTTP transport hands it over: read on demand, so that nothing is read before the
 * caller has passed the policy, and never more than `limit` bytes (the read rejects as soon as it is exceeded).
 */
export interface UploadBody {
  name: string;
  read(limit: number): Promise<Buffer>;
}
