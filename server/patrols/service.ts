import type { Queryable } from '../db/database.ts';
import { ADMIN_CLASSES, type AdminClass } from '../domain/admin_class.ts';
import { REINSPECTION_WITHIN_DAYS } from '../domain/case_workflow.ts';
import {
  DEFAULT_PATROL_INTERVAL_DAYS,
  FIELD_VERIFICATION_STATUS,
  frequencyReasons,
  NOTICE_PENDING_STATUSES,
  overdueDays,
  REINSPECTION_PENDING_STATUS,
  type PatrolTaskKind,
  type SegmentDueReason,
} from '../domain/patrol_rules.ts';
import { formatStake } from '../domain/stake.ts';
import { AppError } from '../http/errors.ts';
import { selectDueSegments, selectFrequencies, selectPointTasks, upsertFrequency, type DueRuleParameters } from './queries.ts';

export interface DueQuery {
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  jurisdictionCode: string;
}

export interface DueSegmentProperties {
  id: number;
  route: string;
  routeName: string;
  direction: 1 | -1;
  stakeFrom: string;
  stakeTo: string;
  chainageFromMeters: number;
  chainageToMeters: number;
  lengthMeters: number;
  adminClass: AdminClass;
  jurisdictionCode: string | null;
  lastPatrolledAt: string | null;
  intervalDays: number;
  daysSincePatrol: number | null;
  overdueDays: number;
  reasons: SegmentDueReason[];
}

export interface PointTaskProperties {
  /** `<kind>:<sourceType>:<sourceId>`: stable across days while the task is open. */
  id: string;
  kind: PatrolTaskKind;
  sourceType: 'detection' | 'violation';
  sourceId: number;
  segmentId: number | null;
  route: string | null;
  stake: string | null;
  jurisdictionCode: string | null;
  category: string | null;
  caseNumber: string | null;
  since: string | null;
  dueAt: string | null;
  overdueDays: number;
}

function ruleParameters(query: DueQuery): DueRuleParameters {
  return {
    date: query.date,
    jurisdictionCode: query.jurisdictionCode,
    rules: { noticeStatuses: NOTICE_PENDING_STATUSES, reinspectionStatus: REINSPECTION_PENDING_STATUS, fieldStatus: FIELD_VERIFICATION_STATUS },
    reinspectionDays: REINSPECTION_WITHIN_DAYS,
  };
}

/**
 * Due segments of a jurisdiction (and below) on a date, with why: by frequency and by the point
 * tasks on them. The planner's required arcs; the list and map of the planning page.
 */
export async function listDueSegments(db: Queryable, query: DueQuery): Promise<GeoJSON.FeatureCollection<GeoJSON.LineString, DueSegmentProperties>> {
  const rows = await selectDueSegments(db, ruleParameters(query), DEFAULT_PATROL_INTERVAL_DAYS);
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      id: row.id,
      geometry: row.geometry,
      properties: {
        id: row.id,
        route: row.route_code,
        routeName: row.route_name,
        direction: row.direction,
        stakeFrom: formatStake(row.chainage_from_meters),
        stakeTo: formatStake(row.chainage_to_meters),
        chainageFromMeters: row.chainage_from_meters,
        chainageToMeters: row.chainage_to_meters,
        lengthMeters: Math.round(row.length_meters * 10) / 10,
        adminClass: row.admin_class as AdminClass,
        jurisdictionCode: row.jurisdiction_code,
        lastPatrolledAt: row.last_patrolled_at?.toISOString() ?? null,
        intervalDays: row.interval_days,
        daysSincePatrol: row.days_since_patrol,
        overdueDays: overdueDays(row.days_since_patrol, row.interval_days),
        reasons: [...frequencyReasons(row.days_since_patrol, row.interval_days), ...(row.task_kinds as SegmentDueReason[])],
      },
    })),
  };
}

/** Point tasks (site visits) of a jurisdiction on a date, as GeoJSON points. */
export async function listPointTasks(db: Queryable, query: DueQuery): Promise<GeoJSON.FeatureCollection<GeoJSON.Point, PointTaskProperties>> {
  const rows = await selectPointTasks(db, ruleParameters(query));
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => {
      const id = `${row.kind}:${row.source_type}:${row.source_id}`;
      return {
        type: 'Feature',
        id,
        geometry: { type: 'Point', coordinates: [Math.round(row.lon * 1e7) / 1e7, Math.round(row.lat * 1e7) / 1e7] },
        properties: {
          id,
          kind: row.kind as PatrolTaskKind,
          sourceType: row.source_type,
          sourceId: row.source_id,
          segmentId: row.segment_id,
          route: row.route_code,
          stake: row.chainage_meters === null ? null : formatStake(row.chainage_meters),
          jurisdictionCode: row.jurisdiction_code,
          category: row.category,
          caseNumber: row.case_number,
          since: row.since_at?.toISOString() ?? null,
          dueAt: row.due_at?.toISOString() ?? null,
          overdueDays: row.overdue_days,
        },
      };
    }),
  };
}

export interface FrequencyEntry {
  adminClass: AdminClass;
  intervalDays: number;
  /** 'jurisdiction': set by a manager (version for the next change); 'default': DOMAIN.md practice. */
  source: 'jurisdiction' | 'default';
  version: number | null;
  defaultIntervalDays: number;
}

/** The effective frequency of every class in a jurisdiction. */
export async function listFrequencies(db: Queryable, jurisdictionCode: string): Promise<{ jurisdiction: string; frequencies: FrequencyEntry[] }> {
  const rows = new Map((await selectFrequencies(db, jurisdictionCode)).map((row) => [row.admin_class, row]));
  return {
    jurisdiction: jurisdictionCode,
    frequencies: ADMIN_CLASSES.map((adminClass) => {
      const row = rows.get(adminClass);
      return {
        adminClass,
        intervalDays: row?.interval_days ?? DEFAULT_PATROL_INTERVAL_DAYS[adminClass],
        source: row ? 'jurisdiction' : 'default',
        version: row?.version ?? null,
        defaultIntervalDays: DEFAULT_PATROL_INTERVAL_DAYS[adminClass],
      };
    }),
  };
}

/** Sets one class's interval in a jurisdiction; a stale `expectedVersion` → 409. */
export async function setFrequency(
  db: Queryable,
  change: { jurisdictionCode: string; adminClass: AdminClass; intervalDays: number; expectedVersion: number | null; userId: number },
): Promise<{ before: FrequencyEntry; after: FrequencyEntry }> {
  const current = (await listFrequencies(db, change.jurisdictionCode)).frequencies.find((entry) => entry.adminClass === change.adminClass)!;
  const row = await upsertFrequency(db, change);
  if (!row) {
    throw new AppError(409, 'PATROL_FREQUENCY_CHANGED', 'Someone changed this frequency meanwhile; reload and try again', {
      currentVersion: current.version,
      currentIntervalDays: current.intervalDays,
    });
  }
  return {
    before: current,
    after: { adminClass: change.adminClass, intervalDays: row.interval_days, source: 'jurisdiction', version: row.version, defaultIntervalDays: current.defaultIntervalDays },
  };
}
