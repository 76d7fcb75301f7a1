import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LineString } from 'geojson';
import { allowedAssignmentEvents, ASSIGNMENT_EVENT_LABELS, ASSIGNMENT_STATUS_LABELS, nextAssignmentTransition, type AssignmentEvent } from '@domain/patrol_assignment_workflow';
import { shanghaiDate } from '@domain/patrol_rules';
import { fetchAssignments, fetchCoverage, type Assignment, type Coverage } from '../api/crew';
import type { DetectionFeature } from '../api/detections';
import type { SegmentCollection } from '../api/types';
import type { ViolationDetail } from '../api/violations';
import { useSession } from '../auth/session_store';
import { CrewMap } from '../components/crew/CrewMap';
import { CrewTaskList } from '../components/crew/CrewTaskList';
import { FindingSheet } from '../components/crew/FindingSheet';
import { LeadSheet } from '../components/crew/LeadSheet';
import { OutboxList } from '../components/crew/OutboxList';
import { ReinspectSheet } from '../components/crew/ReinspectSheet';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { label } from '../i18n/domain_labels';
import { formatNumber, useI18n } from '../i18n/i18n';
import type { CrewRouteSegment, CrewStop } from '../map/overlays/crew_route_overlay';
import { assignmentBbox, ensureCorridor } from '../offline/corridor_data';
import { loadAssignments, loadRecord, saveAssignments, type CorridorData } from '../offline/crew_store';
import { checkEviction, type EvictionReport } from '../offline/eviction_check';
import { enqueueAction, flushOutbox, loadOutbox, onOutboxResult, useOutbox } from '../offline/outbox';
import { startTrackRecorder, type Fix, type TrackRecorder } from '../offline/track_recorder';

const OPEN_STATUSES = new Set(['published', 'accepted', 'in_progress', 'paused', 'completed']);
const RECORDING_STATUSES = new Set(['in_progress']);

type Sheet = { kind: 'finding' } | { kind: 'lead'; detectionId: number } | { kind: 'reinspect'; violationId: number } | null;

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/**
 * 今日巡查 on a phone (/crew): the crew's assignment for today as a map and an ordered list, the
 * workflow buttons, findings, lead checks and re-inspections — all queued in the outbox and sent
 * when the signal is there — and the GPS track while in progress.
 */
