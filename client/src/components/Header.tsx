import type { MouseEvent } from 'react';
import { UserBadge } from '../auth/UserBadge';
import { can, useSession } from '../auth/session_store';
import { CAMPAIGNS_PATH, DASHBOARD_PATH, DETECTIONS_PATH, LEDGER_PATH, mapUrl, MY_ASSIGNMENTS_PATH, navigateTo, PATROL_PLANNING_PATH, RANKINGS_PATH, SUPERVISION_PATH } from '../state/navigation';
import { useMySupervisionCount } from '../supervision/my_supervisions';
import { isPermission } from '@domain/roles';
import { useI18n } from '../i18n/i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { StakeSearch } from './StakeSearch';

export type Page = 'map' | 'ledger' | 'detections' | 'patrols' | 'assignments' | 'dashboard' | 'campaigns' | 'rankings' | 'supervision';

// Added by the detections server (issue 5); looked up by name so the client builds without it.
const DETECTIONS_READ: string = 'detections.read';

export function Header({ onLoggedOut, page = 'map' }: { onLoggedOut: () => void; page?: Page }) {
  const { t } = useI18n();
  const session = useSession();
  const mySupervisions = useMySupervisionCount(session.status === 'authenticated' && can(session, 'supervisions.transition'));
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigateTo(event.currentTarget.getAttribute('href') ?? '/');
  };
  const items = [
    // Management pages (server/domain/roles.ts reports.read); the dashboard is a manager's home.
    { page: 'dashboard' as const, href: DASHBOARD_PATH, text: t('nav.dashboard'), show: can(session, 'reports.read') },
    { page: 'campaigns' as const, href: CAMPAIGNS_PATH, text: t('nav.campaigns'), show: can(session, 'reports.read') },
    { page: 'rankings' as const, href: RANKINGS_PATH, text: t('nav.rankings'), show: can(session, 'reports.read') },
    // Managers follow their items; the officers named responsible answer theirs (badge: open ones).
    { page: 'supervision' as const, href: `${SUPERVISION_PATH}${can(session, 'supervisions.manage') ? '' : '?mine=true'}`, text: t('nav.supervision'), show: can(session, 'supervisions.read') && (can(session, 'supervisions.manage') || can(session, 'supervisions.transition')) },
    { page: 'map' as const, href: mapUrl(), text: t('nav.map'), show: can(session, 'network.read') },
    { page: 'ledger' as const, href: LEDGER_PATH, text: t('nav.ledger'), show: can(session, 'violations.read') },
    { page: 'detections' as const, href: DETECTIONS_PATH, text: t('nav.detections'), show: isPermission(DETECTIONS_READ) && can(session, DETECTIONS_READ) },
    { page: 'patrols' as const, href: PATROL_PLANNING_PATH, text: t('nav.patrols'), show: can(session, 'patrols.plan') },
    { page: 'assignments' as const, href: MY_ASSIGNMENTS_PATH, text: t('nav.myAssignments'), show: can(session, 'assignments.read') },
  ].filter((item) => item.show);
  return (
    <header className="app-header">
      <div className="brand">
        <svg className="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <rect width="64" height="64" rx="14" fill="#1d5c47" />
          <path d="M22 56 L29 8 M42 56 L35 8" stroke="#f1f3f0" strokeWidth="5" strokeLinecap="round" />
          <path d="M32 14v8M32 30v8M32 46v6" stroke="#f5b83d" strokeWidth="3.5" strokeLinecap="round" />
        </svg>
        <div className="brand-text">
          <span className="brand-name" lang="zh-CN">
            {t('app.name')}
          </span>
          <span className="brand-latin" lang="en">
            {t('app.nameLatin')}
          </span>
        </div>
      </div>
      <nav className="main-nav" aria-label={t('nav.label')}>
        {items.map((item) => (
          <a key={item.page} href={item.href} className="main-nav-link" aria-current={item.page === page ? 'page' : undefined} onClick={follow}>
            {item.text}
            {item.page === 'supervision' && mySupervisions > 0 && (
              <span className="nav-badge" aria-label={t('sup.badge', { count: mySupervisions })} data-testid="supervision-badge">
                {mySupervisions}
              </span>
            )}
          </a>
        ))}
      </nav>
      {page === 'map' ? <StakeSearch /> : <div className="header-spacer" />}
      <div className="header-end">
        <LanguageSwitch />
        <UserBadge onLoggedOut={onLoggedOut} />
      </div>
    </header>
  );
}
