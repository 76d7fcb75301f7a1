/**
 * GPS tracks of assignments: stored in chunks as measured lines, map-matched onto the segments as
 * they arrive (queries.ts matchChunkCoverage), and turned into "last patrolled" records
 * (segment_patrols, source 'track') once a segment's covered share reaches the configured one.
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/session_user.ts';
import type { AppConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { seesOwnCrewsOnly } from '../domain/patrol_rules.ts';
import { formatStake } from '../domain/stake.ts';
import { AppError } from '../http/errors.ts';
import {
  insertTrackChunk,
  insertTrackPatrols,
  matchChunkCoverage,
  selectAssignmentAccess,
  selectChunkLine,
  selectCoverage,
  selectLiveCrews,
  selectPrecedingFix,
  selectTrackLine,
  selectTrackSummary,
  type MatchSettings,
} from './queries.ts';

export interface TrackSettings extends MatchSettings {
  coverageShare: number;
}

export function trackSettings(config: AppConfig): TrackSettings {
  return {
    coverageShare: config.LUYU_COVERAGE_SHARE,
    matchMeters: config.LUYU_TRACK_MATCH_METERS,
    gapSeconds: config.LUYU_TRACK_GAP_SECONDS,
    headingDegrees: config.LUYU_TRACK_HEADING_DEGREES,
  };
}

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
/** A time per fix: ISO date-time or epoch milliseconds (togeojson's coordTimes convention). */
const fixTime = z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]);

export const trackChunkSchema = z
  .object({
    chunkId: z.uuid('chunkId must be a UUID chosen by the device'),
    track: z.object({
      type: z.literal('Feature', 'track must be a GeoJSON Feature'),
      geometry: z.object({
        type: z.literal('LineString', 'track geometry must be a LineString'),
        coordinates: z.array(z.tuple([longitude, latitude]).rest(z.number())).min(2, 'a track chunk needs at least 2 fixes').max(5000, 'at most 5,000 fixes per chunk'),
      }),
      properties: z.object({ coordTimes: z.array(fixTime) }),
    }),
  })
  .superRefine((body, context) => {
    const times = body.track.properties.coordTimes.map((time) => (typeof time === 'number' ? time : Date.parse(time)));
    if (times.length !== body.track.geometry.coordinates.length) {
      context.addIssue({ code: 'custom', path: ['track', 'properties', 'coordTimes'], message: 'coordTimes needs one time per coordinate' });
      return;
    }
    if (times.some((time, index) => index > 0 && time < times[index - 1]!)) {
      context.addIssue({ code: 'custom', path: ['track', 'properties', 'coordTimes'], message: 'coordTimes must not go backwards' });
    }
  });
export type TrackChunk = z.infer<typeof trackChunkSchema>;

/** Statuses in which a track may still arrive: a chunk recorded offline lands after "completed". */
const TRACK_STATUSES = ['in_progress', 'paused', 'completed'];

async function requireCrewAssignment(db: Queryable, assignmentId: number, user: SessionUser) {
  const assignment = await selectAssignmentAccess(db, assignmentId, user.id);
  if (!assignment) throw new AppError(404, 'ASSIGNMENT_NOT_FOUND', `No assignment ${assignmentId} in your jurisdiction`, { id: assignmentId });
  if (!assignment.is_member && user.role !== 'admin') {
    throw new AppError(403, 'NOT_ON_CREW', 'Only a member of the assigned crew records its track', { assignmentId, crewId: assignment.crew_id });
  }
  return assignment;
}

export async function appendTrackChunk(db: Queryable, assignmentId: number, chunk: TrackChunk, user: SessionUser, settings: TrackSettings) {
  const assignment = await requireCrewAssignment(db, assignmentId, user);
  if (!TRACK_STATUSES.includes(assignment.status)) {
    throw new AppError(409, 'ASSIGNMENT_NOT_STARTED', `The assignment is ${assignment.status}; start it before recording a track`, { status: assignment.status });
  }
  const coordinates = chunk.track.geometry.coordinates;
  const inserted = await insertTrackChunk(db, {
    assignmentId,
    crewId: assignment.crew_id,
    userId: user.id,
    jurisdictionCode: assignment.jurisdiction_code,
    chunkId: chunk.chunkId,
    longitudes: coordinates.map((position) => position[0]),
    latitudes: coordinates.map((position) => position[1]),
    epochSeconds: chunk.track.properties.coordTimes.map((time) => (typeof time === 'number' ? time : Date.parse(time)) / 1000),
  });
  if (inserted) {
    const preceding = await selectPrecedingFix(db, assignmentId, inserted.id);
    await matchChunkCoverage(db, assignmentId, await selectChunkLine(db, inserted.id, preceding), settings);
    await insertTrackPatrols(db, assignmentId, assignment.crew_id, settings.coverageShare);
  }
  return { stored: inserted !== null, trackId: inserted?.id ?? null, coverage: await getCoverage(db, assignmentId, settings) };
}

