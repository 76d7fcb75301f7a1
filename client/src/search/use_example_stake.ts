import { formatStake } from '@domain/stake';
import { fetchExampleRoute } from '../api/endpoints';
import { useQuery } from '../api/query_cache';
import type { RouteSummary } from '../api/types';

const FALLBACK_EXAMPLE = 'G107\u00a0K3+200';

/**
 * An example stake that exists in this deployment's network ("G310 K3+200"), for the search
 * placeholder and hints: an example that answers "out of range" teaches the wrong thing. The
 * server picks the route (GET /routes/example): the whole route list is thousands of routes in a
 * province, and fetching it at every start delayed the map's own first requests.
 */
export function useExampleStake(): string {
  const route = useQuery<RouteSummary | null>('routes:example', () => fetchExampleRoute());
  if (route.status !== 'success' || !route.data) return FALLBACK_EXAMPLE;
  return exampleStake(route.data);
}

/** K3+200 on the route when it is long enough, else a stake a little way in. */
export function exampleStake(route: RouteSummary): string {
  const chainage = route.chainageToMeters >= 3400 ? 3200 : Math.floor((route.chainageFromMeters + route.chainageToMeters) / 2 / 100) * 100;
  // A no-break space keeps the example on one line in hints.
  return `${route.code}\u00a0${formatStake(chainage)}`;
}
