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
}

/** Binary-heap Dijkstra; ties broken by node index so results are deterministic. */
export function shortestPathTree(graph: DirectedGraph, source: number): ShortestPathTree {
  const count = graph.nodeCount;
  const distance = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const enteringArc = new Int32Array(count).fill(-1);
  const parent = new Int32Array(count).fill(-1);
  const done = new Uint8Array(count);
  // Lazy-deletion heap of (distance, node) pairs.
  let heapKeys = new Float64Array(Math.max(16, count));
  let heapNodes = new Int32Array(Math.max(16, count));
  let size = 0;
  const push = (key: number, node: number): void => {
    if (size === heapKeys.length) {
      const grownKeys = new Float64Array(size * 2);
      grownKeys.set(heapKeys);
      heapKeys = grownKeys;
      const grownNodes = new Int32Array(size * 2);
      grownNodes.set(heapNodes);
      heapNodes = grownNodes;
    }
    let index = size;
    size += 1;
    while (index > 0) {
      const up = (index - 1) >> 1;
      const upKey = heapKeys[up]!;
      if (upKey < key || (upKey === key && heapNodes[up]! <= node)) break;
      heapKeys[index] = upKey;
      heapNodes[index] = heapNodes[up]!;
      index = up;
    }
    heapKeys[index] = key;
    heapNodes[index] = node;
  };
  const popInto = (): number => {
    const top = heapNodes[0]!;
    size -= 1;
    const key = heapKeys[size]!;
    const node = heapNodes[size]!;
    let index = 0;
    for (;;) {
      let child = index * 2 + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (heapKeys[right]! < heapKeys[child]! || (heapKeys[right] === heapKeys[child] && heapNodes[right]! < heapNodes[child]!))) child = right;
      if (heapKeys[child]! > key || (heapKeys[child] === key && heapNodes[child]! >= node)) break;
      heapKeys[index] = heapKeys[child]!;
      heapNodes[index] = heapNodes[child]!;
      index = child;
    }
    heapKeys[index] = key;
    heapNodes[index] = node;
    return top;
  };
  distance[source] = 0;
  push(0, source);
  const { offsets, targets, weights, arcIds } = graph;
  while (size > 0) {
    const node = popInto();
    if (done[node]) continue;
    done[node] = 1;
    const base = distance[node]!;
    for (let slot = offsets[node]!, end = offsets[node + 1]!; slot < end; slot += 1) {
      const next = targets[slot]!;
      const candidate = base + weights[slot]!;
      if (candidate < distance[next]!) {
        distance[next] = candidate;
        enteringArc[next] = arcIds[slot]!;
        parent[next] = node;
        push(candidate, next);
      }
    }
  }
  return { source, distance, enteringArc, parent };
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
 * from terminals[i] to terminals[j]. `alongside` (optional) sums a second weight per arc id along
 * the same paths (e.g. metres along the fastest path).
 */
export function terminalDistances(
  graph: DirectedGraph,
  terminals: readonly number[],
  alongside?: (arcId: number) => number,
): { distance: Float64Array; alongside: Float64Array | null } {
  const k = terminals.length;
  const distance = new Float64Array(k * k);
  const second = alongside ? new Float64Array(k * k) : null;
  for (let i = 0; i < k; i += 1) {
    const tree = shortestPathTree(graph, terminals[i]!);
    let order: Float64Array | null = null;
    if (second && alongside) {
      // Accumulate the second weight down the tree in order of distance (parents settle first).
      order = new Float64Array(graph.nodeCount).fill(Number.NaN);
      order[terminals[i]!] = 0;
      const resolve = (node: number): number => {
        const known = order![node]!;
        if (!Number.isNaN(known)) return known;
        const stack: number[] = [];
        let cursor = node;
        while (Number.isNaN(order![cursor]!)) {
          stack.push(cursor);
          cursor = tree.parent[cursor]!;
          if (cursor < 0) return Number.POSITIVE_INFINITY;
        }
        let value = order![cursor]!;
        for (let index = stack.length - 1; index >= 0; index -= 1) {
          const at = stack[index]!;
          value += alongside(tree.enteringArc[at]!);
          order![at] = value;
        }
        return value;
      };
      for (let j = 0; j < k; j += 1) second[i * k + j] = Number.isFinite(tree.distance[terminals[j]!]!) ? resolve(terminals[j]!) : Number.POSITIVE_INFINITY;
    }
    for (let j = 0; j < k; j += 1) distance[i * k + j] = tree.distance[terminals[j]!]!;
  }
  return { distance, alongside: second };
}
