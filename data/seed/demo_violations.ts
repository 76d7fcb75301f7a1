/**
 * Demo violations: about 300 findings along the demo roads, every category and status, with
 * backdated timelines (last 90 days), case numbers per district, some overdue, some outside every
 * road-law zone, all `is_demo`. Deterministic (seeded PRNG). Location and verdict come from the
 * same set-based code as the API (one locator statement for all findings), never hand-set.
 */
import type { Queryable } from '../../server/db/database.ts';
import { formatCaseNumber } from '../../server/domain/case_number.ts';
import { CASE_TRANSITIONS, type CaseEvent, type CaseStatus } from '../../server/domain/case_workflow.ts';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES, type ViolationCategory } from '../../server/domain/violation_categories.ts';
import { assessFindingsWith } from '../../server/violations/finding_assessment.ts';
import {
  insertCaseEvents,
  insertViolations,
  selectDemoSegmentLines,
  selectUsersByUsername,
  upsertCaseNumberCounters,
  type NewCaseEventRow,
  type NewViolationRow,
} from '../../server/violations/queries.ts';
import { DEMO_USERS } from './demo_users.ts';

export const DEMO_VIOLATION_COUNT = 300;
/** Findings in 金水区 (410105), so its officer has a register to work with. */
const SIBLING_DISTRICT = '410105';
const SIBLING_DISTRICT_COUNT = 30;
const DAY_MILLISECONDS = 86_400_000;
const HISTORY_DAYS = 90;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The event path that leads from a new report to each status (a walk along the transition table). */
export const PATHS: Readonly<Record<CaseStatus, readonly CaseEvent[]>> = {
  reported: [],
  rejected: ['reject'],
  verified: ['verify'],
  notice_issued: ['verify', 'issue_notice'],
  rectifying: ['verify', 'issue_notice', 'start_rectification'],
  reminded: ['verify', 'issue_notice', 'send_reminder'],
  forced_removal: ['verify', 'issue_notice', 'send_reminder', 'decide_forced_removal'],
  cleared: ['verify', 'issue_notice', 'start_rectification', 'report_cleared'],
  reinspected: ['verify', 'issue_notice', 'start_rectification', 'report_cleared', 'reinspect_pass'],
  closed: ['verify', 'issue_notice', 'start_rectification', 'report_cleared', 'reinspect_pass', 'close'],
};
/** Share of each final status among violations (weights). */
export const STATUS_WEIGHTS: readonly [CaseStatus, number][] = [
  ['reported', 14], ['verified', 10], ['rejected', 4], ['notice_issued', 14], ['rectifying', 12], ['reminded', 7],
  ['forced_removal', 4], ['cleared', 8], ['reinspected', 6], ['closed', 21],
];

const PARTIES = ['郑州市恒达建材有限公司', '张某', '李某某', '王某', '郑州鑫源广告传媒有限公司', '刘某', '河南中原物流有限公司', '陈某', '赵某', '郑州顺通汽修厂'];
export const NOTES: Partial<Record<CaseEvent, string>> = {
  verify: '现场核实，拍照取证，情况属实',
  reject: '经核实不属于公路法管辖范围',
  issue_notice: '已当场送达限期整改通知书',
  start_rectification: '当事人已开始自行整改',
  report_cleared: '现场已清除，拍摄整改后照片',
  send_reminder: '逾期未改正，书面催告',
  decide_forced_removal: '催告期满仍未履行，依据行政强制法第三十七条作出强制拆除决定',
  reinspect_pass: '复查合格',
  close: '整改完毕，予以结案',
};

