import sharp from 'sharp';

export const THUMBNAIL_MAX_EDGE_PIXELS = 480;

export interface Thumbnail {
  bytes: Buffer;
  mediaType: 'image/webp' | 'image/jpeg';
  width: number;
  height: number;
}

/**
 * A list/map preview: upright (EXIF orientation applied, because browsers disagree on honouring it
 * and the thumbnail carries no EXIF to honour), at most 480 px on the long side, never enlarged.
 * sharp drops all metadata unless asked to keep it: the preview must not leak the GPS position or
 * camera serial of an evidence photo to every list viewer.
 */
export async function makeThumbnail(bytes: Uint8Array, format: 'webp' | 'jpeg' = 'webp'): Promise<Thumbnail> {
  const pipeline = sharp(bytes)
    .rotate()
    .resize({ width: THUMBNAIL_MAX_EDGE_PIXELS, height: THUMBNAIL_MAX_EDGE_PIXELS, fit: 'inside', withoutEnlargement: true });
  const encoded = format === 'webp' ? pipeline.webp({ quality: 78 }) : pipeline.jpeg({ quality: 80, mozjpeg: true });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { bytes: data, mediaType: format === 'webp' ? 'image/webp' : 'image/jpeg', width: info.width, height: info.height };
}
