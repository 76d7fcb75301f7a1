import exifr from 'exifr';
import sharp from 'sharp';

export interface PhotoGps {
  /** WGS84 degrees: EXIF GPS comes from the receiver, which reports WGS84 (GCJ-02 is applied only by map apps). */
  longitude: number;
  latitude: number;
  altitudeMeters: number | null;
  /** Direction the camera faced, degrees clockwise from north (true or magnetic as the camera recorded). */
  directionDegrees: number | null;
}

export interface PhotoMetadata {
  /** ISO 8601 with offset, e.g. `2024-05-01T10:20:30+08:00`. */
  takenAt: string | null;
  /** True when the photo carried no offset and Asia/Shanghai (UTC+8) was assumed. */
  takenAtOffsetAssumed: boolean;
  gps: PhotoGps | null;
  cameraMake: string | null;
  cameraModel: string | null;
}

const EMPTY: PhotoMetadata = { takenAt: null, takenAtOffsetAssumed: false, gps: null, cameraMake: null, cameraModel: null };

/**
 * EXIF local times without OffsetTime* are the camera's wall clock. Every deployment of this
 * platform is in China, so the wall clock is Asia/Shanghai (UTC+8, no daylight saving since 1991).
 */
const ASSUMED_OFFSET = '+08:00';

const EXIF_DATE_PATTERN = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const OFFSET_PATTERN = /^[+-](0\d|1[0-4]):[0-5]\d$/;

type ExifTags = Record<string, unknown>;

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // EXIF ASCII fields are often NUL- or space-padded to a fixed length.
  const trimmed = value.replace(/\0+$/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

function finiteNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.length === 1) return finiteNumber(value[0]);
  return null;
}

function firstByte(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (value instanceof Uint8Array) return value[0] ?? null;
  if (typeof value === 'string') return Number(value);
  return null;
}

function readTakenAt(tags: ExifTags): { takenAt: string | null; takenAtOffsetAssumed: boolean } {
  const candidates: [unknown, unknown][] = [
    [tags.DateTimeOriginal, tags.OffsetTimeOriginal],
    [tags.CreateDate, tags.OffsetTimeDigitized],
  ];
  for (const [dateValue, offsetValue] of candidates) {
    const match = EXIF_DATE_PATTERN.exec(text(dateValue) ?? '');
    if (!match) continue;
    const [, year, month, day, hour, minute, second] = match;
    // "0000:00:00 00:00:00" is what cameras write when the clock was never set.
    if (year === '0000' || month === '00' || day === '00') continue;
    const offset = text(offsetValue);
    const hasOffset = offset !== null && OFFSET_PATTERN.test(offset);
    const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${hasOffset ? offset : ASSUMED_OFFSET}`;
    if (Number.isNaN(Date.parse(iso))) continue;
    return { takenAt: iso, takenAtOffsetAssumed: !hasOffset };
  }
  return { takenAt: null, takenAtOffsetAssumed: false };
}

function degrees(value: unknown): number | null {
  if (!Array.isArray(value) || value.length === 0) return finiteNumber(value);
  const [d, m = 0, s = 0] = value.map((part) => finiteNumber(part));
  if (d === null || d === undefined || m === null || s === null) return null;
  return d + m / 60 + s / 3600;
}

function readGps(tags: ExifTags): PhotoGps | null {
  const latitudeAbs = degrees(tags.GPSLatitude);
  const longitudeAbs = degrees(tags.GPSLongitude);
  if (latitudeAbs === null || longitudeAbs === null) return null;
  const latitude = text(tags.GPSLatitudeRef)?.toUpperCase() === 'S' ? -latitudeAbs : latitudeAbs;
  const longitude = text(tags.GPSLongitudeRef)?.toUpperCase() === 'W' ? -longitudeAbs : longitudeAbs;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  // Many phones write 0/0 when they had no fix; a roadside photo at Null Island is never real.
  if (latitude === 0 && longitude === 0) return null;
  const altitude = finiteNumber(tags.GPSAltitude);
  const direction = finiteNumber(tags.GPSImgDirection);
  return {
    longitude,
    latitude,
    altitudeMeters: altitude === null ? null : firstByte(tags.GPSAltitudeRef) === 1 ? -altitude : altitude,
    directionDegrees: direction !== null && direction >= 0 && direction <= 360 ? direction : null,
  };
}

/** The TIFF structure inside sharp's EXIF block, which starts with the APP1 marker text "Exif\0\0". */
function tiffBlock(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

/**
 * Reads when, where and with what a photo was taken. A photo without EXIF (screenshots, messaging
 * apps strip it) or with broken EXIF gives nulls: missing metadata weakens evidence, it does not
 * make the upload invalid.
 */
export async function readPhotoMetadata(bytes: Uint8Array): Promise<PhotoMetadata> {
  let tags: ExifTags | undefined;
  try {
    // sharp extracts the EXIF block uniformly from JPEG, PNG, WebP and HEIF; exifr alone cannot
    // read WebP. Raw values (reviveValues: false) keep the EXIF wall-clock string, which exifr
    // would otherwise turn into a Date in the server's own time zone.
    const { exif } = await sharp(bytes).metadata();
    if (!exif || exif.length === 0) return { ...EMPTY };
    tags = (await exifr.parse(tiffBlock(exif), { tiff: true, exif: true, gps: true, reviveValues: false, translateValues: false })) as
      | ExifTags
      | undefined;
  } catch {
    return { ...EMPTY };
  }
  if (!tags) return { ...EMPTY };
  return {
    ...readTakenAt(tags),
    gps: readGps(tags),
    cameraMake: text(tags.Make),
    cameraModel: text(tags.Model),
  };
}
