import type { ImageryBasemap } from '../api/endpoints';
import { useI18n } from '../i18n/i18n';
import { uiActions, useUiState } from '../state/store';

/**
 * The switch of the imagery basemap, the same on every map (one choice, kept in localStorage), or
 * nothing when the deployment has no imagery. `floating` sets it over the map for maps without a
 * legend of their own.
 */
export function ImageryToggle({ basemap, floating = false }: { basemap: ImageryBasemap | null; floating?: boolean }) {
  const { t } = useI18n();
  const visible = useUiState((s) => s.imageryVisible);
  if (!basemap) return null;
  return (
    <label className={`legend-check imagery-toggle${floating ? ' is-floating' : ''}`}>
      <input type="checkbox" name="imagery" checked={visible} onChange={(event) => uiActions.setImageryVisible(event.target.checked)} data-testid="imagery-toggle" />
      <span>{t('legend.imagery')}</span>
    </label>
  );
}
