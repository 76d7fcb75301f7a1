import type { Queryable } from '../db/database.ts';

/** Rebuilds the graph if a segment or basemap road changed since the last build; true when it rebuilt. */
export async function refreshRoutingGraph(db: Queryable): Promise<boolean> {
  const result = await db.query<{ rebuilt: boolean }>('SELECT luyu_refresh_routing_graph() AS rebuilt');
  return result.rows[0]?.rebuilt ?? false;
}

export interface RoutingArcRow {
  id: number;
  kind: 'segment' | 'connector';
  segment_id: number | null;
  piece_index: number;
  from_node_id: number;
  to_node_id: number;
  is_oneway: boolean;
  admin_class: string | null;
  length_meters: number;
  from_lon: number;
  from_lat: number;
  to_lon: number;
  to_lat: number;
}

/** The arcs of the given jurisdictions and every jurisdiction below them (within the caller's RLS scope). */
export async function selectRoutingArcs(db: Queryable, jurisdictionCodes: readonly string[]): Promise<RoutingArcRow[]> {
  const result = await db.query<RoutingArcRow>(
    `WITH RECURSIVE scope AS (
       SELECT code FROM jurisdictions WHERE code = ANY ($1::text[])
       UNION SELECT child.code FROM jurisdictions child JOIN scope ON child.parent_code = scope.code)
     SELECT a.id, a.kind, a.segment_id, a.piece_index, a.from_node_id, a.to_node_id, a.is_oneway, a.admin_class, a.length_meters,
            ST_X(ST_StartPoint(a.geom)) AS from_lon, ST_Y(ST_StartPoint(a.geom)) AS from_lat,
            ST_X(ST_EndPoint(a.geom)) AS to_lon, ST_Y(ST_EndPoint(a.geom)) AS to_lat
     FROM routing_arcs a
     WHERE a.jurisdiction_code IN (SELECT code FROM scope)
     ORDER BY a.id`,
    [jurisdictionCodes],
  );
  return result.rows;
}

export interface RoutingGraphStateRow {
  is_stale: boolean;
  rebuilt_at: Date | null;
}

export async function selectRoutingGraphState(db: Queryable): Promise<RoutingGraphStateRow> {
  const result = await db.query<RoutingGraphStateRow>('SELECT is_stale, rebuilt_at FROM routing_graph_state');
  return result.rows[0] ?? { is_stale: true, rebuilt_at: null };
}
