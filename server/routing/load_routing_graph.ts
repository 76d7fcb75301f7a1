import type { Queryable } from '../db/database.ts';
import { isAdminClass } from '../domain/admin_class.ts';
import { DEFAULT_PATROL_SPEEDS_KMH, type SpeedTable } from '../domain/patrol_rules.ts';
import type { RoutingArc, RoutingGraph, RoutingNode } from './graph_types.ts';
import { refreshRoutingGraph, selectRoutingArcs } from './queries.ts';

/**
 * The routing graph of the given jurisdictions (and everything below them) as plain data for the
 * planner. Rebuilds the stored graph first when a segment or basemap road changed since the last build
 * (data/migrations/012_routing_graph.sql), so the caller never plans on an outdated network.
 * Travel times come from `speedsKmh` (config LUYU_PATROL_SPEEDS_KMH), so a speed change needs no
 * rebuild.
 */
export async function loadRoutingGraph(db: Queryable, jurisdictionCodes: readonly string[], speedsKmh: SpeedTable = DEFAULT_PATROL_SPEEDS_KMH): Promise<RoutingGraph> {
  await refreshRoutingGraph(db);
  const rows = await selectRoutingArcs(db, jurisdictionCodes);
  const nodes = new Map<number, RoutingNode>();
  const arcs: RoutingArc[] = rows.map((row) => {
    if (!nodes.has(row.from_node_id)) nodes.set(row.from_node_id, { id: row.from_node_id, lon: row.from_lon, lat: row.from_lat });
    if (!nodes.has(row.to_node_id)) nodes.set(row.to_node_id, { id: row.to_node_id, lon: row.to_lon, lat: row.to_lat });
    const adminClass = row.admin_class !== null && isAdminClass(row.admin_class) ? row.admin_class : null;
    const speedKmh = adminClass ? speedsKmh[adminClass] : speedsKmh.connector;
    return {
      id: row.id,
      from: row.from_node_id,
      to: row.to_node_id,
      lengthMeters: row.length_meters,
      travelSeconds: row.length_meters / (speedKmh / 3.6),
      oneway: row.is_oneway,
      segmentId: row.segment_id,
      pieceIndex: row.piece_index,
      kind: row.kind,
      adminClass,
    };
  });
  return { nodes: [...nodes.values()].sort((a, b) => a.id - b.id), arcs };
}
