import { mkdtemp, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/http/errors.ts';
import { makeThumbnail } from '../../../server/evidence/make_thumbnail.ts';
import { readStoredPhoto, storePhoto } from '../../../server/evidence/photo_store.ts';
import { readPhotoMetadata } from '../../../server/evidence/read_photo_metadata.ts';
import { HEIC_SUPPORTED, sniffImageType } from '../../../server/evidence/sniff_image_type.ts';

/** A 40×20 JPEG "shot by a HUAWEI P40" near Zhengzhou, EXIF orientation 6 (shown as 20×40 portrait). */
async function roadsidePhoto(options: { offset?: string; orientation?: number; colour?: string } = {}): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: options.colour ?? '#c03020' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'HUAWEI', Model: 'P40' },
      IFD2: { DateTimeOriginal: '2024:05:01 10:20:30', ...(options.offset ? { OffsetTimeOriginal: options.offset } : {}) },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '34/1 45/1 3000/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '113/1 37/1 0/1',
        GPSAltitudeRef: '0',
        GPSAltitude: '1105/10',
        GPSImgDirectionRef: 'T',
        GPSImgDirection: '9000/100',
      },
    })
    .withMetadata({ orientation: options.orientation ?? 6 })
    .toBuffer();
}

const plainPng = () => sharp({ create: { width: 8, height: 8, channels: 4, background: '#00ff00' } }).png().toBuffer();

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'luyu-photos-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sniffImageType', () => {
  it('detects a JPEG by content', async () => {
    expect(await sniffImageType(await roadsidePhoto())).toEqual({ mediaType: 'image/jpeg', extension: 'jpg' });
  });

  it('detects a PNG even when the upload was called photo.jpg (the name is never consulted)', async () => {
    expect((await sniffImageType(await plainPng())).mediaType).toBe('image/png');
  });

  it('accepts WebP', async () => {
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).webp().toBuffer();
    expect((await sniffImageType(webp)).mediaType).toBe('image/webp');
  });

  it('refuses a text file named .jpg and names the accepted types', async () => {
    const error = await expectAppError(sniffImageType(Buffer.from('not a photo, just text saved as IMG_0001.jpg')), 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toContain('image/jpeg, image/png, image/webp');
  });

  it('refuses a PDF by content', async () => {
    const error = await expectAppError(sniffImageType(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')), 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toContain('application/pdf');
  });

  it.skipIf(HEIC_SUPPORTED)('refuses HEIC with a clear message when this host cannot decode it', async () => {
    // Just the ftyp box of an iPhone HEIC: enough for content sniffing.
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.from([0, 0, 0, 0]), Buffer.from('mif1heic')]);
    const error = await expectAppError(sniffImageType(Buffer.concat([ftyp, Buffer.alloc(64)])), 'UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/HEIC.*cannot be decoded/);
  });
});

describe('readPhotoMetadata', () => {
  it('reads time, GPS and camera from EXIF', async () => {
    const metadata = await readPhotoMetadata(await roadsidePhoto({ offset: '+08:00' }));
    expect(metadata.takenAt).toBe('2024-05-01T10:20:30+08:00');
    expect(metadata.takenAtOffsetAssumed).toBe(false);
    expect(metadata.cameraMake).toBe('HUAWEI');
    expect(metadata.cameraModel).toBe('P40');
    expect(metadata.gps?.latitude).toBeCloseTo(34 + 45 / 60 + 30 / 3600, 9);
    expect(metadata.gps?.longitude).toBeCloseTo(113 + 37 / 60, 9);
    expect(metadata.gps?.altitudeMeters).toBeCloseTo(110.5, 6);
    expect(metadata.gps?.directionDegrees).toBeCloseTo(90, 6);
  });

  it('keeps an explicit offset from the photo', async () => {
    expect((await readPhotoMetadata(await roadsidePhoto({ offset: '+09:00' }))).takenAt).toBe('2024-05-01T10:20:30+09:00');
  });

  it('interprets a time without offset as Asia/Shanghai and says it assumed so', async () => {
    const metadata = await readPhotoMetadata(await roadsidePhoto());
    expect(metadata.takenAt).toBe('2024-05-01T10:20:30+08:00');
    expect(metadata.takenAtOffsetAssumed).toBe(true);
    expect(new Date(metadata.takenAt ?? '').toISOString()).toBe('2024-05-01T02:20:30.000Z');
  });

  it('reads EXIF from WebP too', async () => {
    const webp = await sharp(await roadsidePhoto({ offset: '+08:00' })).webp().keepExif().toBuffer();
    expect((await readPhotoMetadata(webp)).gps?.longitude).toBeCloseTo(113.6166667, 6);
  });

  it('gives nulls, not an exception, for a photo without EXIF or for garbage', async () => {
    const empty = { takenAt: null, takenAtOffsetAssumed: false, gps: null, cameraMake: null, cameraModel: null };
    expect(await readPhotoMetadata(await plainPng())).toEqual(empty);
    expect(await readPhotoMetadata(Buffer.from('garbage'))).toEqual(empty);
  });
});

