/**
 * The two archives the seed material asks for (DOMAIN.md "Patrols"): 路域环境调查档案 per segment
 * (every patrol, finding, satellite lead and case step on it over a period) and 监督检查日志档案
 * per unit (its patrol logs, findings, case steps and supervision steps over a period). Both are
 * one chronological list of entries, written from the record; nothing is typed in.
 */
import type { Queryable } from '../db/database.ts';
import { CASE_EVENT_LABELS, CASE_STATUS_LABELS, type CaseEvent, type CaseStatus } from '../domain/case_workflow.ts';
import { CHANGE_TYPE_LABELS, type ChangeType } from '../domain/detection_rules.ts';
import { ASSIGNMENT_STATUS_LABELS, type AssignmentStatus } from '../domain/patrol_assignment_workflow.ts';
import { formatStake } from '../domain/stake.ts';
import { SUPERVISION_EVENT_LABELS, SUPERVISION_STATUS_LABELS, type SupervisionEvent, type SupervisionStatus } from '../domain/supervision_workflow.ts';
import { isViolationCategory, VIOLATION_CATEGORY_RULES } from '../domain/violation_categories.ts';
import { ZONE_LABELS, type ZoneKind } from '../domain/zones.ts';
import { AppError } from '../http/errors.ts';
import {
  selectArchiveSegment,
  selectArchiveUnit,
  selectSegmentCaseEvents,
  selectSegmentLeads,
  selectSegmentManualPatrols,
  selectSegmentPatrols,
  selectSegmentViolations,
  selectUnitCaseEvents,
  selectUnitPatrolLogs,
  selectUnitSupervisions,
  selectUnitViolations,
  type ArchiveCaseEventRow,
  type ArchiveViolationRow,
} from './queries.ts';

/** At most a year (and a day, for a leap year) per archive: the printable page stays printable. */
export const MAX_ARCHIVE_DAYS = 366;

export const ARCHIVE_KIND_LABELS = {
  patrol: '巡查',
  patrol_record: '巡查记录',
  patrol_log: '巡查日志',
  finding: '发现问题',
  lead: '卫片线索',
  case: '案件办理',
  supervision: '督办',
} as const;
export type ArchiveEntryKind = keyof typeof ARCHIVE_KIND_LABELS;

export interface ArchiveEntry {
  at: string;
  kind: ArchiveEntryKind;
  kindLabel: string;
  /** The record the entry is about: assignment (= patrol log id), violation, detection or supervision id. */
  refId: number;
  title: string;
  place: string;
  detail: string;
  result: string;
  caseNumber: string | null;
}

export interface ArchivePeriod {
  from: string;
  to: string;
}

const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;

/** from ≤ to and at most MAX_ARCHIVE_DAYS days, both ends included. */
export function checkArchivePeriod(period: ArchivePeriod): void {
  const days = dayNumber(period.to) - dayNumber(period.from) + 1;
  if (days < 1) throw new AppError(400, 'ARCHIVE_PERIOD_REVERSED', `from (${period.from}) must not be after to (${period.to})`, period);
  if (days > MAX_ARCHIVE_DAYS) {
    throw new AppError(400, 'ARCHIVE_PERIOD_TOO_LONG', `An archive covers at most ${MAX_ARCHIVE_DAYS} days; ${period.from} to ${period.to} is ${days}`, { ...period, days, maxDays: MAX_ARCHIVE_DAYS });
  }
}

const categoryZh = (category: string | null) => (!category ? '—' : isViolationCategory(category) ? VIOLATION_CATEGORY_RULES[category].label.zh : category);
const zoneZh = (zone: string | null) => (zone ? (ZONE_LABELS[zone as ZoneKind]?.zh ?? zone) : '');
const stake = (meters: number | null) => (meters === null ? '' : formatStake(Math.max(0, meters)));
const sideZh = (side: string | null) => (side === 'left' ? '左侧' : side === 'right' ? '右侧' : '');
const place = (route: string | null, meters: number | null, side: string | null = null) => [route, stake(meters), sideZh(side)].filter(Boolean).join(' ');
const percent = (share: number) => `${Math.round(share * 100)}%`;
const LEAD_STATUS_ZH: Record<string, string> = { pending: '待审核', field: '待现场核实', confirmed: '确认违法，已转案件', rejected: '排除', merged: '并入已有案件' };

