/**
 * Shortest paths on a directed graph in compressed sparse row form (typed arrays), so a county
 * graph of a few thousand nodes costs one Dijkstra per source node the planner cares about and a
 * distance matrix only among those nodes, never all pairs of the whole graph.
 */

/** A directed graph: the outgoing arcs of node v are arcIndex[offsets[v] .. offsets[v+1]). */
export interface DirectedGraph {
  nodeCount: number;
  offsets: Int32Array;
  /** Per CSR slot: the arc's head node, its weight, and the caller's arc id (for walks). */
  targets: Int32Array;
  weights: Float64Array;
  arcIds: Int32Array;
}

export interface WeightedArc {
  from: number;
  to: number;
  weight: number;
  /** The caller's id, reported back in predecessor arrays. */
  id: number;
}

export function buildDirectedGraph(nodeCount: number, arcs: readonly WeightedArc[]): DirectedGraph {
  const offsets = new Int32Array(nodeCount + 1);
  for (const arc of arcs) offsets[arc.from + 1]! += 1;
  for (let node = 0; node < nodeCount; node += 1) offsets[node + 1]! += offsets[node]!;
  const cursor = offsets.slice(0, nodeCount);
  const targets = new Int32Array(arcs.length);
  const weights = new Float64Array(arcs.length);
  const arcIds = new Int32Array(arcs.length);
  for (const arc of arcs) {
    const slot = cursor[arc.from]!;
    cursor[arc.from] = slot + 1;
    targets[slot] = arc.to;
    weights[slot] = arc.weight;
    arcIds[slot] = arc.id;
  }
  return { nodeCount, offsets, targets, weights, arcIds };
}

/** Result of one Dijkstra: distance per node (Infinity when unreachable) and the arc id used to enter it (-1 at the source). */
export interface ShortestPathTree {
  source: number;
  distance: Float64Array;
  enteringArc: Int32Array;
  /** The node the entering arc comes from (-1 at the source and unreachable nodes). */
  parent: Int32Array;
  /** The second weight summed along each shortest path, when asked for. */
  second: Float64Array | null;
}

/**
 * Binary-heap Dijkstra with lazy deletion; ties broken by node index so results are
 * deterministic. The heap never holds more than one entry per relaxation, so it is sized once.
 */
export function shortestPathTree(graph: DirectedGraph, source: number, secondWeights?: Float64Array): ShortestPathTree {
  const count = graph.nodeCount;
  const second = secondWeights ? new Float64Array(count).fill(Number.POSITIVE_INFINITY) : null;
  if (second) second[source] = 0;
  const distance = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const enteringArc = new Int32Array(count).fill(-1);
  const parent = new Int32Array(count).fill(-1);
  const done = new Uint8Array(count);
  const { offsets, targets, weights, arcIds } = graph;
  const capacity = targets.length + 1;
  const heapKeys = new Float64Array(capacity);
  const heapNodes = new Int32Array(capacity);
  let size = 0;
  distance[source] = 0;
  heapKeys[0] = 0;
  heapNodes[0] = source;
  size = 1;
  while (size > 0) {
    const node: number = heapNodes[0]!;
    // Pop: move the last entry to the root and sift it down.
    size -= 1;
    if (size > 0) {
      const key = heapKeys[size]!;
      const last = heapNodes[size]!;
      let index = 0;
      for (;;) {
        let child = index * 2 + 1;
        if (child >= size) break;
        const right = child + 1;
        if (right < size && (heapKeys[right]! < heapKeys[child]! || (heapKeys[right] === heapKeys[child] && heapNodes[right]! < heapNodes[child]!))) child = right;
        const childKey = heapKeys[child]!;
        if (childKey > key || (childKey === key && heapNodes[child]! >= last)) break;
        heapKeys[index] = childKey;
        heapNodes[index] = heapNodes[child]!;
        index = child;
      }
      heapKeys[index] = key;
      heapNodes[index] = last;
    }
    if (done[node]) continue;
    done[node] = 1;
    const base = distance[node]!;
    for (let slot: number = offsets[node]!, end: number = offsets[node + 1]!; slot < end; slot += 1) {
      const next = targets[slot]!;
      const candidate = base + weights[slot]!;
      if (candidate < distance[next]!) {
        distance[next] = candidate;
        enteringArc[next] = arcIds[slot]!;
        parent[next] = node;
        if (second) second[next] = second[node]! + secondWeights![slot]!;
        // Push: sift up from the end.
        let index = size;
        size += 1;
        while (index > 0) {
          const up = (index - 1) >> 1;
          const upKey = heapKeys[up]!;
          if (upKey < candidate || (upKey === candidate && heapNodes[up]! <= next)) break;
          heapKeys[index] = upKey;
          heapNodes[index] = heapNodes[up]!;
          index = up;
        }
        heapKeys[index] = candidate;
        heapNodes[index] = next;
      }
    }
  }
  return { source, distance, enteringArc, parent, second };
}

/** Arc ids of the shortest path from the tree's source to `target`, in driving order (empty when equal; null when unreachable). */
export function pathArcs(tree: ShortestPathTree, target: number): number[] | null {
  if (!Number.isFinite(tree.distance[target]!)) return null;
  const arcs: number[] = [];
  for (let node = target; node !== tree.source; node = tree.parent[node]!) arcs.push(tree.enteringArc[node]!);
  return arcs.reverse();
}

/**
 * Distance matrix among `terminals` (graph node ids): entry [i * k + j] is the shortest distance
 * from terminals[i] to terminals[j]. `secondWeights` (optional, per CSR slot like `weights`)
 * is summed along the same paths (e.g. metres along the fastest path).
 */
export function terminalDistances(
  graph: DirectedGraph,
  terminals: readonly number[],
  secondWeights?: Float64Array,
): { distance: Float64Array; alongside: Float64Array | null } {
  const k = terminals.length;
  const distance = new Float64Array(k * k);
  const second = secondWeights ? new Float64Array(k * k) : null;
  for (let i = 0; i < k; i += 1) {
    const tree = shortestPathTree(graph, terminals[i]!, secondWeights);
    for (let j = 0; j < k; j += 1) {
      distance[i * k + j] = tree.distance[terminals[j]!]!;
      if (second) second[i * k + j] = tree.second![terminals[j]!]!;
    }
  }
  return { distance, alongside: second };
}
