import { createUser } from '../../server/auth/service.ts';
import { insertCrew, replaceCrewAvailability, replaceCrewMembers } from '../../server/crews/queries.ts';
import type { Queryable } from '../../server/db/database.ts';
import { DEFAULT_PATROL_INTERVAL_DAYS, shanghaiDate } from '../../server/domain/patrol_rules.ts';
import { DEMO_PASSWORD } from './demo_users.ts';


/** Patrol staff of 管城回族区 (410104) beside the demo user `patrol`. */
const DEMO_PATROL_USERS = [
  { username: 'patrol2', displayName: '管城区巡查员二' },
  { username: 'patrol3', displayName: '管城区巡查员三' },
  { username: 'patrol4', displayName: '管城区巡查员四' },
  { username: 'patrol5', displayName: '管城区巡查员五' },
  { username: 'patrol6', displayName: '管城区巡查员六' },
] as const;

/** Three crews at real places in 410104: by the G4 / G310 interchange, on 南三环, near S1. */
const DEMO_CREWS = [
  { name: '管城一中队', members: ['patrol', 'patrol2'], plate: '豫A·J1021', base: [113.8012, 34.7101], baseName: '管城路政一中队驻地', start: 8 * 60, end: 17 * 60 + 30, jointUnit: null },
  { name: '管城二中队', members: ['patrol3', 'patrol4'], plate: '豫A·J1022', base: [113.7590, 34.6890], baseName: '管城路政二中队驻地', start: 8 * 60, end: 17 * 60 + 30, jointUnit: null },
  {
    name: '管城联合巡查组',
    members: ['patrol5', 'patrol6', 'officer'],
    plate: '豫A·J1023',
    base: [113.7360, 34.7000],
    baseName: '南三环执法站',
    start: 9 * 60,
    end: 18 * 60,
    jointUnit: '郑州市公安局交通警察支队管城大队',
  },
] as const;

/**
 * Patrol-planning demo data for 410104: patrol users patrol2…patrol6 (password luyu-demo), three
 * crews, the district's own frequencies (the defaults written out, so a manager sees them as set),
 * and a patrol history relative to today so the planning page shows every reason: segments
 * patrolled yesterday (due again where the interval is a day), within the interval (not due),
 * long ago (overdue), and never.
 */
export async function seedDemoPatrols(db: Queryable): Promise<void> {
  const userIds = new Map<string, number>();
  for (const user of DEMO_PATROL_USERS) {
    const created = await createUser(db, { ...user, role: 'patrol', jurisdictionCode: '410104', password: DEMO_PASSWORD, isDemo: true, skipPasswordRules: true });
    userIds.set(user.username, created.id);
  }
  const existing = await db.query<{ id: number; username: string }>(`SELECT id, username FROM users WHERE username IN ('patrol', 'officer')`);
  for (const row of existing.rows) userIds.set(row.username, row.id);

  for (const crew of DEMO_CREWS) {
    const id = await insertCrew(db, {
      name: crew.name,
      jurisdictionCode: '410104',
      vehiclePlate: crew.plate,
      vehicleDescription: '路政巡查车',
      base: { type: 'Point', coordinates: [...crew.base] },
      baseName: crew.baseName,
      shiftStartMinutes: crew.start,
      shiftEndMinutes: crew.end,
      jointUnit: crew.jointUnit,
      isActive: true,
      isDemo: true,
    });
    await replaceCrewMembers(db, id, crew.members.map((username) => userIds.get(username)!));
    // The joint crew works only when the partner unit can: not the day after tomorrow.
    if (crew.jointUnit) {
      const dayAfterTomorrow = shanghaiDate(new Date(Date.now() + 2 * 86_400_000));
      await replaceCrewAvailability(db, id, [{ date: dayAfterTomorrow, available: false, shiftStartMinutes: null, shiftEndMinutes: null, note: '交警大队另有任务' }]);
    }
  }

  await db.query(
    `INSERT INTO patrol_frequencies (jurisdiction_code, admin_class, interval_days)
     SELECT '410104', key, value::integer FROM json_each_text($1::json)`,
    [JSON.stringify(DEFAULT_PATROL_INTERVAL_DAYS)],
  );

  // Days ago of each segment's last patrol by a fixed pattern on its id; null = never patrolled.
  await db.query(
    `INSERT INTO segment_patrols (segment_id, patrolled_at, source, jurisdiction_code, is_demo)
     SELECT s.id, ((($1::date - pattern.days_ago)::timestamp + interval '10 hours') AT TIME ZONE 'Asia/Shanghai'), 'manual', s.jurisdiction_code, true
     FROM segments s
     CROSS JOIN LATERAL (SELECT (ARRAY[1, 0, 2, 5, NULL, 1, 9, 0])[(1 + s.id % 8)::integer] AS days_ago) pattern
     WHERE s.jurisdiction_code = '410104' AND s.is_demo AND pattern.days_ago IS NOT NULL`,
    [shanghaiDate()],
  );
}