async function requireAssignment(db: Queryable, assignmentId: number) {
  const assignment = await selectAssignmentAccess(db, assignmentId, 0);
  if (!assignment) throw new AppError(404, 'ASSIGNMENT_NOT_FOUND', `No assignment ${assignmentId} in your jurisdiction`, { id: assignmentId });
  return assignment;
}

/**
 * Coverage and track are part of the assignment, read as GET /assignments lists them: a crew
 * member (officer, patrol) sees only its own crews' (another crew's is 404, like a foreign
 * district's), the office all in its jurisdiction.
 */
export async function requireAssignmentReader(db: Queryable, assignmentId: number, user: SessionUser): Promise<void> {
  const assignment = await selectAssignmentAccess(db, assignmentId, user.id);
  if (!assignment || (seesOwnCrewsOnly(user.role) && !assignment.is_member)) {
    throw new AppError(404, 'ASSIGNMENT_NOT_FOUND', `No assignment ${assignmentId} of your crews in your jurisdiction`, { id: assignmentId });
  }
}

/** Per segment covered share and stake ranges; progress = covered assigned metres ÷ assigned metres. */
export async function getCoverage(db: Queryable, assignmentId: number, settings: TrackSettings) {
  await requireAssignment(db, assignmentId);
  const rows = await selectCoverage(db, assignmentId);
  const track = await selectTrackSummary(db, assignmentId);
  const segments = rows.map((row) => ({
    segmentId: row.segment_id,
    route: row.route_code,
    direction: row.direction,
    stakeFrom: formatStake(row.chainage_from_meters),
    stakeTo: formatStake(row.chainage_to_meters),
    lengthMeters: Math.round(row.length_meters),
    assigned: row.sequence !== null,
    sequence: row.sequence,
    coveredShare: Math.round(row.covered_share * 1000) / 1000,
    covered: row.covered_share >= settings.coverageShare,
    coveredStakeRanges: row.covered_ranges.map((range) => ({
      from: formatStake(Math.max(0, Math.min(range.from, range.to))),
      to: formatStake(Math.max(0, Math.max(range.from, range.to))),
    })),
    lastCoveredAt: row.last_covered_at?.toISOString() ?? null,
  }));
  const assigned = segments.filter((segment) => segment.assigned);
  const assignedMeters = assigned.reduce((sum, segment) => sum + segment.lengthMeters, 0);
  const coveredMeters = assigned.reduce((sum, segment) => sum + segment.lengthMeters * segment.coveredShare, 0);
  return {
    assignmentId,
    coverageShareRequired: settings.coverageShare,
    assignedMeters,
    coveredMeters: Math.round(coveredMeters),
    progress: assignedMeters > 0 ? Math.round((coveredMeters / assignedMeters) * 1000) / 1000 : 0,
    segmentsCovered: assigned.filter((segment) => segment.covered).length,
    segmentsAssigned: assigned.length,
    track: {
      chunks: track.chunks,
      points: track.points,
      lengthMeters: Math.round(track.length_meters),
      startedAt: track.started_at?.toISOString() ?? null,
      endedAt: track.ended_at?.toISOString() ?? null,
    },
    segments,
  };
}

export async function getTrackLine(db: Queryable, assignmentId: number) {
  await requireAssignment(db, assignmentId);
  return selectTrackLine(db, assignmentId);
}

/**
 * The dispatcher's live view: today's crews under way with their latest fix, how old it is, and
 * progress = covered ÷ assigned length (as getCoverage computes it, from the stored coverage).
 */
export async function getLiveCrews(db: Queryable, filter: { date: string; jurisdictionCode: string }, settings: TrackSettings, now: Date = new Date()) {
  const rows = await selectLiveCrews(db, { ...filter, coverageShare: settings.coverageShare });
  return {
    date: filter.date,
    generatedAt: now.toISOString(),
    coverageShareRequired: settings.coverageShare,
    crews: rows.map((row) => ({
      assignmentId: row.assignment_id,
      crewId: row.crew_id,
      crewName: row.crew_name,
      status: row.status,
      vehiclePlate: row.vehicle_plate,
      members: row.members,
      position: row.longitude === null || row.latitude === null ? null : { type: 'Point' as const, coordinates: [row.longitude, row.latitude] },
      fixAt: row.fix_epoch_seconds === null ? null : new Date(row.fix_epoch_seconds * 1000).toISOString(),
      fixAgeSeconds: row.fix_epoch_seconds === null ? null : Math.max(0, Math.round(now.getTime() / 1000 - row.fix_epoch_seconds)),
      assignedMeters: Math.round(row.assigned_meters),
      coveredMeters: Math.round(row.covered_meters),
      progress: row.assigned_meters > 0 ? Math.round((row.covered_meters / row.assigned_meters) * 1000) / 1000 : 0,
      segmentsAssigned: row.segments_assigned,
      segmentsCovered: row.segments_covered,
    })),
  };
}
