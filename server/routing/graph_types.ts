/**
 * The in-memory routing graph handed to the patrol planner (server/patrols/planner). Plain data:
 * numbers and strings only, so the solver needs nothing from the database or GeoJSON.
 */
import type { AdminClass } from '../domain/admin_class.ts';

export interface RoutingNode {
  /** routing_nodes.id: stable across rebuilds for an unchanged place. */
  id: number;
  lon: number;
  lat: number;
}

export interface RoutingArc {
  /** routing_arcs.id (changes when the graph is rebuilt). */
  id: number;
  from: number;
  to: number;
  lengthMeters: number;
  /** lengthMeters at the class's patrol driving speed. */
  travelSeconds: number;
  /**
   * true: drivable only from → to (one carriageway of a divided road, a connector). false: one
   * undivided road, drivable both ways; serving it once in either direction covers it.
   */
  oneway: boolean;
  /** The managed segment this arc is (a piece of); null for a connector (ramp, unnamed road), which is never required. */
  segmentId: number | null;
  /** Order of the piece along its segment (a junction in the middle cuts a segment in pieces). */
  pieceIndex: number;
  kind: 'segment' | 'connector';
  adminClass: AdminClass | null;
}

export interface RoutingGraph {
  nodes: RoutingNode[];
  arcs: RoutingArc[];
}
