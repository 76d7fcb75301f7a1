/**
 * Pure questions on a routing graph: strongly connected components, which nodes a base reaches
 * and returns from, the nearest node to a point. A crew's route leaves its base and comes back,
 * so a segment is patrollable from a base only when both directions of travel connect them.
 */
import type { RoutingArc, RoutingGraph, RoutingNode } from './graph_types.ts';

/** Directed successors: a two-way arc is usable both ways. */
function adjacency(graph: RoutingGraph, reverse: boolean): Map<number, number[]> {
  const next = new Map<number, number[]>();
  for (const node of graph.nodes) next.set(node.id, []);
  const add = (from: number, to: number) => {
    if (!next.has(from)) next.set(from, []);
    next.get(from)!.push(to);
  };
  for (const arc of graph.arcs) {
    if (reverse) add(arc.to, arc.from);
    else add(arc.from, arc.to);
    if (!arc.oneway) {
      if (reverse) add(arc.from, arc.to);
      else add(arc.to, arc.from);
    }
  }
  return next;
}

function reachableFrom(next: Map<number, number[]>, start: number): Set<number> {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const neighbour of next.get(node) ?? []) {
      if (!seen.has(neighbour)) {
        seen.add(neighbour);
        stack.push(neighbour);
      }
    }
  }
  return seen;
}

/** Nodes a crew can drive to from `baseNodeId` AND drive back from. */
export function roundTripNodes(graph: RoutingGraph, baseNodeId: number): Set<number> {
  const outward = reachableFrom(adjacency(graph, false), baseNodeId);
  const back = reachableFrom(adjacency(graph, true), baseNodeId);
  return new Set([...outward].filter((node) => back.has(node)));
}

/**
 * Segments (of `segmentIds`) a crew based at `baseNodeId` cannot patrol and come back from: some
 * arc of the segment has an end outside the base's round-trip set. Named so the planner lists
 * them as unassigned instead of dropping them. A segment with no arc at all is unreachable too.
 */
export function findUnreachableSegments(graph: RoutingGraph, baseNodeId: number, segmentIds: readonly number[]): number[] {
  const round = roundTripNodes(graph, baseNodeId);
  const arcsBySegment = new Map<number, RoutingArc[]>();
  for (const arc of graph.arcs) {
    if (arc.segmentId === null) continue;
    const list = arcsBySegment.get(arc.segmentId) ?? [];
    list.push(arc);
    arcsBySegment.set(arc.segmentId, list);
  }
  return segmentIds.filter((id) => {
    const arcs = arcsBySegment.get(id);
    return !arcs || arcs.some((arc) => !round.has(arc.from) || !round.has(arc.to));
  });
}

export interface GraphComponent {
  /** 1 = the largest by length. */
  rank: number;
  nodeIds: number[];
  arcCount: number;
  lengthMeters: number;
  segmentIds: number[];
}

/**
 * Strongly connected components (Tarjan, iterative: county graphs are deep), largest first by
 * road length. An arc belongs to a component when both its ends do; arcs between components
 * (a one-way exit nobody can come back through) are counted in none.
 */
export function stronglyConnectedComponents(graph: RoutingGraph): GraphComponent[] {
  const next = adjacency(graph, false);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const componentOf = new Map<number, number>();
  let counter = 0;
  let componentCount = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work: { node: number; neighbourIndex: number }[] = [{ node: root, neighbourIndex: 0 }];
    index.set(root, counter);
    low.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const neighbours = next.get(frame.node) ?? [];
      if (frame.neighbourIndex < neighbours.length) {
        const neighbour = neighbours[frame.neighbourIndex]!;
        frame.neighbourIndex += 1;
        if (!index.has(neighbour)) {
          index.set(neighbour, counter);
          low.set(neighbour, counter);
          counter += 1;
          stack.push(neighbour);
          onStack.add(neighbour);
          work.push({ node: neighbour, neighbourIndex: 0 });
        } else if (onStack.has(neighbour)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(neighbour)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          componentOf.set(member, componentCount);
        } while (member !== frame.node);
        componentCount += 1;
      }
    }
  }
  const components = Array.from({ length: componentCount }, () => ({ nodeIds: [] as number[], arcCount: 0, lengthMeters: 0, segmentIds: new Set<number>() }));
  for (const [node, component] of componentOf) components[component]!.nodeIds.push(node);
  for (const arc of graph.arcs) {
    const component = componentOf.get(arc.from);
    if (component === undefined || component !== componentOf.get(arc.to)) continue;
    const target = components[component]!;
    target.arcCount += 1;
    target.lengthMeters += arc.lengthMeters;
    if (arc.segmentId !== null) target.segmentIds.add(arc.segmentId);
  }
  return components
    .map((component) => ({ ...component, nodeIds: component.nodeIds.sort((a, b) => a - b), segmentIds: [...component.segmentIds].sort((a, b) => a - b) }))
    .sort((a, b) => b.lengthMeters - a.lengthMeters || a.nodeIds[0]! - b.nodeIds[0]!)
    .map((component, position) => ({ rank: position + 1, ...component }));
}

/** The node nearest a point (equirectangular metres: exact enough within a county). */
export function nearestNode(graph: RoutingGraph, lon: number, lat: number): { node: RoutingNode; distanceMeters: number } | null {
  let best: { node: RoutingNode; distanceMeters: number } | null = null;
  const metersPerDegreeLat = 110_540;
  const metersPerDegreeLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  for (const node of graph.nodes) {
    const distanceMeters = Math.hypot((node.lon - lon) * metersPerDegreeLon, (node.lat - lat) * metersPerDegreeLat);
    if (!best || distanceMeters < best.distanceMeters) best = { node, distanceMeters };
  }
  return best;
}
