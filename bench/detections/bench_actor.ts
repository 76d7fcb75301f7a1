/** The bench's own admin account at the top of the jurisdiction tree, as the session user the service expects. */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { SessionUser } from '../../server/auth/session_user.ts';
import { createUser } from '../../server/auth/service.ts';

const USERNAME = 'bench-detections';

export async function benchActor(pool: pg.Pool): Promise<SessionUser> {
  const top = await pool.query<{ code: string; name: string; level: string }>(`SELECT code, name, level FROM jurisdictions WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
  const jurisdiction = top.rows[0];
  if (!jurisdiction) throw new Error('no jurisdiction in the database: load the network first');
  let user = (await pool.query<{ id: number }>(`SELECT id FROM users WHERE username = $1`, [USERNAME])).rows[0];
  if (!user) {
    // A random strong password nobody knows: the bench never logs in, it calls the service directly.
    const created = await createUser(pool, { username: USERNAME, password: `Bench-${randomBytes(18).toString('base64url')}`, role: 'admin', jurisdictionCode: jurisdiction.code, displayName: 'detections bench' });
    user = { id: created.id };
  }
  const scope = await pool.query<{ code: string }>(
    `WITH RECURSIVE subtree AS (SELECT code FROM jurisdictions WHERE code = $1 UNION SELECT j.code FROM jurisdictions j JOIN subtree s ON j.parent_code = s.code)
     SELECT code FROM subtree ORDER BY code`,
    [jurisdiction.code],
  );
  return {
    id: user.id,
    sessionId: 0,
    username: USERNAME,
    displayName: 'detections bench',
    role: 'admin',
    jurisdiction,
    scopeCodes: scope.rows.map((row) => row.code),
    jurisdictionIsTop: true,
    authenticatedBy: 'bearer',
    csrfHash: '',
  };
}
