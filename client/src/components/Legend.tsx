import { useId, type CSSProperties } from 'react';
import { ADMIN_CLASSES } from '@domain/admin_class';
import { adminClassName } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { ADMIN_CLASS_COLORS, ADMIN_CLASS_COLORS_NEGATIVE, BASEMAP_COLORS, BASEMAP_ROAD_COLORS } from '../map/palette';
import { uiActions, useUiState } from '../state/store';
import { violationActions, useViolationsState } from '../state/violations_store';
import { VIOLATION_STATUS_COLORS, type ViolationMapStatus } from '../map/violation_layers';
import { useImageryBasemap } from '../map/use_imagery_basemap';
import { ImageryToggle } from './ImageryToggle';
import { ZoneToggles } from './ZoneToggles';

const STATUS_ORDER: ViolationMapStatus[] = ['open', 'overdue', 'closed', 'void'];

/** Road-class colours and the zone toggles (one checkbox per zone kind). Collapsible. */
export function Legend() {
  const { language, t } = useI18n();
  const open = useUiState((s) => s.legendOpen);
  const bodyId = useId();
  const violationsVisible = useViolationsState((s) => s.layerVisible);
  const imagery = useImageryBasemap();

  return (
    <section className={`legend${open ? ' is-open' : ''}`} aria-label={t('legend.title')}>
      <button
        type="button"
        className="legend-toggle"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => uiActions.setLegendOpen(!open)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 6h16M4 12h16M4 18h10" />
        </svg>
        <span>{t('legend.title')}</span>
        <svg className="chevron" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M6 15l6-6 6 6" />
        </svg>
      </button>
      <div id={bodyId} className="legend-body" hidden={!open}>
        <fieldset className="legend-zones legend-violations">
          <legend className="legend-heading">{t('v.layer')}</legend>
          <label className="legend-check">
            <input type="checkbox" checked={violationsVisible} onChange={(event) => violationActions.setLayerVisible(event.target.checked)} data-testid="violations-toggle" />
            <span className="legend-dot" aria-hidden="true" style={{ '--dot-color': VIOLATION_STATUS_COLORS.open } as CSSProperties} />
            <span>{t('v.layer')}</span>
          </label>
          <ul className="legend-list legend-statuses">
            {STATUS_ORDER.map((status) => (
              <li key={status}>
                <span className="legend-dot" aria-hidden="true" style={{ '--dot-color': VIOLATION_STATUS_COLORS[status] } as CSSProperties} />
                {t(`v.legend.${status}`)}
              </li>
            ))}
          </ul>
          <p className="legend-note">{t('v.legend.zoomHint')}</p>
        </fieldset>
        <h3 className="legend-heading">{t('legend.roads')}</h3>
        <ul className="legend-list legend-classes">
          {ADMIN_CLASSES.map((adminClass) => (
            <li key={adminClass}>
              <span
                className="legend-line"
                aria-hidden="true"
                style={{ '--line-color': ADMIN_CLASS_COLORS[adminClass], '--line-color-negative': ADMIN_CLASS_COLORS_NEGATIVE[adminClass] } as CSSProperties}
              />
              {adminClassName(adminClass, language)}
            </li>
          ))}
        </ul>
        <p className="legend-note">{t('legend.directionNote')}</p>

        <ZoneToggles />

        <h3 className="legend-heading">{t('legend.basemap')}</h3>
        <ImageryToggle basemap={imagery.basemap} />
        <ul className="legend-list">
          <li>
            <span className="legend-line is-casing" aria-hidden="true" style={{ '--line-color': BASEMAP_ROAD_COLORS.primary!.fill, '--casing-color': BASEMAP_ROAD_COLORS.primary!.casing } as CSSProperties} />
            {t('legend.basemapRoads')}
          </li>
          <li>
            <span className="legend-line is-dashed" aria-hidden="true" style={{ '--line-color': BASEMAP_COLORS.districtLine } as CSSProperties} />
            {t('legend.districts')}
          </li>
        </ul>
      </div>
    </section>
  );
}
