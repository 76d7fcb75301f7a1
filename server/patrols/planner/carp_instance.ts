/** Reads a CARPLIB instance (format in ../shared/data/carp/README.md): undirected edges, one depot, a capacity. */

export interface CarpEdge {
  /** 1-based node numbers as in the file. */
  from: number;
  to: number;
  cost: number;
  demand: number;
  required: boolean;
}

export interface CarpInstance {
  name: string;
  nodeCount: number;
  capacity: number;
  depot: number;
  edges: CarpEdge[];
}

const EDGE_LINE = /^\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*coste\s+(\d+(?:\.\d+)?)(?:\s+demanda\s+(\d+(?:\.\d+)?))?/i;

export function parseCarpInstance(text: string): CarpInstance {
  let name = '';
  let nodeCount = 0;
  let capacity = 0;
  let depot = 0;
  let section: 'required' | 'optional' | null = null;
  const edges: CarpEdge[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const edge = EDGE_LINE.exec(line);
    if (edge && section) {
      const demand = Number(edge[4] ?? 0);
      edges.push({ from: Number(edge[1]), to: Number(edge[2]), cost: Number(edge[3]), demand, required: section === 'required' });
      continue;
    }
    const [keyPart, ...rest] = line.split(':');
    const key = (keyPart ?? '').trim().toUpperCase();
    const value = rest.join(':').trim();
    if (key === 'NOMBRE') name = value;
    else if (key === 'VERTICES') nodeCount = Number(value);
    else if (key === 'CAPACIDAD') capacity = Number(value);
    else if (key === 'DEPOSITO') depot = Number(value);
    else if (key === 'LISTA_ARISTAS_REQ') section = 'required';
    else if (key === 'LISTA_ARISTAS_NOREQ') section = 'optional';
  }
  if (!(nodeCount > 0) || !(capacity > 0) || !(depot >= 1 && depot <= nodeCount)) {
    throw new Error(`not a CARPLIB instance (VERTICES ${nodeCount}, CAPACIDAD ${capacity}, DEPOSITO ${depot})`);
  }
  for (const edge of edges) {
    if (edge.from < 1 || edge.from > nodeCount || edge.to < 1 || edge.to > nodeCount) throw new Error(`edge (${edge.from}, ${edge.to}) outside 1..${nodeCount}`);
  }
  return { name, nodeCount, capacity, depot, edges };
}
