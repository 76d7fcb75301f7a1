import type { CSSProperties } from 'react';
import { zoneName } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { ZONE_COLORS, ZONE_DRAW_ORDER } from '../map/palette';
import { uiActions, useUiState } from '../state/store';

/** Zone kinds listed narrowest first, the order an officer reads them outward from the road. */
const LEGEND_ZONE_ORDER = [...ZONE_DRAW_ORDER].reverse();

/**
 * One checkbox per zone kind with its colour. The choice is the user's (ui store, kept in
 * localStorage), so the overview map and the lead map show the same kinds.
 */
export function ZoneToggles({ testId }: { testId?: string }) {
  const { language, t } = useI18n();
  const visibility = useUiState((s) => s.zoneVisibility);
  return (
    <fieldset className="legend-zones" data-testid={testId}>
      <legend className="legend-heading">{t('legend.zones')}</legend>
      {LEGEND_ZONE_ORDER.map((kind) => (
        <label key={kind} className="legend-check">
          <input type="checkbox" name={`zone-${kind}`} checked={visibility[kind]} onChange={(event) => uiActions.setZoneVisible(kind, event.target.checked)} />
          <span className="legend-fill" aria-hidden="true" style={{ '--fill-color': ZONE_COLORS[kind] } as CSSProperties} />
          <span>{zoneName(kind, language)}</span>
        </label>
      ))}
    </fieldset>
  );
}