function entry(kind: ArchiveEntryKind, at: Date, fields: Omit<ArchiveEntry, 'at' | 'kind' | 'kindLabel' | 'caseNumber'> & { caseNumber?: string | null }): ArchiveEntry {
  return { at: at.toISOString(), kind, kindLabel: ARCHIVE_KIND_LABELS[kind], caseNumber: fields.caseNumber ?? null, ...fields };
}

function violationEntry(row: ArchiveViolationRow): ArchiveEntry {
  const status = CASE_STATUS_LABELS[row.status as CaseStatus]?.zh ?? row.status;
  return entry('finding', row.at, {
    refId: row.id,
    title: categoryZh(row.category),
    place: place(row.route_code, row.chainage_meters, row.side),
    detail: [zoneZh(row.primary_zone), row.reporter ? `上报人：${row.reporter}` : ''].filter(Boolean).join('，'),
    result: row.is_violation ? `${status}${row.case_number ? `，案号 ${row.case_number}` : ''}` : `不属于公路法管辖范围（${status}）`,
    caseNumber: row.case_number,
  });
}

function caseEventEntry(row: ArchiveCaseEventRow): ArchiveEntry {
  return entry('case', row.at, {
    refId: row.violation_id,
    title: `${CASE_EVENT_LABELS[row.event as CaseEvent]?.zh ?? row.event}：${categoryZh(row.category)}`,
    place: place(row.route_code, row.chainage_meters, row.side),
    detail: [row.actor ? `办理人：${row.actor}` : '', row.note ?? ''].filter(Boolean).join('，'),
    result: CASE_STATUS_LABELS[row.to_status as CaseStatus]?.zh ?? row.to_status,
    caseNumber: row.case_number,
  });
}

const chronological = (entries: ArchiveEntry[]) => entries.sort((a, b) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind) || a.refId - b.refId);

function counts(entries: ArchiveEntry[]): Record<ArchiveEntryKind, number> {
  const result = Object.fromEntries(Object.keys(ARCHIVE_KIND_LABELS).map((kind) => [kind, 0])) as Record<ArchiveEntryKind, number>;
  for (const item of entries) result[item.kind] += 1;
  return result;
}

/** 路域环境调查档案 of one segment (404 when RLS hides it: another district's segment is not leaked). */
export async function getSegmentArchive(db: Queryable, segmentId: number, period: ArchivePeriod, coverageShare: number) {
  checkArchivePeriod(period);
  const segment = await selectArchiveSegment(db, segmentId);
  if (!segment) throw new AppError(404, 'SEGMENT_NOT_FOUND', `No segment ${segmentId} in your jurisdiction`, { id: segmentId });
  const { from, to } = period;
  const [patrols, manual, violations, leads, events] = [
    await selectSegmentPatrols(db, segmentId, from, to),
    await selectSegmentManualPatrols(db, segmentId, from, to),
    await selectSegmentViolations(db, segmentId, from, to),
    await selectSegmentLeads(db, segmentId, from, to),
    await selectSegmentCaseEvents(db, segmentId, from, to),
  ];
  const segmentPlace = `${segment.route_code} ${formatStake(segment.chainage_from_meters)}–${formatStake(segment.chainage_to_meters)}`;
  const entries = chronological([
    ...patrols.map((row) =>
      entry('patrol', row.at, {
        refId: row.assignment_id,
        title: `${row.crew_name}（${row.assigned ? '计划路段' : '计划外'}）`,
        place: row.covered_ranges.map((range) => `${stake(Math.min(range.from, range.to))}–${stake(Math.max(range.from, range.to))}`).join('，') || segmentPlace,
        detail: `${row.assignment_date} ${ASSIGNMENT_STATUS_LABELS[row.status as AssignmentStatus]?.zh ?? row.status}，轨迹覆盖 ${percent(row.covered_share)}`,
        result: row.covered_share >= coverageShare ? '已巡查' : row.covered_share > 0 ? '部分巡查' : '未巡查',
      }),
    ),
    ...manual.map((row) => entry('patrol_record', row.at, { refId: row.id, title: row.crew_name ?? '人工记录', place: segmentPlace, detail: '人工登记的巡查', result: '已巡查' })),
    ...violations.map(violationEntry),
    ...leads.map((row) =>
      entry('lead', row.at, {
        refId: row.id,
        title: `${CHANGE_TYPE_LABELS[row.change_type as ChangeType]?.zh ?? row.change_type}${row.candidate_category ? `（疑似${categoryZh(row.candidate_category)}）` : ''}`,
        place: place(row.route_code, row.stake_from_meters, row.side),
        detail: [zoneZh(row.primary_zone), row.reviewed_by_username ? `核实人：${row.reviewed_by_username}` : ''].filter(Boolean).join('，'),
        result: `${LEAD_STATUS_ZH[row.review_status] ?? row.review_status}${row.case_number ? `，案号 ${row.case_number}` : ''}`,
        caseNumber: row.case_number,
      }),
    ),
    ...events.map(caseEventEntry),
  ]);
  return {
    id: segment.id,
    archive: 'segment' as const,
    title: '路域环境调查档案',
    from,
    to,
    segment: {
      segmentId: segment.id,
      route: segment.route_code,
      routeName: segment.route_name,
      direction: segment.direction,
      stakeFrom: formatStake(segment.chainage_from_meters),
      stakeTo: formatStake(segment.chainage_to_meters),
      lengthMeters: Math.round(segment.length_meters),
      unitName: segment.jurisdiction_name,
    },
    counts: counts(entries),
    entries,
  };
}
export type SegmentArchive = Awaited<ReturnType<typeof getSegmentArchive>>;

