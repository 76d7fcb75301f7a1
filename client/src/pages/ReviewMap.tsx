import { Header } from '../components/Header';
import { Legend } from '../components/Legend';
import { MapView } from '../components/MapView';
import { SidePanel } from '../components/SidePanel';
import { useI18n } from '../i18n/i18n';

/** The review map: the network, its legal zones, stake search and the point/segment panel. */
export function ReviewMap({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useI18n();
  return (
    <div className="app-shell">
      <a className="skip-link" href="#map-region">
        {t('app.skipToMap')}
      </a>
      <Header onLoggedOut={onLoggedOut} />
      <main className="review-map">
        <MapView />
        <Legend />
        <SidePanel />
      </main>
    </div>
  );
}
