import { createElement, lazy, useState, type ComponentType } from 'react';
import { CAMPAIGNS_PATH, CREW_PATH, DASHBOARD_PATH, DETECTIONS_PATH, LEDGER_PATH, MY_ASSIGNMENTS_PATH, PATROL_PLANNING_PATH, RANKINGS_PATH, SUPERVISION_PATH } from './state/navigation';

/**
 * Every page is its own chunk (MapLibre with the map pages, ECharts with the dashboard's), so the
 * login page and the first map load only what they draw: the single bundle was 2.3 MB (684 kB
 * gzipped), all parsed before the first frame. A loader is kept per page so App can start the
 * current page's download before the session check answers (preloadPage). MapLibre is not
 * preloaded here: evaluating it takes the main thread for a few hundred ms, which would then fall
 * on the session answer and hold the page's first requests back (bench:client --trace showed
 * this); useMap starts it once the page has sent its requests.
 */
type PageProps = { onLoggedOut: () => void };

/**
 * A page's lazy component and its preloader. Once the chunk is in, the page renders directly
 * instead of through React.lazy: lazy suspends on its first render even for a loaded chunk, and
 * React then holds the revealed page back for its fallback throttle (300 ms; bench:client --trace
 * showed the map page's first requests leaving that much after the session answer).
 */
function page<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loaded: ComponentType<P> | null = null;
  let started: Promise<{ default: ComponentType<P> }> | null = null;
  const preload = () =>
    (started ??= load().then((component) => {
      loaded = component;
      return { default: component };
    }));
  const Lazy = lazy(preload);
  function Component(props: P) {
    // Chosen once per mount: switching from Lazy to the component later would remount the page.
    const [chosen] = useState(() => (loaded ?? Lazy) as ComponentType<P>);
    return createElement(chosen, props);
  }
  return { Component, preload };
}

export const PAGES = {
  reviewMap: page<PageProps>(() => import('./pages/ReviewMap').then((module) => module.ReviewMap)),
  ledger: page<PageProps>(() => import('./pages/LedgerPage').then((module) => module.LedgerPage)),
  detections: page<PageProps>(() => import('./pages/DetectionsPage').then((module) => module.DetectionsPage)),
  patrolPlanning: page<PageProps>(() => import('./pages/PatrolPlanningPage').then((module) => module.PatrolPlanningPage)),
  myAssignments: page<PageProps>(() => import('./pages/MyAssignmentsPage').then((module) => module.MyAssignmentsPage)),
  crew: page<object>(() => import('./pages/CrewPage').then((module) => module.CrewPage)),
  password: page<object>(() => import('./auth/PasswordPage').then((module) => module.PasswordPage)),
  dashboard: page<PageProps>(() => import('./pages/DashboardPage').then((module) => module.DashboardPage)),
  campaigns: page<PageProps>(() => import('./pages/CampaignsPage').then((module) => module.CampaignsPage)),
  rankings: page<PageProps>(() => import('./pages/RankingsPage').then((module) => module.RankingsPage)),
  supervision: page<PageProps>(() => import('./pages/SupervisionPage').then((module) => module.SupervisionPage)),
};

const PAGE_BY_PATH: Record<string, keyof typeof PAGES> = {
  [CREW_PATH]: 'crew',
  [LEDGER_PATH]: 'ledger',
  [DETECTIONS_PATH]: 'detections',
  [PATROL_PLANNING_PATH]: 'patrolPlanning',
  [MY_ASSIGNMENTS_PATH]: 'myAssignments',
  [DASHBOARD_PATH]: 'dashboard',
  [CAMPAIGNS_PATH]: 'campaigns',
  [RANKINGS_PATH]: 'rankings',
  [SUPERVISION_PATH]: 'supervision',
};

/**
 * Starts loading the chunk of the page at `path` (the map for any other path; the dashboard also
 * for the map path, a manager's home) while the session is checked: the chunk and the session
 * answer then arrive together instead of one after the other.
 */
export function preloadPage(path: string): void {
  const name = PAGE_BY_PATH[path];
  if (name) {
    void PAGES[name].preload();
    return;
  }
  void PAGES.reviewMap.preload();
}
