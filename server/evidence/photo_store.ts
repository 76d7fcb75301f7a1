import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import { makeThumbnail } from './make_thumbnail.ts';
import { readPhotoMetadata, type PhotoMetadata } from './read_photo_metadata.ts';
import { sniffImageType, type PhotoMediaType } from './sniff_image_type.ts';

export const DEFAULT_MAX_PHOTO_BYTES = 15 * 1024 * 1024;

export interface StoredPhoto {
  sha256: string;
  byteSize: number;
  mediaType: PhotoMediaType;
  /** Relative to the store root, `/`-separated: `2024/05/<sha256>.jpg`. Store this, not an absolute path. */
  storagePath: string;
  /** Relative to the store root: `2024/05/<sha256>-thumb.webp`. */
  thumbnailPath: string;
  /** Upright (orientation-applied) pixel size of the original. */
  width: number;
  height: number;
  metadata: PhotoMetadata;
  /** True when these exact bytes were already in the store and nothing was written. */
  alreadyStored: boolean;
}

export interface StorePhotoInput {
  root: string;
  bytes: Uint8Array;
  maxBytes?: number;
  /** Decides the `<yyyy>/<mm>` folder of a first upload; injectable for tests. */
  now?: Date;
}

/** Year and month on the Shanghai calendar, so a photo stored at 01:00 on the 1st is not filed in the previous month. */
function shanghaiYearMonth(now: Date): { year: string; month: string } {
  const shifted = new Date(now.getTime() + 8 * 3600_000);
  return { year: String(shifted.getUTCFullYear()), month: String(shifted.getUTCMonth() + 1).padStart(2, '0') };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Content addressing must survive month boundaries: the same bytes uploaded in June and again in
 * July are one file. The month folders are few (12 a year), so looking in each is cheap.
 */
async function findExistingFolder(root: string, fileName: string): Promise<string | null> {
  let years: string[];
  try {
    years = (await readdir(root)).filter((name) => /^\d{4}$/.test(name));
  } catch {
    return null;
  }
  for (const year of years.sort()) {
    const months = (await readdir(path.join(root, year))).filter((name) => /^\d{2}$/.test(name));
    for (const month of months.sort()) {
      if (await exists(path.join(root, year, month, fileName))) return `${year}/${month}`;
    }
  }
  return null;
}

/** Temp file in the same directory, then rename: readers never see a half-written photo, and a crash leaves only a `.tmp`. */
async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function pixelSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  try {
    const info = await sharp(bytes).metadata();
    return { width: info.autoOrient.width, height: info.autoOrient.height };
  } catch (error) {
    throw new AppError(422, 'IMAGE_UNREADABLE', `the photo could not be decoded (${(error as Error).message}); upload the original file from the camera`);
  }
}

/**
 * Validates and stores a photo with its thumbnail under `root`, content-addressed by SHA-256.
 * Throws AppError `PAYLOAD_TOO_LARGE` (413), `UNSUPPORTED_MEDIA_TYPE` (415), `IMAGE_UNREADABLE` (422).
 */
export async function storePhoto({ root, bytes, maxBytes = DEFAULT_MAX_PHOTO_BYTES, now = new Date() }: StorePhotoInput): Promise<StoredPhoto> {
  if (bytes.byteLength > maxBytes) {
    throw new AppError(
      413,
      'PAYLOAD_TOO_LARGE',
      `the photo is ${(bytes.byteLength / 1048576).toFixed(1)} MB; photos must be at most ${(maxBytes / 1048576).toFixed(1)} MB`,
    );
  }
  const { mediaType, extension } = await sniffImageType(bytes);
  const { width, height } = await pixelSize(bytes);
  const metadata = await readPhotoMetadata(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const originalName = `${sha256}.${extension}`;
  const thumbnailName = `${sha256}-thumb.webp`;

  const existingFolder = await findExistingFolder(root, originalName);
  const { year, month } = shanghaiYearMonth(now);
  const folder = existingFolder ?? `${year}/${month}`;
  const directory = path.join(root, ...folder.split('/'));
  await mkdir(directory, { recursive: true });

  // The thumbnail goes first: once the original exists, its thumbnail exists too.
  let wroteSomething = false;
  if (!(await exists(path.join(directory, thumbnailName)))) {
    // A header that reads but pixel data that does not (a truncated or corrupt PNG) fails only here.
    const thumbnail = await makeThumbnail(bytes, 'webp').catch((error: unknown) => {
      throw new AppError(422, 'IMAGE_UNREADABLE', `the photo could not be decoded (${(error as Error).message}); upload the original file from the camera`);
    });
    await writeAtomically(path.join(directory, thumbnailName), thumbnail.bytes);
    wroteSomething = true;
  }
  if (!(await exists(path.join(directory, originalName)))) {
    await writeAtomically(path.join(directory, originalName), bytes);
    wroteSomething = true;
  }
  return {
    sha256,
    byteSize: bytes.byteLength,
    mediaType,
    storagePath: `${folder}/${originalName}`,
    thumbnailPath: `${folder}/${thumbnailName}`,
    width,
    height,
    metadata,
    alreadyStored: !wroteSomething,
  };
}

function isOutside(relative: string): boolean {
  return relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

function storagePathInvalid(storagePath: string): AppError {
  return new AppError(400, 'STORAGE_PATH_INVALID', `"${storagePath}" is not a stored photo path; expected <yyyy>/<mm>/<sha256>.<ext> inside the photo store`);
}

/**
 * Reads a stored file. `storagePath` comes from the database but is treated as untrusted: absolute
 * paths, `..` and symlinks that lead outside `root` are refused (AppError `STORAGE_PATH_INVALID`);
 * a missing file is `PHOTO_NOT_FOUND` (404).
 */
export async function readStoredPhoto(root: string, storagePath: string): Promise<Buffer> {
  if (storagePath === '' || storagePath.includes('\0') || path.isAbsolute(storagePath) || path.win32.isAbsolute(storagePath)) {
    throw storagePathInvalid(storagePath);
  }
  const resolvedRoot = path.resolve(root);
  const candidate = path.resolve(resolvedRoot, storagePath);
  const relative = path.relative(resolvedRoot, candidate);
  if (isOutside(relative)) throw storagePathInvalid(storagePath);
  let realCandidate: string;
  try {
    realCandidate = await realpath(candidate);
  } catch {
    throw new AppError(404, 'PHOTO_NOT_FOUND', `no stored photo at "${storagePath}"`);
  }
  const realRelative = path.relative(await realpath(resolvedRoot), realCandidate);
  if (isOutside(realRelative)) throw storagePathInvalid(storagePath);
  return readFile(realCandidate);
}
