import { SUPERVISION_STATUS_LABELS } from '@domain/supervision_workflow';
import { useQuery } from '../api/query_cache';
import { fetchSupervisions } from '../api/supervisions';
import { can, useSession } from '../auth/session_store';
import { label } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { navigateTo, SUPERVISION_PATH } from '../state/navigation';

/** The supervision items of a case in its drawer: the officer named sees theirs; a manager may supervise an open case. */
export function CaseSupervisions({ violationId, caseOpen }: { violationId: number; caseOpen: boolean }) {
  const { language, t } = useI18n();
  const session = useSession();
  const query = useQuery(can(session, 'supervisions.read') ? `supervisions:case:${violationId}` : null, () => fetchSupervisions({ violationId, limit: 20 }));
  if (!can(session, 'supervisions.read')) return null;
  const items = query.status === 'success' ? query.data.items : [];
  const open = (url: string) => (event: { preventDefault: () => void }) => {
    event.preventDefault();
    navigateTo(url);
  };
  return (
    <section className="panel-section" data-testid="case-supervisions">
      <h3 className="section-title">{t('sup.drawer.title')}</h3>
      {query.status === 'success' && items.length === 0 && <p className="muted">{t('sup.drawer.none')}</p>}
      <ul className="sup-case-list">
        {items.map((item) => (
          <li key={item.id}>
            <a href={`${SUPERVISION_PATH}?id=${item.id}&violationId=${violationId}`} onClick={open(`${SUPERVISION_PATH}?id=${item.id}&violationId=${violationId}`)}>
              {item.supervisionNumber}
            </a>{' '}
            {label(SUPERVISION_STATUS_LABELS[item.status], language, item.status)} · {item.deadline}
            {item.overdue && <span className="sup-overdue"> · {t('sup.overdue')}</span>}
            {item.assignedToMe && <span className="sup-badge">{t('sup.mine')}</span>}
          </li>
        ))}
      </ul>
      {caseOpen && can(session, 'supervisions.manage') && (
        <a className="button-secondary" href={`${SUPERVISION_PATH}?create=case&violationId=${violationId}`} onClick={open(`${SUPERVISION_PATH}?create=case&violationId=${violationId}`)} data-testid="supervise-case">
          {t('sup.drawer.supervise')}
        </a>
      )}
    </section>
  );
}
