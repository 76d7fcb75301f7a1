import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { PHOTO_TAGS } from '../photos/service.ts';
import { appendChunk, createUpload, finalizeUpload, getUpload, type UploadSettings } from './service.ts';

/** A phone on a weak signal sends small pieces: one lost chunk costs at most this much again. */
export const CHUNK_MAX_BYTES = 1024 * 1024;

const uploadParams = z.object({ id: z.uuid('upload id must be a UUID') });
const createBody = z.object({
  id: z.uuid('id must be a UUID chosen by the device'),
  sizeBytes: z.number().int().positive('sizeBytes must be a positive integer'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'),
  tag: z.enum(PHOTO_TAGS, `tag must be one of ${PHOTO_TAGS.join(', ')}`).default('other'),
});

/** The chunk's starting byte, or null when the header is missing or not a number (refused after the look-up). */
function offsetHeader(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : null;
}

/** Resumable photo uploads (docs/field_app.md). */
export function uploadRoutes(config: AppConfig) {
  const settings: UploadSettings = { photoRoot: config.LUYU_PHOTO_DIR, maxBytes: config.LUYU_PHOTO_MAX_BYTES };
  return [
    defineRoute({
      method: 'post',
      path: '/uploads',
      tag: 'uploads',
      summary: 'Start a resumable photo upload {id, sizeBytes, sha256, tag}; the same id again returns its offset',
      access: { permission: 'findings.record' },
      body: createBody,
      successStatus: 201,
      handler: async ({ db, body, audit, response, ...input }) => {
        const result = await createUpload(db, body, requireUser(input), settings);
        await audit({ action: result.created ? 'upload.create' : 'upload.resume', entityType: 'photo_upload', entityId: body.id, after: { sizeBytes: body.sizeBytes, tag: body.tag } });
        if (!result.created) {
          response.status(200).json(result.upload);
          return undefined;
        }
        return result.upload;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/uploads/:id',
      tag: 'uploads',
      summary: 'An upload\'s state: the offset to resume from, whether it became a photo',
      access: { permission: 'findings.record' },
      params: uploadParams,
      handler: ({ db, params, ...input }) => getUpload(db, params.id, requireUser(input), settings),
    }),
    defineRoute({
      method: 'patch',
      path: '/uploads/:id',
      tag: 'uploads',
      summary: 'Append a chunk (raw bytes, ≤ 1 MiB) at the Upload-Offset header; 409 tells the right offset',
      access: { permission: 'findings.record' },
      params: uploadParams,
      rawBody: { maxBytes: CHUNK_MAX_BYTES },
      handler: async ({ db, params, request, rawBody, audit, ...input }) => {
        const offsetBytes = offsetHeader(request.headers['upload-offset']);
        const state = await appendChunk(db, params.id, offsetBytes, rawBody ?? new Uint8Array(), requireUser(input), settings);
        await audit({ action: 'upload.chunk', entityType: 'photo_upload', entityId: params.id, after: { offsetBytes: state.offsetBytes } });
        return state;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/uploads/:id/finalize',
      tag: 'uploads',
      summary: 'Check the SHA-256 and turn the upload into an evidence photo (idempotent)',
      access: { permission: 'findings.record' },
      params: uploadParams,
      handler: async ({ db, params, audit, ...input }) => {
        const result = await finalizeUpload(db, params.id, requireUser(input), settings);
        await audit({ action: 'upload.finalize', entityType: 'photo_upload', entityId: params.id, after: { photoId: result.upload.photoId } });
        return result.upload;
      },
    }),
  ];
}
