import type { AppConfig } from '../config.ts';
import { idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { parsePayload, registerActionKind, requirePermission } from '../sync/action_handlers.ts';
import { appendTrackChunk, getCoverage, getTrackLine, requireAssignmentReader, trackChunkSchema, trackSettings } from './service.ts';
import { z } from 'zod';

const trackActionPayload = z.object({ assignmentId: z.number().int().positive('assignmentId must be a positive id'), track: z.unknown(), chunkId: z.uuid().optional() });

/** GPS tracks and coverage (docs/field_app.md); also registers the sync action track.append. */
export function trackRoutes(config: AppConfig) {
  const settings = trackSettings(config);
  registerActionKind('track.append', {
    apply: async (db, action, user) => {
      // The same gate as POST /assignments/:id/track (the sync route itself only asks findings.record).
      requirePermission(user, 'tracks.upload');
      const payload = parsePayload(trackActionPayload, action.payload);
      // The action id is the chunk id unless the device named one: a resent action stores nothing new.
      const chunk = parsePayload(trackChunkSchema, { chunkId: payload.chunkId ?? action.id, track: payload.track });
      const result = await appendTrackChunk(db, payload.assignmentId, chunk, user, settings);
      return { entityId: result.trackId, result: { stored: result.stored, progress: result.coverage.progress } };
    },
  });
  return [
    defineRoute({
      method: 'post',
      path: '/assignments/:id/track',
      tag: 'tracks',
      summary: 'Append a GPS track chunk {chunkId, track: Feature<LineString> with properties.coordTimes}; returns the coverage',
      // The crew's phone records the track: the permission roles.ts names for it (the service then
      // requires membership of the assignment's crew).
      access: { permission: 'tracks.upload' },
      params: idParamsSchema,
      body: trackChunkSchema,
      bodyLimit: '1mb',
      handler: async ({ db, params, body, audit, ...input }) => {
        const result = await appendTrackChunk(db, params.id, body, requireUser(input), settings);
        await audit({ action: 'track.append', entityType: 'assignment', entityId: params.id, after: { chunkId: body.chunkId, stored: result.stored, points: body.track.geometry.coordinates.length } });
        return result;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/assignments/:id/coverage',
      tag: 'tracks',
      summary: 'Covered share per segment from the matched track, covered stake ranges, progress (covered ÷ assigned)',
      // Part of the assignment: read by whoever may see it (a patrol user: its own crews' only).
      access: { permission: 'assignments.read' },
      params: idParamsSchema,
      handler: async ({ db, params, ...input }) => {
        await requireAssignmentReader(db, params.id, requireUser(input));
        return getCoverage(db, params.id, settings);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/assignments/:id/track',
      tag: 'tracks',
      summary: 'The recorded track as one GeoJSON LineString (null before any fix)',
      // Part of the assignment: read by whoever may see it (a patrol user: its own crews' only).
      access: { permission: 'assignments.read' },
      params: idParamsSchema,
      handler: async ({ db, params, ...input }) => {
        await requireAssignmentReader(db, params.id, requireUser(input));
        return { type: 'Feature', geometry: await getTrackLine(db, params.id), properties: { assignmentId: params.id } };
      },
    }),
  ];
}
