import { AppError } from '../http/errors.ts';

/** A stale baseVersion or an entity that moved on: reported as `conflict` with the server's version. */
export class SyncConflict extends Error {
  constructor(
    readonly error: AppError,
    readonly server: unknown,
  ) {
    super(error.message);
  }
}
