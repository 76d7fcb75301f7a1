/**
 * Compiles a patrol problem (Mode B) into the solver's arrays: the "terminals" (crew bases and
 * the ends of required items) with driving time and metres between every pair of them along the
 * fastest path, and each required item's service variants — a one-way arc has one, a two-way road
 * two (either direction), a point task one (a stop at its node).
 */
import type { PatrolProblem } from './patrol_types.ts';
import { buildDirectedGraph, terminalDistances, type DirectedGraph, type WeightedArc } from './shortest_paths.ts';

export interface PatrolModel {
  graph: DirectedGraph;
  /** Graph node of each terminal. */
  terminals: number[];
  terminalCount: number;
  /** time[a * terminalCount + b]: fastest driving seconds between terminals; metres[...] the metres along that path. */
  time: Float64Array;
  metres: Float64Array;
  itemCount: number;
  /** Variants of item i are variantStart[i] .. variantStart[i+1]-1. */
  variantStart: Int32Array;
  variantItem: Int32Array;
  variantHead: Int32Array;
  variantTail: Int32Array;
  variantSeconds: Float64Array;
  variantMeters: Float64Array;
  /** Arc step served: arcIndex * 2 + (0 forward, 1 backward), or -1 for a stop. */
  variantArcStep: Int32Array;
  crewBase: Int32Array;
  crewShiftSeconds: Float64Array;
}

/** Arc id in the time graph: arc index * 2 + direction (0 = from→to, 1 = to→from). */
export function timeGraphArcs(problem: PatrolProblem): WeightedArc[] {
  const arcs: WeightedArc[] = [];
  problem.network.arcs.forEach((arc, index) => {
    arcs.push({ from: arc.from, to: arc.to, weight: arc.travelSeconds, id: index * 2 });
    if (!arc.oneway) arcs.push({ from: arc.to, to: arc.from, weight: arc.travelSeconds, id: index * 2 + 1 });
  });
  return arcs;
}

export function buildPatrolModel(problem: PatrolProblem): PatrolModel {
  const { network, required, crews } = problem;
  const graph = buildDirectedGraph(network.nodeCount, timeGraphArcs(problem));
  const terminalOf = new Map<number, number>();
  const terminals: number[] = [];
  const terminal = (node: number): number => {
    let index = terminalOf.get(node);
    if (index === undefined) {
      index = terminals.length;
      terminals.push(node);
      terminalOf.set(node, index);
    }
    return index;
  };
  const crewBase = Int32Array.from(crews.map((crew) => terminal(crew.baseNode)));
  const variantStart = new Int32Array(required.length + 1);
  const variants: { item: number; head: number; tail: number; seconds: number; meters: number; step: number }[] = [];
  required.forEach((item, index) => {
    variantStart[index] = variants.length;
    if (item.kind === 'stop') {
      const at = terminal(item.node);
      variants.push({ item: index, head: at, tail: at, seconds: item.serviceSeconds, meters: 0, step: -1 });
      return;
    }
    const arc = network.arcs[item.arc]!;
    const seconds = item.serviceSeconds ?? arc.travelSeconds;
    const from = terminal(arc.from);
    const to = terminal(arc.to);
    variants.push({ item: index, head: from, tail: to, seconds, meters: arc.lengthMeters, step: item.arc * 2 });
    if (!arc.oneway) variants.push({ item: index, head: to, tail: from, seconds, meters: arc.lengthMeters, step: item.arc * 2 + 1 });
  });
  variantStart[required.length] = variants.length;
  const slotMeters = Float64Array.from(graph.arcIds, (arcId) => network.arcs[arcId >> 1]!.lengthMeters);
  const { distance, alongside } = terminalDistances(graph, terminals, slotMeters);
  return {
    graph,
    terminals,
    terminalCount: terminals.length,
    time: distance,
    metres: alongside!,
    itemCount: required.length,
    variantStart,
    variantItem: Int32Array.from(variants.map((variant) => variant.item)),
    variantHead: Int32Array.from(variants.map((variant) => variant.head)),
    variantTail: Int32Array.from(variants.map((variant) => variant.tail)),
    variantSeconds: Float64Array.from(variants.map((variant) => variant.seconds)),
    variantMeters: Float64Array.from(variants.map((variant) => variant.meters)),
    variantArcStep: Int32Array.from(variants.map((variant) => variant.step)),
    crewBase,
    crewShiftSeconds: Float64Array.from(crews.map((crew) => crew.shiftMinutes * 60)),
  };
}
