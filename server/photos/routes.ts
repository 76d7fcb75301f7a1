import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { readStoredPhoto } from '../evidence/photo_store.ts';
import { idParamsSchema } from '../http/common_schemas.ts';
import { notFound } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { badRequest } from '../http/errors.ts';
import { selectPhoto } from './queries.ts';
import { PHOTO_TAGS, uploadPhoto } from './service.ts';

const uploadFields = z.object({
  tag: z.enum(PHOTO_TAGS, { message: `tag must be one of ${PHOTO_TAGS.join(', ')}` }).default('other'),
  violationId: z.coerce.number().int().positive('violationId must be a positive id').optional(),
});

/** Evidence photos: upload (multipart) and the scoped image files. */
export function photoRoutes(config: AppConfig) {
  const sendImage = (kind: 'thumbnail' | 'original') =>
    defineRoute({
      method: 'get',
      path: `/photos/:id/${kind}`,
      tag: 'photos',
      summary: kind === 'thumbnail' ? 'A photo thumbnail (WebP, ≤ 480 px), within the user’s jurisdiction' : 'The original photo, within the user’s jurisdiction',
      access: { permission: 'violations.read' },
      params: idParamsSchema,
      responseType: kind === 'thumbnail' ? 'image/webp' : 'image/*',
      handler: async ({ db, params, response }) => {
        const photo = await selectPhoto(db, params.id);
        if (!photo) throw notFound('PHOTO_NOT_FOUND', `No photo with id ${params.id}`, { id: params.id });
        const bytes = await readStoredPhoto(config.LUYU_PHOTO_DIR, kind === 'thumbnail' ? photo.thumbnail_path : photo.storage_path);
        response.setHeader('Content-Type', kind === 'thumbnail' ? 'image/webp' : photo.media_type);
        // Evidence is not public: private caching only, never a shared cache.
        response.setHeader('Cache-Control', 'private, max-age=86400, immutable');
        response.setHeader('X-Content-Type-Options', 'nosniff');
        response.end(bytes);
        return undefined;
      },
    });

  return [
    defineRoute({
      method: 'post',
      path: '/photos',
      tag: 'photos',
      summary: 'Upload an evidence photo (multipart: file, tag before/after/other, violationId?); type from content, EXIF time and GPS read',
      access: { permission: 'findings.record' },
      upload: { field: 'file', maxBytes: config.LUYU_PHOTO_MAX_BYTES },
      body: uploadFields,
      successStatus: 201,
      handler: async ({ db, body, file, audit, ...input }) => {
        const user = requireUser(input);
        if (!file) throw badRequest('FILE_MISSING', 'Send the photo as the multipart field "file"');
        const photo = await uploadPhoto(
          db,
          { bytes: await file.readBytes(), tag: body.tag, violationId: body.violationId ?? null, photoRoot: config.LUYU_PHOTO_DIR, maxBytes: config.LUYU_PHOTO_MAX_BYTES },
          user,
        );
        await audit({ action: 'photo.upload', entityType: 'photo', entityId: photo.id, after: { tag: photo.tag, violationId: photo.violationId, mediaType: photo.mediaType, byteSize: photo.byteSize } });
        return photo;
      },
    }),
    sendImage('thumbnail'),
    sendImage('original'),
  ];
}
