import { SATISFACTION_LEVELS, SUPERVISION_STATUSES, SUPERVISION_SUBJECTS } from '../../server/domain/supervision_workflow.ts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { ADMIN_CLASSES } from '../../server/domain/admin_class.ts';
import { CASE_STATUSES } from '../../server/domain/case_workflow.ts';
import { BATCH_STATUSES, DETECTION_CRS_WORDS, DETECTION_MATCH_KINDS, DETECTION_REVIEW_STATUSES } from '../../server/domain/detection_rules.ts';
import { ROLES } from '../../server/domain/roles.ts';
import { VIOLATION_SOURCES } from '../../server/domain/violation_attributes.ts';
import { VIOLATION_CATEGORIES } from '../../server/domain/violation_categories.ts';
import { CLASS_WIDTH_ZONE_KINDS, STRUCTURE_ZONE_KINDS, ZONE_KINDS } from '../../server/domain/zones.ts';

/**
 * One definition per rule: every vocabulary the database guards with a CHECK list equals the list
 * in server/domain (read from pg_constraint, so a migration that drifts from the code fails here).
 */

let db: Database;
beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
});
afterAll(async () => {
  await db?.close();
});

/** The values of the CHECK constraint(s) on `table` that test `column = ANY (ARRAY[...])`. */
async function checkedValues(table: string, column: string): Promise<string[]> {
  const result = await db.pool.query<{ definition: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
     WHERE c.conrelid = $1::regclass AND c.contype = 'c'`,
    [table],
  );
  const pattern = new RegExp(`\\(${column} = ANY \\(+ARRAY\\[([^\\]]*)\\]`);
  const lists = result.rows.flatMap((row) => {
    const match = pattern.exec(row.definition);
    return match ? [[...match[1]!.matchAll(/'([^']*)'/g)].map((value) => value[1]!)] : [];
  });
  if (lists.length !== 1) throw new Error(`${table}.${column}: expected one CHECK list, found ${lists.length}`);
  return lists[0]!.sort();
}

const sorted = (values: readonly string[]) => [...values].sort();

describe('database CHECK lists equal the domain vocabularies', () => {
  it.each([
    ['violations', 'status', CASE_STATUSES],
    ['violations', 'category', VIOLATION_CATEGORIES],
    ['violations', 'source', VIOLATION_SOURCES],
    ['protection_zones', 'kind', ZONE_KINDS],
    ['zone_widths', 'kind', [...CLASS_WIDTH_ZONE_KINDS, ...STRUCTURE_ZONE_KINDS]],
    ['segments', 'admin_class', ADMIN_CLASSES],
    ['routes', 'admin_class', ADMIN_CLASSES],
    ['users', 'role', ROLES],
    ['detections', 'review_status', DETECTION_REVIEW_STATUSES],
    ['detections', 'match_kind', DETECTION_MATCH_KINDS],
    ['detection_batches', 'status', BATCH_STATUSES],
    ['detection_batches', 'crs', DETECTION_CRS_WORDS],
    ['supervisions', 'status', SUPERVISION_STATUSES],
    ['supervisions', 'subject', SUPERVISION_SUBJECTS],
    ['supervisions', 'satisfaction', SATISFACTION_LEVELS],
  ] as const)('%s.%s', async (table, column, domainList) => {
    expect(await checkedValues(table, column)).toEqual(sorted(domainList));
  });

  it('a status outside the workflow is refused by the database itself', async () => {
    await expect(
      db.pool.query(`UPDATE violations SET status = 'archived' WHERE id = (SELECT min(id) FROM violations)`),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
