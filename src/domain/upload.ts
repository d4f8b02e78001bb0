/** Content staged by `POST /uploads`, for mutations of the same person that name it by id. */
export interface Upload {
  id: string;
  /** Display name: the base name the client gave. */
  name: string;
  size: number;
  sha256: string;
  /** The person who uploaded it; only they can use it. */
  createdBy: string;
  createdAt: string;
  /** Unused uploads are deleted after this moment. */
  expiresAt: string;
}
