import { Suspense, useEffect, useState } from 'react';
import { fetchConfig } from './api/endpoints';
import { setUnauthenticatedHandler } from './api/http';
import { useQuery } from './api/query_cache';
import { LoginPage } from './auth/LoginPage';
import { PASSWORD_PATH } from './auth/password_path';
import { currentViewPath, LOGIN_PATH, loginUrlFor } from './auth/login_redirect';
import { can, refreshSession, useSession } from './auth/session_store';
import { useI18n } from './i18n/i18n';
import { PAGES, preloadPage } from './page_chunks';
import { CAMPAIGNS_PATH, CREW_PATH, DASHBOARD_PATH, DETECTIONS_PATH, LEDGER_PATH, MAP_PATH, MY_ASSIGNMENTS_PATH, onNavigate, PATROL_PLANNING_PATH, RANKINGS_PATH, SUPERVISION_PATH } from './state/navigation';
import { uiActions } from './state/store';

function navigate(path: string, setPath: (path: string) => void) {
  window.history.pushState(null, '', path);
  setPath(window.location.pathname);
}

export function App() {
  const { language, t } = useI18n();
  const session = useSession();
  const [path, setPath] = useState(window.location.pathname);
  const config = useQuery('config', () => fetchConfig());

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${t('app.name')} ${t('app.nameLatin')} · ${t('app.section')}`;
  }, [language, t]);

  useEffect(() => {
    if (config.status === 'success') uiActions.setDirectionLabels(config.data.directionLabels);
  }, [config.status, config.data]);

  useEffect(() => {
    // An expired session anywhere sends the user to login and back to the same view afterwards.
    setUnauthenticatedHandler(() => {
      if (window.location.pathname !== LOGIN_PATH) navigate(loginUrlFor(currentViewPath(), true), setPath);
    });
    const stop = onNavigate(() => setPath(window.location.pathname));
    // The page's chunk downloads while the session is checked (not after).
    if (window.location.pathname !== LOGIN_PATH) preloadPage(window.location.pathname);
    void refreshSession();
    return stop;
  }, []);

  useEffect(() => {
    if (session.status === 'anonymous' && path !== LOGIN_PATH) navigate(loginUrlFor(currentViewPath()), setPath);
  }, [session.status, path]);

  if (path === LOGIN_PATH) {
    // A full load after login: the view state (map position, selection) is restored from the URL.
    return <LoginPage showDemoHint onLoggedIn={(nextPath) => window.location.assign(nextPath)} />;
  }
  const loading = (
    <div className="app-loading" role="status">
      {t('app.name')} …
    </div>
  );
  if (session.status !== 'authenticated') return loading;
  return <Suspense fallback={loading}>{page(path, session, () => navigate(LOGIN_PATH, setPath))}</Suspense>;
}

function page(path: string, session: ReturnType<typeof useSession>, onLoggedOut: () => void) {
  if (path === CREW_PATH) return <PAGES.crew.Component />;
  if (path === PASSWORD_PATH) return <PAGES.password.Component />;
  if (path === LEDGER_PATH) return <PAGES.ledger.Component onLoggedOut={onLoggedOut} />;
  if (path === DETECTIONS_PATH) return <PAGES.detections.Component onLoggedOut={onLoggedOut} />;
  if (path === PATROL_PLANNING_PATH) return <PAGES.patrolPlanning.Component onLoggedOut={onLoggedOut} />;
  if (path === MY_ASSIGNMENTS_PATH) return <PAGES.myAssignments.Component onLoggedOut={onLoggedOut} />;
  if (path === DASHBOARD_PATH) return <PAGES.dashboard.Component onLoggedOut={onLoggedOut} />;
  if (path === CAMPAIGNS_PATH) return <PAGES.campaigns.Component onLoggedOut={onLoggedOut} />;
  if (path === RANKINGS_PATH) return <PAGES.rankings.Component onLoggedOut={onLoggedOut} />;
  if (path === SUPERVISION_PATH) return <PAGES.supervision.Component onLoggedOut={onLoggedOut} />;
  // A manager's home is the dashboard (a map URL with a view in its hash still opens the map).
  if (path === MAP_PATH && !window.location.hash && can(session, 'campaigns.manage')) return <PAGES.dashboard.Component onLoggedOut={onLoggedOut} />;
  return <PAGES.reviewMap.Component onLoggedOut={onLoggedOut} />;
}
