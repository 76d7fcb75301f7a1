import { expect } from 'vitest';

/**
 * Every key has a Chinese label (Han characters) and an English one (a capital letter first), and
 * no two keys share a label: a blanked or swapped label is a user-visible bug.
 */
export function expectBilingualLabels(keys: readonly string[], labels: Readonly<Record<string, { zh: string; en: string }>>): void {
  expect(Object.keys(labels).sort()).toEqual([...keys].sort());
  for (const key of keys) {
    expect(labels[key]?.zh, key).toMatch(/^\p{Script=Han}/u);
    expect(labels[key]?.en, key).toMatch(/^[A-Z][a-z]/);
  }
  expect(new Set(keys.map((key) => labels[key]?.zh)).size).toBe(keys.length);
  expect(new Set(keys.map((key) => labels[key]?.en)).size).toBe(keys.length);
}
