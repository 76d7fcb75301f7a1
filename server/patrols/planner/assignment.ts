/**
 * Minimum-cost assignment (Hungarian method with potentials, O(n³)) on a dense square cost matrix
 * cost[i * n + j]; Infinity forbids a pair. Returns the minimum total (Infinity if none exists).
 */
export function minimumAssignmentCost(size: number, cost: Float64Array): number {
  if (size === 0) return 0;
  const INF = Number.POSITIVE_INFINITY;
  const rowPotential = new Float64Array(size + 1);
  const columnPotential = new Float64Array(size + 1);
  const matchOfColumn = new Int32Array(size + 1); // 1-based row matched to column j, 0 = none
  const way = new Int32Array(size + 1);
  const slack = new Float64Array(size + 1);
  const used = new Uint8Array(size + 1);
  const big = (() => {
    let max = 0;
    for (const value of cost) if (Number.isFinite(value)) max = Math.max(max, value);
    return (max + 1) * (size + 1) * 4;
  })();
  const at = (i: number, j: number): number => {
    const value = cost[(i - 1) * size + (j - 1)]!;
    return Number.isFinite(value) ? value : big;
  };
  for (let row = 1; row <= size; row += 1) {
    matchOfColumn[0] = row;
    let column0 = 0;
    slack.fill(INF);
    used.fill(0);
    do {
      used[column0] = 1;
      const row0 = matchOfColumn[column0]!;
      let delta = INF;
      let column1 = 0;
      for (let j = 1; j <= size; j += 1) {
        if (used[j]) continue;
        const current = at(row0, j) - rowPotential[row0]! - columnPotential[j]!;
        if (current < slack[j]!) {
          slack[j] = current;
          way[j] = column0;
        }
        if (slack[j]! < delta) {
          delta = slack[j]!;
          column1 = j;
        }
      }
      for (let j = 0; j <= size; j += 1) {
        if (used[j]) {
          rowPotential[matchOfColumn[j]!]! += delta;
          columnPotential[j]! -= delta;
        } else {
          slack[j]! -= delta;
        }
      }
      column0 = column1;
    } while (matchOfColumn[column0] !== 0);
    do {
      const column1 = way[column0]!;
      matchOfColumn[column0] = matchOfColumn[column1]!;
      column0 = column1;
    } while (column0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= size; j += 1) {
    const value = cost[(matchOfColumn[j]! - 1) * size + (j - 1)]!;
    if (!Number.isFinite(value)) return INF;
    total += value;
  }
  return total;
}
