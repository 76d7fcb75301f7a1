import { formatStake } from '@domain/stake';
import { fetchRoutes } from '../api/endpoints';
import { useQuery } from '../api/query_cache';
import type { RouteSummary } from '../api/types';

const FALLBACK_EXAMPLE = 'G107\u00a0K3+200';
const CLASS_PREFERENCE = ['national', 'expressway', 'provincial', 'county', 'township', 'village'];

/**
 * An example stake that exists in this deployment's network ("G310 K3+200"), for the search
 * placeholder and hints: an example that answers "out of range" teaches the wrong thing.
 */
export function useExampleStake(): string {
  const routes = useQuery<RouteSummary[]>('routes', () => fetchRoutes());
  if (routes.status !== 'success') return FALLBACK_EXAMPLE;
  return exampleStake(routes.data) ?? FALLBACK_EXAMPLE;
}

export function exampleStake(routes: readonly RouteSummary[]): string | null {
  const candidates = routes
    .filter((route) => !route.isDemoCode && route.chainageToMeters - route.chainageFromMeters >= 500)
    .sort((a, b) => CLASS_PREFERENCE.indexOf(a.adminClass) - CLASS_PREFERENCE.indexOf(b.adminClass) || b.lengthMeters - a.lengthMeters);
  const route = candidates[0] ?? [...routes].sort((a, b) => b.lengthMeters - a.lengthMeters)[0];
  if (!route) return null;
  // K3+200 when the route is long enough, else a stake a little way in.
  const chainage = route.chainageToMeters >= 3400 ? 3200 : Math.floor((route.chainageFromMeters + route.chainageToMeters) / 2 / 100) * 100;
  // A no-break space keeps the example on one line in hints.
  return `${route.code}\u00a0${formatStake(chainage)}`;
}
