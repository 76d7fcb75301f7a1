import { useEffect, useRef } from 'react';
import { detectionBox, type DetectionBatch, type DetectionFeature } from '../../api/detections';
import { useI18n } from '../../i18n/i18n';

/** Before/after imagery of the current detection, side by side, or a clear "no imagery" state. */
export function ImageryPanel({ feature, batch }: { feature: DetectionFeature; batch: DetectionBatch | null }) {
  const { t } = useI18n();
  const beforeRef = useRef<HTMLDivElement>(null);
  const afterRef = useRef<HTMLDivElement>(null);
  const tiles = batch?.beforeTileUrl && batch.afterTileUrl ? { before: batch.beforeTileUrl, after: batch.afterTileUrl } : null;

  useEffect(() => {
    if (!tiles || !beforeRef.current || !afterRef.current) return;
    let cancelled = false;
    let destroy: (() => void) | null = null;
    const before = beforeRef.current;
    const after = afterRef.current;
    void import('../../map/imagery_compare').then(({ ImageryCompare }) => {
      if (cancelled) return;
      const compare = new ImageryCompare(before, after, tiles, { type: 'FeatureCollection', features: [feature] }, detectionBox(feature));
      destroy = () => compare.destroy();
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tiles?.before, tiles?.after, feature.properties.id]);

  return (
    <section className="det-imagery" aria-label={t('det.imagery')} data-testid="det-imagery">
      <h3 className="det-subtitle">{t('det.imagery')}</h3>
      {tiles ? (
        <div className="det-imagery-pair">
          <figure>
            <div ref={beforeRef} className="det-imagery-map" />
            <figcaption>
              {t('det.before')} {batch?.beforeDate ?? ''}
            </figcaption>
          </figure>
          <figure>
            <div ref={afterRef} className="det-imagery-map" />
            <figcaption>
              {t('det.after')} {batch?.afterDate ?? ''}
            </figcaption>
          </figure>
        </div>
      ) : (
        <p className="det-imagery-none" data-testid="det-no-imagery">
          {t('det.noImagery')}
          {batch && (batch.beforeDate || batch.afterDate) && (
            <span className="muted numeric">
              {' '}
              · {batch.source} {batch.beforeDate ?? ''} → {batch.afterDate ?? ''}
            </span>
          )}
        </p>
      )}
    </section>
  );
}
