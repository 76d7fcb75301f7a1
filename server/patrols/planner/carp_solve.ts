/**
 * Mode A of the planner: a CARPLIB instance (undirected, one depot, capacity, unlimited vehicles,
 * least total cost) solved by the hybrid genetic search, with every route expanded into the
 * explicit walk over the instance's edges (deadheading included) so any reader can verify it.
 */
import type { CarpInstance } from './carp_instance.ts';
import type { CarpProblem } from './carp_problem.ts';
import { searchCarp } from './carp_genetic.ts';
import { SearchBudget, type SearchControl } from './search_budget.ts';
import { buildDirectedGraph, pathArcs, shortestPathTree, type ShortestPathTree, type WeightedArc } from './shortest_paths.ts';

/** One traversal of an instance edge, with the file's 1-based node numbers. */
export interface CarpWalkStep {
  from: number;
  to: number;
  serve: boolean;
}

export interface CarpSolution {
  instance: string;
  cost: number;
  seconds: number;
  routes: CarpWalkStep[][];
  iterations: number;
}

export interface CarpSolveOptions extends SearchControl {
  seed?: number;
}

export function solveCarp(instance: CarpInstance, options: CarpSolveOptions = {}): CarpSolution {
  const budget = new SearchBudget(options);
  const nodeCount = instance.nodeCount;
  const arcs: WeightedArc[] = [];
  instance.edges.forEach((edge, index) => {
    arcs.push({ from: edge.from - 1, to: edge.to - 1, weight: edge.cost, id: index * 2 });
    arcs.push({ from: edge.to - 1, to: edge.from - 1, weight: edge.cost, id: index * 2 + 1 });
  });
  const graph = buildDirectedGraph(nodeCount, arcs);
  const trees: ShortestPathTree[] = [];
  const deadhead = new Float64Array(nodeCount * nodeCount);
  for (let node = 0; node < nodeCount; node += 1) {
    const tree = shortestPathTree(graph, node);
    trees.push(tree);
    deadhead.set(tree.distance, node * nodeCount);
  }
  const required = instance.edges.filter((edge) => edge.required);
  const ends = new Int32Array(required.length * 2);
  required.forEach((edge, index) => {
    ends[index * 2] = edge.from - 1;
    ends[index * 2 + 1] = edge.to - 1;
  });
  const depot = instance.depot - 1;
  for (let index = 0; index < required.length; index += 1) {
    if (!Number.isFinite(deadhead[depot * nodeCount + ends[index * 2]!]!)) {
      throw new Error(`required edge (${required[index]!.from}, ${required[index]!.to}) cannot be reached from the depot`);
    }
  }
  const problem: CarpProblem = {
    nodeCount,
    depot,
    capacity: instance.capacity,
    deadhead,
    edgeCount: required.length,
    ends,
    serviceCost: Float64Array.from(required.map((edge) => edge.cost)),
    demand: Float64Array.from(required.map((edge) => edge.demand)),
  };
  const result = required.length === 0 ? { routes: [], cost: 0, iterations: 0 } : searchCarp(problem, options.seed ?? 1, budget);
  budget.report(result.cost, true);

  const deadheadSteps = (from: number, to: number): CarpWalkStep[] =>
    (pathArcs(trees[from]!, to) ?? []).map((arcId) => {
      const edge = instance.edges[arcId >> 1]!;
      return (arcId & 1) === 0 ? { from: edge.from, to: edge.to, serve: false } : { from: edge.to, to: edge.from, serve: false };
    });
  const routes = result.routes.map((services) => {
    const steps: CarpWalkStep[] = [];
    let at = depot;
    for (const service of services) {
      const head = ends[service]!;
      const tail = ends[service ^ 1]!;
      steps.push(...deadheadSteps(at, head), { from: head + 1, to: tail + 1, serve: true });
      at = tail;
    }
    steps.push(...deadheadSteps(at, depot));
    return steps;
  });
  return { instance: instance.name, cost: result.cost, seconds: budget.elapsedSeconds(), routes, iterations: result.iterations };
}