export function CrewPage() {
  const { t, language } = useI18n();
  const session = useSession();
  const online = useOnline();
  const outbox = useOutbox();
  const [assignment, setAssignment] = useState<Assignment | null>(null);
  const [loadState, setLoadState] = useState<'loading' | 'ready' | 'none' | 'error'>('loading');
  const [corridor, setCorridor] = useState<CorridorData | null>(null);
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [records, setRecords] = useState<Record<string, unknown>>({});
  const [fix, setFix] = useState<Fix | null>(null);
  const [gpsError, setGpsError] = useState<string | null>(null);
  const [sheet, setSheet] = useState<Sheet>(null);
  const [declining, setDeclining] = useState(false);
  const [declineReason, setDeclineReason] = useState('');
  const [eviction, setEviction] = useState<EvictionReport | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const recorder = useRef<TrackRecorder | null>(null);

  // Load: the server's list when online (kept on the device), else what the device kept.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      await loadOutbox();
      setPersisted(navigator.storage?.persist ? await navigator.storage.persist().catch(() => false) : false);
      checkEviction().then((report) => !cancelled && setEviction(report)).catch(() => undefined);
      let list: Assignment[];
      try {
        list = (await fetchAssignments(shanghaiDate())).assignments;
        await saveAssignments(list);
      } catch {
        list = await loadAssignments();
        if (list.length === 0) {
          if (!cancelled) setLoadState('error');
          return;
        }
      }
      const today = list.find((candidate) => OPEN_STATUSES.has(candidate.status)) ?? null;
      if (cancelled) return;
      setAssignment(today);
      setLoadState(today ? 'ready' : 'none');
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  // The corridor and the records the tasks name, on the device for offline use.
  useEffect(() => {
    if (!assignment) return;
    const bbox = assignmentBbox(assignment);
    if (!bbox) return;
    let cancelled = false;
    ensureCorridor(assignment, bbox)
      .then(async (data) => {
        const loaded: Record<string, unknown> = {};
        for (const task of assignment.tasks) {
          const key = task.detectionId !== null ? `detection:${task.detectionId}` : `violation:${task.violationId}`;
          loaded[key] = await loadRecord(key);
        }
        if (!cancelled) {
          setCorridor(data);
          setRecords(loaded);
        }
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Only when the assignment itself changes, not its status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assignment?.id]);

  const refreshCoverage = useCallback(() => {
    if (!assignment || !navigator.onLine) return;
    fetchCoverage(assignment.id).then(setCoverage).catch(() => undefined);
  }, [assignment?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    refreshCoverage();
  }, [refreshCoverage]);

  // Server answers update the local copy (the assignment's status and version) and the coverage.
  useEffect(
    () =>
      onOutboxResult((item) => {
        const server = item.lastResult?.server as Assignment | undefined;
        if (item.action.type === 'assignment.transition' && (item.state === 'applied' || item.state === 'duplicate') && server?.id) {
          setAssignment((current) => (current && current.id === server.id ? { ...current, status: server.status, version: server.version } : current));
        }
        if (item.action.type === 'track.append') refreshCoverage();
      }),
    [refreshCoverage],
  );

  // Back online: send the outbox; while online, try again every 20 s.
  useEffect(() => {
    if (!online) return;
    void flushOutbox().then(refreshCoverage);
    const timer = window.setInterval(() => void flushOutbox(), 20_000);
    return () => window.clearInterval(timer);
  }, [online, refreshCoverage]);

  // GPS: watch while in progress (and show the position whenever the page is open).
  const recording = assignment !== null && RECORDING_STATUSES.has(assignment.status);
  useEffect(() => {
    if (!assignment || !recording || !('geolocation' in navigator)) return;
    recorder.current = startTrackRecorder(assignment.id, (next) => { setFix(next); setGpsError(null); }, setGpsError);
    return () => {
      void recorder.current?.stop();
      recorder.current = null;
    };
  }, [assignment?.id, recording]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (recording || !('geolocation' in navigator)) return;
    const watch = navigator.geolocation.watchPosition(
      (position) => setFix({ lon: position.coords.longitude, lat: position.coords.latitude, accuracyMeters: position.coords.accuracy, at: new Date(position.timestamp).toISOString() }),
      (error) => setGpsError(error.message),
      { enableHighAccuracy: true },
    );
    return () => navigator.geolocation.clearWatch(watch);
  }, [recording]);

  const transition = async (event: AssignmentEvent, reason?: string) => {
    if (!assignment) return;
    const role = session.status === 'authenticated' ? session.user.role : 'patrol';
    const planned = nextAssignmentTransition(assignment.status, event, role);
    if (!planned.ok) return;
    // Queued like every action: works offline; the local copy moves at once (the server may still say conflict).
    await enqueueAction({
      type: 'assignment.transition',
      summary: label(ASSIGNMENT_EVENT_LABELS[event], language),
      baseVersion: assignment.version,
      payload: { assignmentId: assignment.id, event, ...(reason ? { reason } : {}) },
    });
    const next = { ...assignment, status: planned.to, version: assignment.version + 1 };
    setAssignment(next);
    await saveAssignments([next]);
  };

  // Map data: the route, due/covered segments, stops and own position over the corridor.
  const segmentsById = useMemo(() => {
    const byId = new Map<number, LineString>();
    for (const feature of ((corridor?.segments as SegmentCollection | undefined)?.features ?? [])) byId.set(Number(feature.id ?? feature.properties?.id), feature.geometry as LineString);
    return byId;
  }, [corridor]);
  const routeSegments = useMemo<CrewRouteSegment[]>(() => {
    if (!assignment) return [];
    const covered = new Map((coverage?.segments ?? []).map((segment) => [segment.segmentId, segment.covered]));
    return assignment.segments.flatMap((segment) => {
      const line = segmentsById.get(segment.segmentId);
      return line ? [{ segmentId: segment.segmentId, line, covered: covered.get(segment.segmentId) === true }] : [];
    });
  }, [assignment, segmentsById, coverage]);
  const stops = useMemo<CrewStop[]>(() => (assignment?.tasks ?? []).flatMap((task, index) => (task.location ? [{ coordinates: task.location.coordinates as [number, number], label: String(index + 1) }] : [])), [assignment]);
  const position = useMemo<[number, number] | null>(() => (fix ? [fix.lon, fix.lat] : null), [fix]);
  const route = assignment?.route ?? null;
  const role = session.status === 'authenticated' ? session.user.role : 'patrol';
  const events = assignment ? allowedAssignmentEvents(assignment.status, role).filter((event) => event !== 'publish' && event !== 'cancel') : [];
  const pendingCount = outbox.items.filter((item) => item.state === 'waiting' || item.state === 'sending' || item.state === 'conflict').length;

  return (
    <div className="crew-app" data-testid="crew-app">
      <header className="crew-header">
        <h1>{t('crewApp.title')}</h1>
        <span className={`crew-online ${online ? 'is-online' : 'is-offline'}`} data-testid="crew-online">{t(online ? 'crewApp.online' : 'crewApp.offline')}</span>
        <LanguageSwitch />
      </header>

      {eviction?.evicted ? (
        <div className="crew-banner crew-banner-warn" role="alert" data-testid="crew-eviction">
          {t('crewApp.eviction', { queued: eviction.queuedOnDevice, server: eviction.onServer, missing: eviction.missing })}
        </div>
      ) : null}
      {persisted === false ? <div className="crew-banner">{t('crewApp.storageNotPersistent')}</div> : null}

      {loadState === 'loading' ? <p className="crew-card" role="status">{t('crewApp.loading')}</p> : null}
      {loadState === 'none' ? <p className="crew-card" data-testid="crew-none">{t('crewApp.none')}</p> : null}
      {loadState === 'error' ? <p className="crew-card crew-error">{t('crewApp.loadError')}</p> : null}

      {assignment ? (
        <>
          <section className="crew-card" data-testid="crew-assignment">
            <div className="crew-title-row">
              <strong>{assignment.crewName}</strong>
              <span className="crew-status" data-testid="crew-status" data-status={assignment.status}>{label(ASSIGNMENT_STATUS_LABELS[assignment.status], language)}</span>
            </div>
            <p className="crew-muted">
              {assignment.date} · {t('crewApp.distance', { km: formatNumber(language, assignment.distanceMeters / 1000, 1) })}
            </p>
            <div className="crew-actions">
              {events.map((event) => (
                <button
                  key={event}
                  type="button"
                  className={`crew-button ${event === 'decline' || event === 'pause' ? 'crew-button-secondary' : ''}`}
                  data-testid={`crew-event-${event}`}
                  onClick={() => (event === 'decline' ? setDeclining(true) : void transition(event))}
                >
                  {label(ASSIGNMENT_EVENT_LABELS[event], language)}
                </button>
              ))}
            </div>
            {declining ? (
              <form className="crew-decline" onSubmit={(event) => { event.preventDefault(); if (declineReason.trim()) { void transition('decline', declineReason.trim()); setDeclining(false); } }}>
                <label className="form-field">
                  <span className="form-label">{t('crewApp.declineReason')}</span>
                  <input value={declineReason} onChange={(event) => setDeclineReason(event.target.value)} required />
                </label>
                <button type="submit" className="crew-button">{label(ASSIGNMENT_EVENT_LABELS.decline, language)}</button>
              </form>
            ) : null}
            {recording ? <p className="crew-banner" data-testid="crew-gps-note">{t('crewApp.gps.screenOn')}</p> : null}
            {gpsError ? <p className="crew-error">{t('crewApp.gps.error', { message: gpsError })}</p> : null}
          </section>

          <CrewMap corridor={corridor} route={route} segments={routeSegments} stops={stops} position={position} />

          {coverage ? (
            <section className="crew-card" data-testid="crew-coverage">
              <h2>{t('crewApp.coverage.title')}</h2>
              <div className="crew-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(coverage.progress * 100)}>
                <div style={{ width: `${Math.round(coverage.progress * 100)}%` }} />
              </div>
              <p>{t('crewApp.coverage.summary', { percent: Math.round(coverage.progress * 100), covered: coverage.segmentsCovered, assigned: coverage.segmentsAssigned })}</p>
            </section>
          ) : null}

          <CrewTaskList assignment={assignment} coverage={coverage} records={records} onVerifyLead={(detectionId) => setSheet({ kind: 'lead', detectionId })} onReinspect={(violationId) => setSheet({ kind: 'reinspect', violationId })} />
          <OutboxList outbox={outbox} />
          {corridor ? <p className="crew-muted crew-footnote">{t('crewApp.offlineData', { mb: formatNumber(language, corridor.sizeBytes / 1_000_000, 2) })}</p> : null}

          <nav className="crew-bottom-bar">
            <button type="button" className="crew-button" data-testid="crew-record-finding" onClick={() => setSheet({ kind: 'finding' })}>{t('crewApp.finding.open')}</button>
            <a className="crew-button crew-button-secondary" href="#crew-outbox-title" data-testid="crew-pending">{t('crewApp.outbox.pending', { count: pendingCount })}</a>
          </nav>
        </>
      ) : null}

      {sheet?.kind === 'finding' ? <div className="crew-sheet-backdrop"><FindingSheet fix={fix} onDone={() => setSheet(null)} /></div> : null}
      {sheet?.kind === 'lead' ? (
        <div className="crew-sheet-backdrop">
          <LeadSheet detectionId={sheet.detectionId} candidateCategory={(records[`detection:${sheet.detectionId}`] as DetectionFeature | undefined)?.properties.candidateCategory ?? null} onDone={() => setSheet(null)} />
        </div>
      ) : null}
      {sheet?.kind === 'reinspect' ? (
        <div className="crew-sheet-backdrop">
          <ReinspectSheet
            violationId={sheet.violationId}
            caseVersion={(records[`violation:${sheet.violationId}`] as ViolationDetail | undefined)?.properties.version ?? null}
            caseLabel={(records[`violation:${sheet.violationId}`] as ViolationDetail | undefined)?.properties.caseNumber ?? `#${sheet.violationId}`}
            fix={fix}
            onDone={() => setSheet(null)}
          />
        </div>
      ) : null}
    </div>
  );
}
