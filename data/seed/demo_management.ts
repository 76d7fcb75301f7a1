/**
 * Demo records for the manager's views (issue 13): cases in four more Zhengzhou districts than the
 * demo network covers, so the city manager (city_manager, 郑州市 410100) ranks six districts with
 * real differences, and one campaign (高速公路沿线广告设施清理). All `is_demo`. Deterministic.
 *
 * These cases lie inside their district's boundary but off the demo network (it covers 管城/金水):
 * their verdict is copied from a demo case of the same category on the network, and the
 * description says so. Loaded by data/load_demo.ts after the demo violations.
 */
import type { Queryable } from '../../server/db/database.ts';
import { prng } from './demo_violations.ts';

const DAY_MILLISECONDS = 86_400_000;
const HISTORY_DAYS = 180;
const CASES_PER_DISTRICT = 45;

/** District, and how well it keeps up (share of cases cleared, share of clearances on time). */
const DISTRICTS: readonly { code: string; clearedShare: number; onTimeShare: number; reopenShare: number }[] = [
  { code: '410102', clearedShare: 0.8, onTimeShare: 0.9, reopenShare: 0.02 }, // 中原区: good
  { code: '410103', clearedShare: 0.55, onTimeShare: 0.6, reopenShare: 0.08 }, // 二七区: middling
  { code: '410108', clearedShare: 0.35, onTimeShare: 0.4, reopenShare: 0.1 }, // 惠济区: behind
  { code: '410122', clearedShare: 0.65, onTimeShare: 0.75, reopenShare: 0.04 }, // 中牟县
];
const CATEGORIES = ['billboard', 'billboard', 'structure', 'piling', 'trading'] as const;
const DEADLINE_DAYS: Record<(typeof CATEGORIES)[number], number> = { billboard: 7, structure: 15, piling: 3, trading: 3 };
const OFFICERS = ['officer', 'officer2'];

export interface DemoManagementSummary {
  violations: number;
  campaigns: number;
}

