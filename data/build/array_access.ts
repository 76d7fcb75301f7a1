/**
 * Checked indexing. The builder only indexes arrays at positions it has just computed; an
 * absent element there is a bug in the builder, never a property of the data, so it throws.
 */
export function itemAt<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} is outside 0..${items.length - 1}`);
  return item;
}

export function firstItem<T>(items: readonly T[]): T {
  return itemAt(items, 0);
}

export function lastItem<T>(items: readonly T[]): T {
  return itemAt(items, items.length - 1);
}
