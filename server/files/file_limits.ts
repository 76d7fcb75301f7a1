import type { AppConfig } from '../config.ts';

/** What one parse of an untrusted file may cost (docs/operations.md#upload-limits). */
export interface ParseLimits {
  /** V8 heap of the parsing worker (maxOldGenerationSizeMb); exceeding it kills the worker. */
  memoryMegabytes: number;
  /** Wall-clock budget of the whole parse, including waiting for the database to take the features. */
  timeoutMilliseconds: number;
  /**
   * Budget of the worker alone for its next answer (the next chunk of features, or an import's
   * rows): a reader that spins without producing anything is stopped after this, not after the
   * whole parse budget.
   */
  stallMilliseconds: number;
  maxFeatures: number;
  maxZipEntries: number;
  /** Sum of the inflated sizes of the zip entries that are extracted. */
  maxUncompressedBytes: number;
  /** Inflated bytes per byte of the zip file: zip bombs inflate hundreds of times. */
  maxCompressionRatio: number;
}

export function parseLimitsOf(config: AppConfig): ParseLimits {
  return {
    memoryMegabytes: config.LUYU_PARSE_MEMORY_MB,
    timeoutMilliseconds: config.LUYU_PARSE_TIMEOUT_SECONDS * 1000,
    stallMilliseconds: config.LUYU_PARSE_STALL_SECONDS * 1000,
    maxFeatures: config.LUYU_PARSE_MAX_FEATURES,
    maxZipEntries: config.LUYU_ZIP_MAX_ENTRIES,
    maxUncompressedBytes: config.LUYU_ZIP_MAX_UNCOMPRESSED_MB * 1024 * 1024,
    maxCompressionRatio: config.LUYU_ZIP_MAX_RATIO,
  };
}

/**
 * Why an untrusted file was refused: a stable code (client messages in both languages) and a
 * message that says which limit and how to get under it.
 */
export class FileRejectedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