function attributesFor(category: ViolationCategory, random: () => number): Record<string, unknown> {
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const round1 = (value: number) => Math.round(value * 10) / 10;
  switch (category) {
    case 'billboard':
      return {
        faceAreaSquareMeters: round1(6 + random() * 60),
        heightMeters: round1(3 + random() * 15),
        structureType: pick(['tower', 'ground', 'wall', 'banner'] as const),
        illuminated: random() < 0.4,
        ...(random() < 0.5 ? { advertiser: pick(['某房地产公司', '某汽车4S店', '某酒业公司']) } : {}),
        ...(random() < 0.12 ? { permitNumber: `豫路许字〔2025〕${100 + Math.floor(random() * 800)}号` } : {}),
      };
    case 'structure':
      return { footprintSquareMeters: round1(15 + random() * 200), storeys: 1 + Math.floor(random() * 2), use: pick(['彩钢板房', '临时仓库', '门面房', '养殖棚']) };
    case 'excavation':
      return { areaSquareMeters: round1(50 + random() * 1500), depthMeters: round1(1 + random() * 6) };
    case 'piling':
      return { material: pick(['砂石', '建筑垃圾', '秸秆', '钢材', '晾晒粮食']), volumeCubicMeters: round1(2 + random() * 80) };
    case 'trading':
      return { stallType: pick(['水果摊', '早餐摊', '农副产品', '修车摊']), stallCount: 1 + Math.floor(random() * 6) };
    default:
      return {};
  }
}

/** Distance from the centreline (m) that puts a finding of `category` where it typically is. */
function offsetFor(category: ViolationCategory, halfWidth: number, outside: boolean, random: () => number): number {
  if (outside) return 260 + random() * 150;
  switch (category) {
    case 'structure':
      return halfWidth + 2 + random() * 12;
    case 'excavation':
      return halfWidth + 15 + random() * 70;
    case 'billboard':
      return random() < 0.6 ? halfWidth * (0.5 + random() * 0.4) : halfWidth + 3 + random() * 25;
    default:
      return halfWidth * (0.45 + random() * 0.45);
  }
}

/** A point `offsetMeters` to one side of the centreline at `fraction` of its length (local metres). */
export function pointBeside(line: GeoJSON.LineString, fraction: number, offsetMeters: number, side: 1 | -1): GeoJSON.Position {
  const coordinates = line.coordinates;
  const latitude = coordinates[0]![1]!;
  const mx = 111_320 * Math.cos((latitude * Math.PI) / 180);
  const my = 110_540;
  const lengths = coordinates.slice(1).map((position, index) => Math.hypot((position[0]! - coordinates[index]![0]!) * mx, (position[1]! - coordinates[index]![1]!) * my));
  let target = lengths.reduce((sum, length) => sum + length, 0) * fraction;
  let index = 0;
  while (index < lengths.length - 1 && target > lengths[index]!) target -= lengths[index++]!;
  const a = coordinates[index]!;
  const b = coordinates[index + 1]!;
  const t = lengths[index]! > 0 ? target / lengths[index]! : 0;
  const dx = (b[0]! - a[0]!) * mx;
  const dy = (b[1]! - a[1]!) * my;
  const norm = Math.hypot(dx, dy) || 1;
  // Left normal of the drawing direction, times side.
  const nx = (-dy / norm) * offsetMeters * side;
  const ny = (dx / norm) * offsetMeters * side;
  return [a[0]! + (b[0]! - a[0]!) * t + nx / mx, a[1]! + (b[1]! - a[1]!) * t + ny / my];
}

export function squareAround(center: GeoJSON.Position, halfSideMeters: number): GeoJSON.Polygon {
  const mx = 111_320 * Math.cos((center[1]! * Math.PI) / 180);
  const dx = halfSideMeters / mx;
  const dy = halfSideMeters / 110_540;
  const [x, y] = [center[0]!, center[1]!];
  const r = (value: number) => Math.round(value * 1e7) / 1e7;
  return { type: 'Polygon', coordinates: [[[r(x - dx), r(y - dy)], [r(x + dx), r(y - dy)], [r(x + dx), r(y + dy)], [r(x - dx), r(y + dy)], [r(x - dx), r(y - dy)]]] };
}

const shanghaiYear = (instant: Date) => new Date(instant.getTime() + 8 * 3600_000).getUTCFullYear();

export interface DemoViolationSummary {
  violations: number;
  events: number;
}

/**
 * Inserts the demo violations on `client` (inside the demo load's transaction, as the owner).
 * Actors are the demo users; their ids are filled in when the users exist already.
 */
