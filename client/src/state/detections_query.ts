/** The review queue's view in the URL query of /detections (so a filtered queue can be shared). */
export const PAGE_SIZES = [50, 100, 200] as const;
export interface DetectionFilters {
  batch?: string;
  zone?: string;
  category?: string;
  jurisdiction?: string;
  minConfidence?: number;
  minArea?: number;
  status: string;
  includeOutOfScope: boolean;
}

export interface QueueView {
  filters: DetectionFilters;
  page: number;
  size: number;
}

export function parseQueueQuery(search: string): QueueView {
  const params = new URLSearchParams(search);
  const text = (key: string) => params.get(key) || undefined;
  const num = (key: string) => {
    const value = params.get(key);
    if (value === null || value === '') return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  const size = Number(params.get('size'));
  const page = Number(params.get('page'));
  return {
    filters: {
      batch: text('batch'),
      zone: text('zone'),
      category: text('category'),
      jurisdiction: text('jurisdiction'),
      minConfidence: num('minConfidence'),
      minArea: num('minArea'),
      status: text('status') ?? 'pending',
      includeOutOfScope: params.get('includeOutOfScope') === 'true',
    },
    page: Number.isInteger(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

export function formatQueueQuery(view: QueueView): string {
  const params = new URLSearchParams();
  const f = view.filters;
  for (const key of ['batch', 'zone', 'category', 'jurisdiction'] as const) if (f[key]) params.set(key, f[key]!);
  if (f.minConfidence !== undefined) params.set('minConfidence', String(f.minConfidence));
  if (f.minArea !== undefined) params.set('minArea', String(f.minArea));
  if (f.status !== 'pending') params.set('status', f.status);
  if (f.includeOutOfScope) params.set('includeOutOfScope', 'true');
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.size !== 50) params.set('size', String(view.size));
  const query = params.toString();
  return query ? `?${query}` : '';
}
