import type { Queryable } from '../../server/db/database.ts';
import type { AppConfig } from '../../server/config.ts';
import { createUser } from '../../server/auth/service.ts';
import { countUsers } from '../../server/auth/queries.ts';
import type { Role } from '../../server/domain/roles.ts';
import { seedDemoPatrols } from './demo_patrols.ts';

/** The demo password: for the bundled demo only, refused in production (see demoUsersAllowed). */
export const DEMO_PASSWORD = 'luyu-demo';

/** 管城回族区 (410104) and its sibling 金水区 (410105), both with demo segments; 河南省 (410000). */
/** Officers and managers carry a (made-up) enforcement certificate number: notices name two of them. */
export const DEMO_USERS: readonly { username: string; role: Role; jurisdictionCode: string; displayName: string; certificateNumber?: string }[] = [
  { username: 'admin', role: 'admin', jurisdictionCode: '410104', displayName: '管城区管理员' },
  { username: 'manager', role: 'manager', jurisdictionCode: '410104', displayName: '管城区领导', certificateNumber: '41010420001' },
  { username: 'officer', role: 'officer', jurisdictionCode: '410104', displayName: '管城区执法员', certificateNumber: '41010420002' },
  { username: 'dispatcher', role: 'dispatcher', jurisdictionCode: '410104', displayName: '管城区调度' },
  { username: 'patrol', role: 'patrol', jurisdictionCode: '410104', displayName: '管城区巡查员' },
  { username: 'viewer', role: 'viewer', jurisdictionCode: '410104', displayName: '管城区只读' },
  { username: 'officer2', role: 'officer', jurisdictionCode: '410105', displayName: '金水区执法员', certificateNumber: '41010520001' },
  { username: 'city_manager', role: 'manager', jurisdictionCode: '410100', displayName: '郑州市路政支队领导', certificateNumber: '41010020001' },
  { username: 'province_admin', role: 'admin', jurisdictionCode: '410000', displayName: '省级管理员' },
];

export function demoUsersAllowed(config: Pick<AppConfig, 'NODE_ENV' | 'LUYU_ALLOW_DEMO_USERS'>): boolean {
  return config.NODE_ENV !== 'production' || config.LUYU_ALLOW_DEMO_USERS === 'true';
}

/** Seeds the demo users into a database that has none (the demo password is known to everyone). */
export async function seedDemoUsers(db: Queryable): Promise<number> {
  if ((await countUsers(db)) > 0) return 0;
  for (const user of DEMO_USERS) {
    // The demo password is shorter than the rule for real passwords; demo users are created directly.
    await createUser(db, { ...user, password: DEMO_PASSWORD, isDemo: true, skipPasswordRules: true });
  }
  await seedDemoPatrols(db);
  return DEMO_USERS.length;
}
