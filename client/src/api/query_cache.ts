import { useEffect, useState } from 'react';

/**
 * A tiny query cache for server data: one in-flight request per key, results kept for
 * `staleAfterMs`, errors never cached (the next use retries). Enough for a handful of
 * read-only endpoints; a real library can replace it when mutations arrive.
 */
interface Entry {
  promise: Promise<unknown>;
  data?: unknown;
  settledAt?: number;
  failed?: boolean;
}

const entries = new Map<string, Entry>();
const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

export function fetchCached<T>(key: string, fetcher: () => Promise<T>, staleAfterMs = DEFAULT_STALE_AFTER_MS): Promise<T> {
  const existing = entries.get(key);
  if (existing && !existing.failed) {
    const fresh = existing.settledAt === undefined || Date.now() - existing.settledAt < staleAfterMs;
    if (fresh) return existing.promise as Promise<T>;
  }
  const entry: Entry = { promise: Promise.resolve() };
  entry.promise = fetcher().then(
    (data) => {
      entry.data = data;
      entry.settledAt = Date.now();
      return data;
    },
    (error: unknown) => {
      entry.failed = true;
      if (entries.get(key) === entry) entries.delete(key);
      throw error;
    },
  );
  entries.set(key, entry);
  return entry.promise as Promise<T>;
}

/** Synchronously available data for a key, if a previous fetch succeeded. */
export function peekCached<T>(key: string): T | undefined {
  const entry = entries.get(key);
  return entry && entry.settledAt !== undefined ? (entry.data as T) : undefined;
}

export function invalidateCached(keyPrefix: string): void {
  for (const key of entries.keys()) if (key.startsWith(keyPrefix)) entries.delete(key);
}

export type QueryState<T> =
  | { status: 'idle'; data: undefined; error: undefined }
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'success'; data: T; error: undefined }
  | { status: 'error'; data: undefined; error: unknown };

const IDLE = { status: 'idle', data: undefined, error: undefined } as const;
const LOADING = { status: 'loading', data: undefined, error: undefined } as const;

/**
 * Reads a cached query in a component. `key === null` means "nothing to fetch" (idle).
 * The fetcher must depend only on what the key encodes.
 */
export function useQuery<T>(key: string | null, fetcher: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<{ key: string | null; value: QueryState<T> }>(() => initial(key));

  useEffect(() => {
    if (key === null) {
      setState({ key, value: IDLE });
      return;
    }
    const cached = peekCached<T>(key);
    setState({ key, value: cached === undefined ? LOADING : { status: 'success', data: cached, error: undefined } });
    let cancelled = false;
    fetchCached(key, fetcher).then(
      (data) => {
        if (!cancelled) setState({ key, value: { status: 'success', data, error: undefined } });
      },
      (error: unknown) => {
        if (!cancelled) setState({ key, value: { status: 'error', data: undefined, error } });
      },
    );
    return () => {
      cancelled = true;
    };
    // The key identifies the request; the fetcher closure is recreated every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Until the effect runs for a new key, report the new key's state rather than the old one's.
  return state.key === key ? state.value : initial<T>(key).value;
}

function initial<T>(key: string | null): { key: string | null; value: QueryState<T> } {
  if (key === null) return { key, value: IDLE };
  const cached = peekCached<T>(key);
  return { key, value: cached === undefined ? LOADING : { status: 'success', data: cached, error: undefined } };
}