describe('makeThumbnail', () => {
  it('turns the photo upright by EXIF orientation and strips all metadata', async () => {
    const thumbnail = await makeThumbnail(await roadsidePhoto({ orientation: 6 }));
    expect(thumbnail.mediaType).toBe('image/webp');
    expect([thumbnail.width, thumbnail.height]).toEqual([20, 40]);
    const info = await sharp(thumbnail.bytes).metadata();
    expect(info.format).toBe('webp');
    expect(info.exif).toBeUndefined();
    expect(info.orientation).toBeUndefined();
  });

  it('limits the long side to 480 px', async () => {
    const large = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#777777' } }).jpeg().toBuffer();
    const thumbnail = await makeThumbnail(large, 'jpeg');
    expect([thumbnail.width, thumbnail.height]).toEqual([480, 270]);
    expect(thumbnail.mediaType).toBe('image/jpeg');
  });
});

describe('storePhoto and readStoredPhoto', () => {
  it('stores original and thumbnail content-addressed under <yyyy>/<mm> on the Shanghai calendar', async () => {
    const bytes = await roadsidePhoto({ colour: '#101010' });
    // 2024-05-31T17:00Z is already 1 June in Shanghai.
    const stored = await storePhoto({ root, bytes, now: new Date('2024-05-31T17:00:00Z') });
    expect(stored.storagePath).toBe(`2024/06/${stored.sha256}.jpg`);
    expect(stored.thumbnailPath).toBe(`2024/06/${stored.sha256}-thumb.webp`);
    expect(stored).toMatchObject({ byteSize: bytes.length, mediaType: 'image/jpeg', width: 20, height: 40, alreadyStored: false });
    expect(stored.metadata.gps?.latitude).toBeCloseTo(34.7583333, 6);
    expect(Buffer.compare(await readStoredPhoto(root, stored.storagePath), bytes)).toBe(0);
    expect((await sharp(await readStoredPhoto(root, stored.thumbnailPath)).metadata()).format).toBe('webp');
  });

  it('stores the same bytes once, even when they come again in a later month', async () => {
    const bytes = await roadsidePhoto({ colour: '#202020' });
    const first = await storePhoto({ root, bytes, now: new Date('2024-07-10T00:00:00Z') });
    const second = await storePhoto({ root, bytes, now: new Date('2024-09-10T00:00:00Z') });
    expect(second.storagePath).toBe(first.storagePath);
    expect(second.alreadyStored).toBe(true);
    const files = (await readdir(path.join(root, '2024', '07'))).filter((name) => name.startsWith(first.sha256));
    expect(files.sort()).toEqual([`${first.sha256}-thumb.webp`, `${first.sha256}.jpg`]);
    await expect(readdir(path.join(root, '2024', '09'))).rejects.toThrow();
  });

  it('files a PNG named .jpg as .png, and leaves no temporary files behind', async () => {
    const stored = await storePhoto({ root, bytes: await plainPng(), now: new Date('2024-08-01T00:00:00Z') });
    expect(stored.storagePath.endsWith('.png')).toBe(true);
    expect((await readdir(path.join(root, '2024', '08'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a text file before writing anything', async () => {
    await expectAppError(storePhoto({ root, bytes: Buffer.from('hello'), now: new Date('2030-01-01T00:00:00Z') }), 'UNSUPPORTED_MEDIA_TYPE');
    await expect(readdir(path.join(root, '2030'))).rejects.toThrow();
  });

  it('refuses an oversized upload with PAYLOAD_TOO_LARGE', async () => {
    const error = await expectAppError(storePhoto({ root, bytes: Buffer.alloc(15 * 1024 * 1024 + 1) }), 'PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('at most 15.0 MB');
    await expectAppError(storePhoto({ root, bytes: await roadsidePhoto(), maxBytes: 100 }), 'PAYLOAD_TOO_LARGE');
  });

  it('refuses storage paths that escape the root', async () => {
    for (const attempt of ['../outside.jpg', '2024/../../outside.jpg', '/etc/passwd', 'C:\\Windows\\win.ini', '', '.']) {
      await expectAppError(readStoredPhoto(root, attempt), 'STORAGE_PATH_INVALID');
    }
    await mkdir(path.join(root, 'links'), { recursive: true });
    await symlink('/etc', path.join(root, 'links', 'etc'));
    await expectAppError(readStoredPhoto(root, 'links/etc/hostname'), 'STORAGE_PATH_INVALID');
    await expectAppError(readStoredPhoto(root, '2024/01/missing.jpg'), 'PHOTO_NOT_FOUND');
  });
});
