/**
 * The GPS track while the assignment is in progress: navigator.geolocation.watchPosition with
 * the screen on, fixes buffered on the device and queued as `track.append` actions through the
 * outbox in chunks. A web page gets positions only while it is open and the screen is on; iOS and
 * Android stop geolocation for a page in the background (the page says so).
 */
import { readMeta, writeMeta } from './crew_store';
import { enqueueAction } from './outbox';

export interface Fix {
  lon: number;
  lat: number;
  accuracyMeters: number;
  at: string;
}

/** A chunk every this many fixes (or on pause/finish): small enough to lose little, big enough for a heading. */
export const FIXES_PER_CHUNK = 12;
/** Fixes worse than this are not recorded (the server's matching tolerates ±15 m noise). */
const MAX_ACCURACY_METERS = 50;
const BUFFER_KEY = 'trackBuffer';

export interface TrackRecorder {
  stop(): Promise<void>;
}

/** Turns buffered fixes into one track.append action (needs at least two fixes). */
export async function queueTrackChunk(assignmentId: number, fixes: Fix[]): Promise<boolean> {
  if (fixes.length < 2) return false;
  await enqueueAction({
    type: 'track.append',
    summary: `轨迹 ${fixes.length} 点`,
    payload: {
      assignmentId,
      track: { type: 'Feature', geometry: { type: 'LineString', coordinates: fixes.map((fix) => [fix.lon, fix.lat]) }, properties: { coordTimes: fixes.map((fix) => fix.at) } },
    },
  });
  return true;
}

export function startTrackRecorder(assignmentId: number, onFix: (fix: Fix) => void, onError: (message: string) => void): TrackRecorder {
  let buffer: Fix[] = [];
  let chain = readMeta<{ assignmentId: number; fixes: Fix[] }>(BUFFER_KEY).then((saved) => {
    if (saved?.assignmentId === assignmentId) buffer = saved.fixes;
  });
  const persist = () => writeMeta(BUFFER_KEY, { assignmentId, fixes: buffer });
  // The server joins each chunk to the previous chunk's last fix, so chunks do not overlap.
  const flush = async () => {
    const chunk = buffer;
    if (!(await queueTrackChunk(assignmentId, chunk))) return;
    buffer = [];
    await persist();
  };
  const watchId = navigator.geolocation.watchPosition(
    (position) => {
      const fix: Fix = { lon: position.coords.longitude, lat: position.coords.latitude, accuracyMeters: position.coords.accuracy, at: new Date(position.timestamp).toISOString() };
      onFix(fix);
      if (fix.accuracyMeters > MAX_ACCURACY_METERS) return;
      chain = chain.then(async () => {
        const last = buffer.at(-1);
        if (last && last.lon === fix.lon && last.lat === fix.lat) return;
        buffer.push(fix);
        await persist();
        if (buffer.length >= FIXES_PER_CHUNK) await flush();
      });
    },
    (error) => onError(error.message),
    { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 },
  );
  return {
    async stop() {
      navigator.geolocation.clearWatch(watchId);
      await chain;
      await flush();
    },
  };
}