export async function loadDemoViolations(client: Queryable, now: Date = new Date()): Promise<DemoViolationSummary> {
  const random = prng(20261122);
  const segments = await selectDemoSegmentLines(client);
  if (segments.length === 0) return { violations: 0, events: 0 };
  const users = new Map((await selectUsersByUsername(client, DEMO_USERS.map((user) => user.username))).map((user) => [user.username, user]));
  const actor = (username: string) => {
    const demo = DEMO_USERS.find((user) => user.username === username)!;
    return { actor_user_id: users.get(username)?.id ?? null, actor_username: username, actor_role: demo.role };
  };
  const sibling = segments.filter((segment) => segment.jurisdiction_code === SIBLING_DISTRICT);
  const categories = DEFAULT_VIOLATION_CATEGORIES;

  interface Draft {
    category: ViolationCategory;
    geometry: GeoJSON.Point | GeoJSON.Polygon;
    attributes: Record<string, unknown>;
    segment: (typeof segments)[number];
  }
  const drafts: Draft[] = [];
  for (let index = 0; index < DEMO_VIOLATION_COUNT; index += 1) {
    const pool = index < SIBLING_DISTRICT_COUNT && sibling.length > 0 ? sibling : segments;
    const segment = pool[Math.floor(random() * pool.length)]!;
    const category = categories[index % categories.length]!;
    const outside = random() < 0.07;
    const offset = offsetFor(category, segment.road_land_half_width_meters, outside, random);
    const center = pointBeside(segment.line, 0.05 + random() * 0.9, offset, random() < 0.5 ? 1 : -1);
    const geometry: GeoJSON.Point | GeoJSON.Polygon =
      category === 'structure' || category === 'excavation'
        ? squareAround(center, category === 'structure' ? 4 + random() * 6 : 8 + random() * 12)
        : { type: 'Point', coordinates: [Math.round(center[0]! * 1e7) / 1e7, Math.round(center[1]! * 1e7) / 1e7] };
    drafts.push({ category, geometry, attributes: attributesFor(category, random), segment });
  }

  const assessments = await assessFindingsWith(client, drafts, { radiusMeters: 500, categories });
  const statusTotal = STATUS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickStatus = (): CaseStatus => {
    let roll = random() * statusTotal;
    for (const [status, weight] of STATUS_WEIGHTS) if ((roll -= weight) < 0) return status;
    return 'reported';
  };

  const rows: NewViolationRow[] = [];
  const timelines: Omit<NewCaseEventRow, 'violation_id'>[][] = [];
  const verifications: { index: number; code: string; at: Date }[] = [];
  drafts.forEach((draft, index) => {
    const { location, verdict } = assessments[index]!;
    const code = location.jurisdiction?.code ?? null;
    const inSibling = code === SIBLING_DISTRICT;
    const officer = inSibling ? 'officer2' : random() < 0.8 ? 'officer' : 'manager';
    const reporter = inSibling ? 'officer2' : random() < 0.7 ? 'patrol' : 'officer';
    // The first findings of each district stay 'reported' (tests and the matrix use them as fixtures).
    const status: CaseStatus = !verdict!.isViolation ? (random() < 0.5 ? 'reported' : 'rejected') : index < 3 || index === SIBLING_DISTRICT_COUNT - 1 ? 'reported' : pickStatus();
    const path = PATHS[status];
    const reportedAt = new Date(now.getTime() - (2 + random() * (HISTORY_DAYS - 2)) * DAY_MILLISECONDS);
    // Events spread over the time since the report, in order, never in the future.
    const span = now.getTime() - reportedAt.getTime();
    let at = reportedAt;
    let current: CaseStatus = 'reported';
    let deadline: Date | null = null;
    let party: { name: string; contact?: string } | null = null;
    let clearedBy: string | null = null;
    const source = reporter === 'patrol' ? 'patrol' : random() < 0.5 ? 'complaint' : 'patrol';
    const events: Omit<NewCaseEventRow, 'violation_id'>[] = [
      {
        event: 'report', from_status: null, to_status: 'reported', occurred_at: reportedAt.toISOString(), ...actor(reporter),
        note: null, details: { source, isViolation: verdict!.isViolation, reasonCode: verdict!.reasonCode }, photo_ids: [],
        location: draft.geometry.type === 'Point' ? JSON.stringify(draft.geometry) : null,
      },
    ];
    for (const event of path) {
      at = new Date(at.getTime() + (span / (path.length + 1)) * (0.4 + random() * 0.6));
      const transition = CASE_TRANSITIONS.find((row) => row.from === current && row.event === event)!;
      const details: Record<string, unknown> = {};
      if (event === 'verify') verifications.push({ index, code: code!, at });
      if (event === 'issue_notice') {
        party = { name: PARTIES[Math.floor(random() * PARTIES.length)]!, ...(random() < 0.6 ? { contact: `1${Math.floor(3e9 + random() * 6e9)}` } : {}) };
        deadline = new Date(at.getTime() + VIOLATION_CATEGORY_RULES[draft.category].defaultDeadlineDays * DAY_MILLISECONDS);
        details.deadline = deadline.toISOString();
        details.party = party;
      }
      if (event === 'send_reminder') {
        deadline = new Date(at.getTime() + 3 * DAY_MILLISECONDS);
        details.deadline = deadline.toISOString();
      }
      if (event === 'reject') details.rejectReason = verdict!.isViolation ? 'duplicate' : 'not_violation';
      let who = event === 'report_cleared' && !inSibling && random() < 0.5 ? 'patrol' : officer;
      // Separation of duties (issue 14): the re-inspection and the closure are not by whoever reported
      // the clearance (410105 has one officer only; its demo history stays as it is).
      if ((event === 'reinspect_pass' || event === 'close') && !inSibling && who === clearedBy) who = officer === 'officer' ? 'manager' : 'officer';
      if (event === 'report_cleared') clearedBy = who;
      events.push({
        event, from_status: current, to_status: transition.to, occurred_at: at.toISOString(), ...actor(who),
        note: NOTES[event] ?? null, details, photo_ids: [], location: null,
      });
      current = transition.to;
    }
    rows.push({
      external_id: `DEMO-${String(index + 1).padStart(4, '0')}`,
      case_number: null,
      category: draft.category,
      status,
      geometry: JSON.stringify(draft.geometry),
      attributes: draft.attributes,
      description: `${VIOLATION_CATEGORY_RULES[draft.category].label.zh}（演示数据）`,
      source,
      party,
      segment_id: location.segmentId,
      route_code: location.route,
      direction: location.direction,
      chainage_meters: location.chainageMeters,
      side: location.side,
      offset_meters: location.offsetMeters,
      zones: location.zones,
      jurisdiction_code: code,
      verdict,
      is_violation: verdict!.isViolation,
      deadline_at: (deadline as Date | null)?.toISOString() ?? null,
      reported_at: reportedAt.toISOString(),
      updated_at: at.toISOString(),
      closed_at: status === 'closed' ? at.toISOString() : null,
      reported_by: users.get(reporter)?.id ?? null,
      version: events.length,
      is_demo: true,
    });
    timelines.push(events);
  });

  // Case numbers in order of verification per district and (Asia/Shanghai) year, like the counter would.
  verifications.sort((a, b) => a.at.getTime() - b.at.getTime());
  const counters = new Map<string, { jurisdiction_code: string; year: number; last_sequence: number }>();
  for (const verification of verifications) {
    const year = shanghaiYear(verification.at);
    const key = `${verification.code}/${year}`;
    const counter = counters.get(key) ?? { jurisdiction_code: verification.code, year, last_sequence: 0 };
    counter.last_sequence += 1;
    counters.set(key, counter);
    rows[verification.index]!.case_number = formatCaseNumber({ jurisdictionCode: verification.code, year, sequence: counter.last_sequence });
  }
  for (const [index, events] of timelines.entries()) {
    const caseNumber = rows[index]!.case_number;
    const verify = events.find((event) => event.event === 'verify');
    if (verify && caseNumber) (verify.details as Record<string, unknown>).caseNumber = caseNumber;
  }

  const inserted = await insertViolations(client, rows);
  const idByOrdinal = new Map(inserted.map((row) => [row.ordinal, row.id]));
  const events = timelines.flatMap((timeline, index) => {
    const id = idByOrdinal.get(index + 1);
    return id === undefined ? [] : timeline.map((event) => ({ ...event, violation_id: id }));
  });
  await insertCaseEvents(client, events);
  await upsertCaseNumberCounters(client, [...counters.values()]);
  return { violations: inserted.length, events: events.length };
}
