/**
 * Who this phone is, kept where storage eviction does not reach. When the browser evicts the
 * origin's storage (IndexedDB, caches) under pressure, cookies stay: the device id and how many
 * actions this phone ever queued survive, so the app can ask the server what it holds and tell the
 * crew how many records never arrived (docs/field_app.md, "Eviction").
 */
const COOKIE = 'luyu_device';
const MAX_AGE_SECONDS = 400 * 24 * 3600;

export interface DeviceIdentity {
  deviceId: string;
  /** Actions this device has queued since it first ran (never decreases). */
  queuedCount: number;
}

function readCookieValue(): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function write(identity: DeviceIdentity): void {
  document.cookie = `${COOKIE}=${encodeURIComponent(`${identity.deviceId}.${identity.queuedCount}`)}; Max-Age=${MAX_AGE_SECONDS}; Path=/; SameSite=Strict`;
}

export function parseDeviceCookie(value: string | undefined): DeviceIdentity | null {
  const match = /^([0-9a-f-]{36})\.(\d+)$/.exec(value ?? '');
  return match ? { deviceId: match[1]!, queuedCount: Number(match[2]) } : null;
}

export function deviceIdentity(): DeviceIdentity {
  const existing = parseDeviceCookie(readCookieValue());
  if (existing) return existing;
  const created = { deviceId: crypto.randomUUID(), queuedCount: 0 };
  write(created);
  return created;
}

/** Called once per queued action, before it is written to the outbox. */
export function countQueuedAction(): DeviceIdentity {
  const next = { ...deviceIdentity(), queuedCount: deviceIdentity().queuedCount + 1 };
  write(next);
  return next;
}
