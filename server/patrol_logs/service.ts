/**
 * The patrol log (巡查日志, 公路安全保护条例 art. 47 requires patrol records) of one assignment,
 * written from the record: crew, vehicle, times, distance from the track, segments and stake ranges
 * covered, findings and how each was handled. Only the weather and a note are typed in.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { CASE_STATUS_LABELS, CASE_EVENT_LABELS, type CaseEvent, type CaseStatus } from '../domain/case_workflow.ts';
import { formatStake } from '../domain/stake.ts';
import { isViolationCategory, VIOLATION_CATEGORY_RULES } from '../domain/violation_categories.ts';
import { ZONE_LABELS, type ZoneKind } from '../domain/zones.ts';
import { AppError } from '../http/errors.ts';
import { getCoverage, type TrackSettings } from '../tracks/service.ts';
import { selectAssignmentJurisdiction, selectPatrolLogFindings, selectPatrolLogHeads, upsertPatrolLogEntry, type PatrolLogFindingRow, type PatrolLogHeadRow } from './queries.ts';

const LEAD_STATUS_ZH: Record<string, string> = { confirmed: '现场核实：确认违法，已转案件', rejected: '现场核实：排除', merged: '并入已有案件', field: '待现场核实', pending: '待审核' };

function categoryZh(category: string | null): string {
  if (!category) return '—';
  return isViolationCategory(category) ? VIOLATION_CATEGORY_RULES[category].label.zh : category;
}

function handlingZh(row: PatrolLogFindingRow): string {
  if (row.kind === 'finding') {
    const status = CASE_STATUS_LABELS[row.status as CaseStatus]?.zh ?? row.status;
    return row.is_violation === false ? `不属于公路法管辖范围，已记录（${status}）` : `已上报，${status}${row.case_number ? `，案号 ${row.case_number}` : ''}`;
  }
  if (row.kind === 'lead') return LEAD_STATUS_ZH[row.status ?? ''] ?? row.status ?? '—';
  return CASE_EVENT_LABELS[row.handling as CaseEvent]?.zh ?? row.handling ?? '—';
}

export function toFindingEntry(row: PatrolLogFindingRow) {
  return {
    kind: row.kind,
    id: row.id,
    at: row.at.toISOString(),
    category: row.category,
    categoryLabel: categoryZh(row.category),
    caseNumber: row.case_number,
    status: row.status,
    route: row.route_code,
    stake: row.chainage_meters === null ? null : formatStake(Math.max(0, row.chainage_meters)),
    side: row.side,
    zone: row.primary_zone,
    zoneLabel: row.primary_zone ? (ZONE_LABELS[row.primary_zone as ZoneKind]?.zh ?? row.primary_zone) : null,
    handling: handlingZh(row),
    actor: row.actor,
  };
}

function headOf(row: PatrolLogHeadRow) {
  return {
    id: row.assignment_id,
    assignmentId: row.assignment_id,
    date: row.assignment_date,
    status: row.status,
    crew: { id: row.crew_id, name: row.crew_name, members: row.members, jointUnit: row.joint_unit },
    vehicle: { plate: row.vehicle_plate, description: row.vehicle_description },
    weather: row.weather,
    note: row.note,
    version: row.log_version,
  };
}

export async function listPatrolLogs(db: Queryable, filter: { date: string | null; crewId: number | null }) {
  const heads = await selectPatrolLogHeads(db, { ...filter, assignmentId: null });
  return { items: heads.map(headOf) };
}

export async function getPatrolLog(db: Queryable, id: number, settings: TrackSettings) {
  const [head] = await selectPatrolLogHeads(db, { date: null, crewId: null, assignmentId: id });
  if (!head) throw new AppError(404, 'PATROL_LOG_NOT_FOUND', `No patrol log ${id}: the assignment does not exist in your jurisdiction or was never started`, { id });
  const [coverage, findings] = await Promise.all([getCoverage(db, id, settings), selectPatrolLogFindings(db, id)]);
  return {
    ...headOf(head),
    startedAt: coverage.track.startedAt ?? head.started_at?.toISOString() ?? null,
    endedAt: head.completed_at?.toISOString() ?? coverage.track.endedAt,
    distanceMeters: coverage.track.lengthMeters,
    progress: coverage.progress,
    segments: coverage.segments.filter((segment) => segment.coveredShare > 0 || segment.assigned),
    findings: findings.map(toFindingEntry),
  };
}
export type PatrolLog = Awaited<ReturnType<typeof getPatrolLog>>;

export async function updatePatrolLogEntry(db: Queryable, id: number, input: { weather: string | null; note: string | null; expectedVersion: number }, user: SessionUser) {
  const jurisdictionCode = await selectAssignmentJurisdiction(db, id);
  if (!jurisdictionCode) throw new AppError(404, 'PATROL_LOG_NOT_FOUND', `No patrol log ${id} in your jurisdiction`, { id });
  const version = await upsertPatrolLogEntry(db, { assignmentId: id, jurisdictionCode, weather: input.weather, note: input.note, expectedVersion: input.expectedVersion, userId: user.id });
  if (version === null) throw new AppError(409, 'PATROL_LOG_CHANGED', 'The log was changed meanwhile; reload it', { id });
  return { id, weather: input.weather, note: input.note, version };
}
