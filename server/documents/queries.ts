/** SQL of the enforcement documents: the events that fix who issued what, when. */
import type { Queryable } from '../db/database.ts';

export interface DocumentEventsRow {
  notice_issued_at: Date | null;
  notice_details: Record<string, unknown> | null;
  verified_at: Date | null;
  verifier_user_id: number | null;
  centreline: GeoJSON.LineString | null;
}

export async function selectDocumentEvents(db: Queryable, violationId: number, segmentId: number | null): Promise<DocumentEventsRow> {
  const result = await db.query<DocumentEventsRow>(
    `SELECT n.occurred_at AS notice_issued_at, n.details AS notice_details,
            vf.occurred_at AS verified_at, vf.actor_user_id::integer AS verifier_user_id,
            (SELECT ST_AsGeoJSON(ST_Force2D(centreline), 7)::json FROM segments WHERE id = $2) AS centreline
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT occurred_at, details FROM case_events
                        WHERE violation_id = $1 AND event IN ('issue_notice', 'reissue_notice')
                        ORDER BY occurred_at DESC, id DESC LIMIT 1) n ON true
     LEFT JOIN LATERAL (SELECT occurred_at, actor_user_id FROM case_events
                        WHERE violation_id = $1 AND event = 'verify'
                        ORDER BY occurred_at DESC, id DESC LIMIT 1) vf ON true`,
    [violationId, segmentId],
  );
  return result.rows[0]!;
}
