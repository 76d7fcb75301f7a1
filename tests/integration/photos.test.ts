import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

const MAX_BYTES = 200_000;
let photoDir: string;
let server: TestServer;

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-photos-'));
  server = await startTestServer({ as: 'officer', env: { LUYU_PHOTO_DIR: photoDir, LUYU_PHOTO_MAX_BYTES: String(MAX_BYTES) } });
});
afterAll(async () => {
  await server.close();
  rmSync(photoDir, { recursive: true, force: true });
});

async function sitePhoto(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: colour } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'HUAWEI', Model: 'P40' },
      IFD2: { DateTimeOriginal: '2026:11:20 09:15:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 41/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '113/1 45/1 0/1' },
    })
    .toBuffer();
}

function form(bytes: Buffer, fileName: string, fields: Record<string, string> = {}): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  body.set('file', new Blob([new Uint8Array(bytes)]), fileName);
  return body;
}

async function auditRows(requestId: string | null): Promise<number> {
  const result = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM audit_log WHERE request_id = $1', [requestId]);
  return result.rows[0]!.count;
}

describe('evidence photos', () => {
  it('stores a photo with its EXIF time and place, serves the thumbnail and original, and audits once', async () => {
    const response = await server.request('/photos', { method: 'POST', body: form(await sitePhoto('#c03020'), 'IMG_0001.jpg', { tag: 'before' }) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ tag: 'before', mediaType: 'image/jpeg', width: 64, height: 48, violationId: null });
    expect(response.body.takenAt).toBe('2026-11-20T01:15:00.000Z');
    expect(response.body.location.coordinates[0]).toBeCloseTo(113.75, 4);
    expect(response.body.location.coordinates[1]).toBeCloseTo(34.6917, 3);
    expect(await auditRows(response.headers.get('x-request-id'))).toBe(1);

    const thumbnail = await fetch(`${server.baseUrl}${response.body.thumbnailUrl}`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()).format).toBe('webp');
    const original = await fetch(`${server.baseUrl}${response.body.originalUrl}`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(original.headers.get('content-type')).toBe('image/jpeg');
  });

  it('judges the type by content: a PNG named .jpg is a PNG, a text file named .jpg is refused', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00ff00' } }).png().toBuffer();
    const asPng = await server.request('/photos', { method: 'POST', body: form(png, 'looks-like.jpg') });
    expect(asPng.status).toBe(201);
    expect(asPng.body.mediaType).toBe('image/png');
    const text = await server.request('/photos', { method: 'POST', body: form(Buffer.from('not a photo at all'), 'evil.jpg') });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a file over the size limit with 413 and a form without a file with 400', async () => {
    const large = await server.request('/photos', { method: 'POST', body: form(Buffer.alloc(MAX_BYTES + 1, 1), 'big.jpg') });
    expect(large.status).toBe(413);
    expect(large.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const none = new FormData();
    none.set('tag', 'after');
    const missing = await server.request('/photos', { method: 'POST', body: none });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('FILE_MISSING');
    const badTag = await server.request('/photos', { method: 'POST', body: form(await sitePhoto('#101010'), 'x.jpg', { tag: 'during' }) });
    expect(badTag.status).toBe(400);
  });

  it('never serves a photo outside the viewer’s jurisdiction', async () => {
    const uploaded = await server.request('/photos', { method: 'POST', body: form(await sitePhoto('#2050a0'), 'IMG_0002.jpg') });
    const sibling = await server.login('officer2');
    const foreign = await server.requestWith(sibling, `/photos/${uploaded.body.id}/thumbnail`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('PHOTO_NOT_FOUND');
  });

  it('refuses uploads from roles that do not record findings', async () => {
    const viewer = await server.login('viewer');
    const refused = await server.requestWith(viewer, '/photos', { method: 'POST', body: form(await sitePhoto('#777777'), 'v.jpg') });
    expect(refused.status).toBe(403);
  });
});
