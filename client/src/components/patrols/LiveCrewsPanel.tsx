import { useEffect, useState } from 'react';
import { fetchLiveCrews, type LiveCrew } from '../../api/patrols';
import { useI18n } from '../../i18n/i18n';
import { STALE_FIX_SECONDS } from '../../map/overlays/live_crews_overlay';
import { errorText } from '../../i18n/error_text';

/** How often the dispatcher's view asks again: a phone sends its track every 30 s or so. */
export const LIVE_REFRESH_MILLISECONDS = 30_000;

export interface LiveCrewsState {
  crews: readonly LiveCrew[];
  updatedAt: string | null;
  /** The last refresh's failure, translated where it is shown. */
  error: unknown;
}

/**
 * Today's crews under way, asked again every 30 s while `enabled`. The last answer stays on screen
 * while the next one loads (no flicker), and after a failed refresh with the error beside it.
 */
export function useLiveCrews(jurisdiction: string, enabled: boolean): LiveCrewsState {
  const [state, setState] = useState<LiveCrewsState>({ crews: [], updatedAt: null, error: null });
  useEffect(() => {
    setState({ crews: [], updatedAt: null, error: null });
    if (!enabled) return;
    const controller = new AbortController();
    const load = () =>
      fetchLiveCrews(jurisdiction || undefined, controller.signal).then(
        (answer) => setState({ crews: answer.crews, updatedAt: answer.generatedAt, error: null }),
        (error: unknown) => {
          if (!controller.signal.aborted) setState((previous) => ({ ...previous, error }));
        },
      );
    void load();
    const timer = window.setInterval(load, LIVE_REFRESH_MILLISECONDS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [jurisdiction, enabled]);
  return state;
}

/** The list beside the map: each crew under way, its progress bar and how fresh its position is. */
export function LiveCrewsPanel({ live }: { live: LiveCrewsState }) {
  const { t, language } = useI18n();
  const updated = live.updatedAt ? new Date(live.updatedAt).toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : null;
  return (
    <div className="live-crews" data-testid="live-crews" aria-live="polite">
      <div className="ledger-toolbar">
        <h2 className="patrol-subtitle">{t('live.title')}</h2>
        <span className="form-hint">{updated ? t('live.updated', { time: updated }) : t('live.loading')}</span>
      </div>
      {live.error != null && <p className="form-error">{t('live.loadFailed', { message: errorText(live.error, language) })}</p>}
      {live.updatedAt && live.crews.length === 0 && <p className="form-hint">{t('live.none')}</p>}
      <ul className="live-crew-list">
        {live.crews.map((crew) => {
          const percent = Math.round(crew.progress * 100);
          const stale = crew.fixAgeSeconds === null || crew.fixAgeSeconds > STALE_FIX_SECONDS;
          return (
            <li key={crew.assignmentId} className="live-crew" data-testid={`live-crew-${crew.assignmentId}`}>
              <div className="live-crew-head">
                <strong>{crew.crewName}</strong>
                {crew.status === 'paused' && <span className="det-chip">{t('live.paused')}</span>}
                <span className={`form-hint${stale ? ' is-stale' : ''}`}>
                  {crew.fixAgeSeconds === null ? t('live.noFix') : t('live.fixAge', { minutes: Math.floor(crew.fixAgeSeconds / 60) })}
                </span>
              </div>
              <div className="live-crew-progress">
                <progress max={100} value={percent} aria-label={t('live.progressLabel', { crew: crew.crewName })} />
                <span>{t('live.progress', { percent, covered: crew.segmentsCovered, assigned: crew.segmentsAssigned })}</span>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
