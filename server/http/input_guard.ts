import { AppError } from './errors.ts';

/** Deeper than any request of the API needs (a GeoJSON polygon is 4 levels, attributes 2–3). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Refuses, before validation, what no route accepts and what would otherwise fail deep inside:
 * NUL characters anywhere in text (PostgreSQL text cannot hold them: an error at INSERT time) and
 * nesting deeper than {@link MAX_INPUT_DEPTH} (JSON.stringify and zod recurse, and 10,000 levels
 * overflow the stack). Iterative, so the check itself cannot overflow.
 */
export function assertPlainInput(value: unknown, part: string): void {
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw nulError(part, path);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new AppError(400, 'INPUT_TOO_DEEP', `${part} is nested deeper than ${MAX_INPUT_DEPTH} levels`, [
        { path: path.slice(0, 8).join('.'), message: `at most ${MAX_INPUT_DEPTH} levels of nesting`, in: part },
      ]);
    }
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) throw nulError(part, path);
      stack.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
  }
}

function nulError(part: string, path: string[]): AppError {
  const where = path.join('.');
  return new AppError(400, 'VALIDATION_FAILED', `${part} ${where ? `"${where}" ` : ''}is not valid: text must not contain NUL characters (\\u0000)`, [
    { path: where, message: 'text must not contain NUL characters (\\u0000)', in: part },
  ]);
}
