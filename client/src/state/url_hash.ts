import { isLanguage, type Language } from '../i18n/languages';

export interface Viewport {
  zoom: number;
  lat: number;
  lon: number;
}

export interface HashState {
  viewport: Viewport | null;
  segmentId: number | null;
  language: Language | null;
  /** The violation open in the drawer (`&v=<id>`). */
  violationId?: number | null;
}

/**
 * Parses `#map=zoom/lat/lon&seg=<id>&lang=en`. Invalid parts are dropped, never fatal, so a
 * mangled link still opens the map.
 */
export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const violationId = parseSegmentId(params.get('v'));
  return {
    viewport: parseViewport(params.get('map')),
    segmentId: parseSegmentId(params.get('seg')),
    language: parseLanguage(params.get('lang')),
    ...(violationId !== null ? { violationId } : {}),
  };
}

/** The inverse of parseHash; zh-CN (the default) is left out of the URL. */
export function formatHash(state: HashState): string {
  const parts: string[] = [];
  if (state.viewport) {
    const { zoom, lat, lon } = state.viewport;
    const digits = coordinateDigits(zoom);
    parts.push(`map=${trimNumber(zoom, 2)}/${lat.toFixed(digits)}/${lon.toFixed(digits)}`);
  }
  if (state.segmentId !== null) parts.push(`seg=${state.segmentId}`);
  if (state.violationId !== null && state.violationId !== undefined) parts.push(`v=${state.violationId}`);
  if (state.language && state.language !== 'zh-CN') parts.push(`lang=${state.language}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

function parseViewport(value: string | null): Viewport | null {
  if (!value) return null;
  const numbers = value.split('/').map(Number);
  if (numbers.length !== 3 || numbers.some((n) => !Number.isFinite(n))) return null;
  const [zoom, lat, lon] = numbers as [number, number, number];
  if (zoom < 0 || zoom > 24 || lat < -85.06 || lat > 85.06 || lon < -180 || lon > 180) return null;
  return { zoom, lat, lon };
}

function parseSegmentId(value: string | null): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

function parseLanguage(value: string | null): Language | null {
  if (value === 'zh' || value === 'zh-cn') return 'zh-CN';
  return isLanguage(value) ? value : null;
}

/** Enough decimals to place the view within about a pixel at this zoom. */
function coordinateDigits(zoom: number): number {
  if (zoom >= 18) return 6;
  if (zoom >= 15) return 5;
  return 4;
}

function trimNumber(value: number, maxDigits: number): string {
  return String(Number(value.toFixed(maxDigits)));
}
