import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';

export type PhotoMediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export interface SniffedImageType {
  mediaType: PhotoMediaType;
  /** File extension used in storage paths (no dot). */
  extension: 'jpg' | 'png' | 'webp' | 'heic';
}

/**
 * HEIC needs an HEVC decoder. sharp's prebuilt libvips ships AV1 only (patents), and marks that by
 * listing just `.avif` as heif input suffix; a system libvips built with libde265 lists `.heic` too.
 * Checked once at load so the accepted list in messages matches what this host can actually decode.
 */
export const HEIC_SUPPORTED: boolean = (sharp.format.heif?.input.fileSuffix ?? []).includes('.heic');

export const ACCEPTED_PHOTO_TYPES: readonly PhotoMediaType[] = HEIC_SUPPORTED
  ? ['image/jpeg', 'image/png', 'image/webp', 'image/heic']
  : ['image/jpeg', 'image/png', 'image/webp'];

const EXTENSIONS: Record<PhotoMediaType, SniffedImageType['extension']> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

function unsupported(message: string): AppError {
  return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `${message}; accepted photo types: ${ACCEPTED_PHOTO_TYPES.join(', ')}`);
}

/**
 * Detects the photo type from its bytes. The file name and the client's Content-Type are ignored
 * on purpose: phones and browsers mislabel files, and a name is not evidence of content.
 * Throws AppError `UNSUPPORTED_MEDIA_TYPE` (415) for anything not accepted.
 */
export async function sniffImageType(bytes: Uint8Array): Promise<SniffedImageType> {
  if (bytes.byteLength === 0) throw unsupported('the file is empty');
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) throw unsupported('the file content is not a recognised image');
  // file-type reports HEIC stills as image/heic or image/heif (brand mif1); both are HEVC-coded here.
  const mime = detected.mime === 'image/heif' ? 'image/heic' : detected.mime;
  if (mime === 'image/heic' && !HEIC_SUPPORTED) {
    throw unsupported('HEIC photos cannot be decoded on this server (no HEVC decoder); set the phone camera to "Most Compatible" (JPEG) or convert the photo');
  }
  if (!(ACCEPTED_PHOTO_TYPES as readonly string[]).includes(mime)) {
    throw unsupported(`the file content is ${detected.mime}`);
  }
  const mediaType = mime as PhotoMediaType;
  return { mediaType, extension: EXTENSIONS[mediaType] };
}
