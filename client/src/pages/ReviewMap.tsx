import { can, useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { Legend } from '../components/Legend';
import { MapView } from '../components/MapView';
import { SidePanel } from '../components/SidePanel';
import { CreatePanel } from '../components/violations/CreatePanel';
import { ViolationDrawer } from '../components/violations/ViolationDrawer';
import { useI18n } from '../i18n/i18n';
import { violationActions, useViolationsState } from '../state/violations_store';

/** The review map: the network, its legal zones, violations, stake search and the side panel. */
export function ReviewMap({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const selectedId = useViolationsState((s) => s.selectedId);
  const creating = useViolationsState((s) => s.creating);
  const mayReport = can(session, 'findings.record');
  return (
    <div className="app-shell">
      <a className="skip-link" href="#map-region">
        {t('app.skipToMap')}
      </a>
      <Header onLoggedOut={onLoggedOut} page="map" />
      <main className="review-map">
        <MapView />
        <Legend />
        {/* One stack so that on a phone the report button always sits just above whichever sheet is open. */}
        <div className="map-sheet-stack">
          {mayReport && !creating && (
            <button
              type="button"
              className="report-button"
              data-testid="report-button"
              // The searched stake's pin stays: it is usually where the finding is.
              onClick={() => violationActions.startCreate()}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M12 5v14M5 12h14" />
              </svg>
              {t('v.report')}
            </button>
          )}
          {creating ? <CreatePanel /> : selectedId !== null ? <ViolationDrawer key={selectedId} id={selectedId} onClose={() => violationActions.select(null)} /> : <SidePanel />}
        </div>
      </main>
    </div>
  );
}