export async function loadDemoManagement(client: Queryable, now: Date = new Date()): Promise<DemoManagementSummary> {
  const random = prng(20_261_300);
  const rows: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  let externalIndex = 0;
  for (const district of DISTRICTS) {
    for (let index = 0; index < CASES_PER_DISTRICT; index += 1) {
      const category = CATEGORIES[Math.floor(random() * CATEGORIES.length)]!;
      const reportedAt = new Date(now.getTime() - (5 + random() * HISTORY_DAYS) * DAY_MILLISECONDS);
      const deadlineAt = new Date(reportedAt.getTime() + (1 + DEADLINE_DAYS[category]) * DAY_MILLISECONDS);
      const cleared = random() < district.clearedShare;
      const onTime = random() < district.onTimeShare;
      const clearedAt = cleared ? new Date(Math.min(now.getTime() - DAY_MILLISECONDS, onTime ? deadlineAt.getTime() - random() * 2 * DAY_MILLISECONDS : deadlineAt.getTime() + (1 + random() * 20) * DAY_MILLISECONDS)) : null;
      const reopened = cleared && random() < district.reopenShare;
      const status = reopened ? 'verified' : cleared ? (random() < 0.7 ? 'closed' : 'reinspected') : random() < 0.2 ? 'verified' : random() < 0.6 ? 'rectifying' : 'notice_issued';
      const externalId = `demo-mgmt-${district.code}-${externalIndex++}`;
      const officer = OFFICERS[index % OFFICERS.length]!;
      rows.push({
        externalId,
        category,
        status,
        district: district.code,
        jitterX: random(),
        jitterY: random(),
        reportedAt: reportedAt.toISOString(),
        deadlineAt: status === 'verified' && !reopened ? null : deadlineAt.toISOString(),
        clearedAt: reopened ? null : clearedAt?.toISOString() ?? null,
      });
      events.push({ externalId, event: 'verify', from: 'reported', to: 'verified', at: reportedAt.toISOString(), officer });
      if (status !== 'verified' || reopened) events.push({ externalId, event: 'issue_notice', from: 'verified', to: 'notice_issued', at: new Date(reportedAt.getTime() + DAY_MILLISECONDS).toISOString(), officer });
      if (clearedAt) events.push({ externalId, event: 'report_cleared', from: 'notice_issued', to: 'cleared', at: clearedAt.toISOString(), officer });
      if (reopened && clearedAt) {
        events.push({ externalId, event: 'close', from: 'reinspected', to: 'closed', at: new Date(clearedAt.getTime() + 2 * DAY_MILLISECONDS).toISOString(), officer });
        events.push({ externalId, event: 'reopen', from: 'closed', to: 'verified', at: new Date(Math.min(now.getTime() - 3_600_000, clearedAt.getTime() + 10 * DAY_MILLISECONDS)).toISOString(), officer });
      }
    }
  }
  // A point inside the district (its point on surface, moved up to ~3 km while it stays inside).
  await client.query(
    `INSERT INTO violations (external_id, category, status, geom, source, verdict, is_violation, zones, jurisdiction_code,
                             description, deadline_at, reported_at, updated_at, cleared_at, closed_at, is_demo)
     SELECT r."externalId", r.category, r.status, p.pt, 'patrol',
            coalesce((SELECT v.verdict FROM violations v WHERE v.is_demo AND v.is_violation AND v.category = r.category ORDER BY v.id LIMIT 1), '{"isViolation": true}'::jsonb),
            true, '{building_control}', r.district, '演示数据：管理驾驶舱示例案件（不在演示路网上）',
            r."deadlineAt", r."reportedAt", coalesce(r."clearedAt", r."reportedAt"), r."clearedAt",
            CASE WHEN r.status = 'closed' THEN r."clearedAt" END, true
     FROM json_to_recordset($1::json) AS r("externalId" text, category text, status text, district text, "jitterX" float8, "jitterY" float8,
                                            "deadlineAt" timestamptz, "reportedAt" timestamptz, "clearedAt" timestamptz)
     JOIN jurisdictions j ON j.code = r.district
     CROSS JOIN LATERAL (
       SELECT CASE WHEN ST_Contains(j.boundary, moved) THEN moved ELSE ST_PointOnSurface(j.boundary) END AS pt
       FROM (SELECT ST_Translate(ST_PointOnSurface(j.boundary), (r."jitterX" - 0.5) * 0.06, (r."jitterY" - 0.5) * 0.06) AS moved) m
     ) p`,
    [JSON.stringify(rows)],
  );
  await client.query(
    `INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_username, actor_role)
     SELECT v.id, e.event, e."from", e."to", e."at", e.officer, 'officer'
     FROM json_to_recordset($1::json) AS e("externalId" text, event text, "from" text, "to" text, "at" timestamptz, officer text)
     JOIN violations v ON v.external_id = e."externalId"`,
    [JSON.stringify(events)],
  );
  // Every demo case's clearance time from its timeline (the insert trigger only knows updated_at).
  await client.query(
    `UPDATE violations v SET cleared_at = e.cleared_at
     FROM (SELECT violation_id, max(occurred_at) AS cleared_at FROM case_events WHERE to_status = 'cleared' GROUP BY violation_id) e
     WHERE v.id = e.violation_id AND v.is_demo AND v.status IN ('cleared', 'reinspected', 'closed')`,
  );
  const startDate = new Date(now.getTime() - 60 * DAY_MILLISECONDS + 8 * 3_600_000).toISOString().slice(0, 10);
  const deadline = new Date(now.getTime() + 30 * DAY_MILLISECONDS + 8 * 3_600_000).toISOString().slice(0, 10);
  await client.query(
    `INSERT INTO campaigns (name, scope, start_date, deadline, target, jurisdiction_code, is_demo)
     VALUES ('高速公路沿线广告设施清理', '{"jurisdictions": ["410100"], "categories": ["billboard"]}', $1, $2, NULL, '410100', true),
            ('国省道违法建筑整治', '{"jurisdictions": ["410100"], "categories": ["structure"], "adminClasses": ["national", "provincial", "county"]}', $1, $2, 60, '410100', true)`,
    [startDate, deadline],
  );
  return { violations: rows.length, campaigns: 2 };
}