/** 监督检查日志档案 of one unit and the units below it (404 outside the caller's scope). */
export async function getUnitArchive(db: Queryable, code: string, period: ArchivePeriod) {
  checkArchivePeriod(period);
  const unit = await selectArchiveUnit(db, code);
  if (!unit) throw new AppError(404, 'UNIT_NOT_FOUND', `No unit ${code} in your jurisdiction`, { code });
  const { from, to } = period;
  const [logs, violations, events, supervisions] = [
    await selectUnitPatrolLogs(db, code, from, to),
    await selectUnitViolations(db, code, from, to),
    await selectUnitCaseEvents(db, code, from, to),
    await selectUnitSupervisions(db, code, from, to),
  ];
  const entries = chronological([
    ...logs.map((row) =>
      entry('patrol_log', row.at, {
        refId: row.assignment_id,
        title: row.crew_name,
        place: `${row.segments_assigned} 个计划路段`,
        detail: [`${row.assignment_date}`, `行驶 ${(row.distance_meters / 1000).toFixed(1)} 公里`, row.weather ? `天气 ${row.weather}` : ''].filter(Boolean).join('，'),
        result: `${ASSIGNMENT_STATUS_LABELS[row.status as AssignmentStatus]?.zh ?? row.status}，完成 ${percent(row.progress)}`,
      }),
    ),
    ...violations.map(violationEntry),
    ...events.map(caseEventEntry),
    ...supervisions.map((row) =>
      entry('supervision', row.at, {
        refId: row.supervision_id,
        title: `${SUPERVISION_EVENT_LABELS[row.event as SupervisionEvent]?.zh ?? (row.event === 'assign' ? '交办' : row.event)}：${row.supervision_number}`,
        place: row.case_number ? `案号 ${row.case_number}` : row.subject === 'backlog' ? '积案督办' : '',
        detail: [row.instructions, `期限 ${row.deadline}`, row.actor ? `办理人：${row.actor}` : '', row.note ?? ''].filter(Boolean).join('，'),
        result: SUPERVISION_STATUS_LABELS[row.status as SupervisionStatus]?.zh ?? row.status,
        caseNumber: row.case_number,
      }),
    ),
  ]);
  return { id: unit.code, archive: 'unit' as const, title: '监督检查日志档案', from, to, unit: { code: unit.code, name: unit.name, level: unit.level }, counts: counts(entries), entries };
}
export type UnitArchive = Awaited<ReturnType<typeof getUnitArchive>>;
