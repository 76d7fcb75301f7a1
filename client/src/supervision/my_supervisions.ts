import { OPEN_SUPERVISION_STATUSES } from '@domain/supervision_workflow';
import { useQuery } from '../api/query_cache';
import { fetchSupervisions } from '../api/supervisions';

/** Open supervision items naming the logged-in user (the navigation badge). */
export function useMySupervisionCount(enabled: boolean): number {
  const query = useQuery(enabled ? 'supervisions:mine:open' : null, () => fetchSupervisions({ mine: true, status: OPEN_SUPERVISION_STATUSES.join(','), limit: 1 }));
  return query.status === 'success' ? query.data.numberMatched : 0;
}
