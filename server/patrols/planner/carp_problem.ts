/**
 * The solver's internal view of an undirected CARP (Mode A): required edges numbered 0..m-1, each
 * served in one of two directions. Service s = 2e drives edge e from `ends[2e]` to `ends[2e+1]`,
 * s = 2e+1 the other way, so flipping a service is `s ^ 1`. Distances are a dense Float64Array
 * over the graph's nodes (CARPLIB graphs have ≤ 200 nodes).
 */
export interface CarpProblem {
  nodeCount: number;
  depot: number;
  capacity: number;
  /** deadhead[a * nodeCount + b]: cheapest driving from node a to node b. Symmetric. */
  deadhead: Float64Array;
  /** Per required edge: its two end nodes (0-based), cost, demand. */
  edgeCount: number;
  ends: Int32Array;
  serviceCost: Float64Array;
  demand: Float64Array;
}

/** Start node of a service: for s = 2e it is ends[2e], for s = 2e+1 it is ends[2e+1]. */
export function serviceHead(problem: CarpProblem, service: number): number {
  return problem.ends[service]!;
}

/** End node of a service: the other end of the same edge. */
export function serviceTail(problem: CarpProblem, service: number): number {
  return problem.ends[service ^ 1]!;
}

/** Cost of one route given as services in driving order, including the legs from and to the depot. */
export function routeCost(problem: CarpProblem, services: readonly number[]): number {
  const { deadhead, nodeCount, depot, ends, serviceCost } = problem;
  let at = depot;
  let total = 0;
  for (const service of services) {
    total += deadhead[at * nodeCount + ends[service]!]! + serviceCost[service >> 1]!;
    at = ends[service ^ 1]!;
  }
  return total + deadhead[at * nodeCount + depot]!;
}

export function routeLoad(problem: CarpProblem, services: readonly number[]): number {
  let load = 0;
  for (const service of services) load += problem.demand[service >> 1]!;
  return load;
}
