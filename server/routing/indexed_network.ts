import type { RoutingGraph } from './graph_types.ts';

/**
 * The routing graph renumbered for the planner (server/patrols/planner/patrol_types.ts on the
 * solver's branch: nodes 0..nodeCount-1, arcs by index), with the maps back to database ids.
 * A due segment is the arcs in `arcIndexesBySegment` (one per piece, all to be served).
 */
export interface IndexedNetwork {
  network: {
    nodeCount: number;
    arcs: { from: number; to: number; lengthMeters: number; travelSeconds: number; oneway: boolean }[];
  };
  /** routing_nodes.id of each node index. */
  nodeIds: number[];
  nodeIndexById: Map<number, number>;
  /** routing_arcs.id of each arc index. */
  arcIds: number[];
  arcIndexesBySegment: Map<number, number[]>;
}

export function indexRoutingGraph(graph: RoutingGraph): IndexedNetwork {
  const nodeIds = graph.nodes.map((node) => node.id);
  const nodeIndexById = new Map(nodeIds.map((id, index) => [id, index]));
  const arcIndexesBySegment = new Map<number, number[]>();
  const arcs = graph.arcs.map((arc, index) => {
    if (arc.segmentId !== null) arcIndexesBySegment.set(arc.segmentId, [...(arcIndexesBySegment.get(arc.segmentId) ?? []), index]);
    return { from: nodeIndexById.get(arc.from)!, to: nodeIndexById.get(arc.to)!, lengthMeters: arc.lengthMeters, travelSeconds: arc.travelSeconds, oneway: arc.oneway };
  });
  return { network: { nodeCount: nodeIds.length, arcs }, nodeIds, nodeIndexById, arcIds: graph.arcs.map((arc) => arc.id), arcIndexesBySegment };
}
