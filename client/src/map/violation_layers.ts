/**
 * What the map needs to draw violations: a status class per feature, colours, and one small icon
 * per category (inline SVG, rasterised in the browser and registered with map.addImage).
 */
import { TERMINAL_STATUSES } from '@domain/case_workflow';
import { VIOLATION_CATEGORIES, type ViolationCategory } from '@domain/violation_categories';
import type { ViolationProperties } from '../api/violations';

/** The four things an officer reads from a dot's colour. */
export type ViolationMapStatus = 'open' | 'overdue' | 'closed' | 'void';

export const VIOLATION_STATUS_COLORS: Record<ViolationMapStatus, string> = {
  open: '#1c64c8',
  overdue: '#dc2626',
  closed: '#2f8f4e',
  void: '#9aa3a0',
};

export const DRAW_COLOR = '#7c3aed';

export function mapStatus(properties: Pick<ViolationProperties, 'status' | 'overdue' | 'verdict'>): ViolationMapStatus {
  if (!properties.verdict.isViolation || properties.status === 'rejected') return 'void';
  if ((TERMINAL_STATUSES as readonly string[]).includes(properties.status)) return 'closed';
  return properties.overdue ? 'overdue' : 'open';
}

/** White glyphs (24×24 viewBox) drawn on the status-coloured dot. */
export const CATEGORY_ICON_PATHS: Record<ViolationCategory, string> = {
  // a board on a post
  billboard: '<rect x="4" y="4" width="16" height="10" rx="1.5"/><path d="M12 14v7M8 21h8"/>',
  // a house
  structure: '<path d="M4 11l8-7 8 7M6 10v10h12V10"/><path d="M10 20v-5h4v5"/>',
  // a spade
  excavation: '<path d="M17 3l4 4M19 5l-8 8"/><path d="M11 13l-6 6c-1 1 1 3 2 2l6-6z"/>',
  // a heap
  piling: '<path d="M3 19h18L15 9l-3 4-2-3z"/>',
  // an awning stall
  trading: '<path d="M3 9l2-5h14l2 5zM3 9c0 2 4 2 4 0 0 2 5 2 5 0 0 2 5 2 5 0 0 2 4 2 4 0M5 11v9h14v-9"/>',
  // a T junction
  level_crossing: '<path d="M3 8h18M12 8v13"/>',
  // a sprout
  crops: '<path d="M12 21V10M12 10c0-4 3-6 7-6 0 4-3 6-7 6zM12 13c0-3-2-5-6-5 0 3 2 5 6 5z"/>',
};

export function categoryIconSvg(category: ViolationCategory, size = 24, color = '#ffffff'): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 24 24" fill="none" ` +
    `stroke="${color}" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">${CATEGORY_ICON_PATHS[category]}</svg>`
  );
}

/**
 * A site area's marker: the status-coloured dot (dark ring when overdue, as the point dots) with
 * the category's white glyph, in one image (a symbol on a polygon cannot sit on a circle layer).
 */
export function siteIconSvg(category: ViolationCategory, status: ViolationMapStatus, size = 48): string {
  const overdue = status === 'overdue';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">` +
    `<circle cx="16" cy="16" r="${overdue ? 13.5 : 14}" fill="${VIOLATION_STATUS_COLORS[status]}" stroke="${overdue ? '#7f1d1d' : '#ffffff'}" stroke-width="${overdue ? 4 : 2.5}"/>` +
    `<g transform="translate(7 7) scale(0.75)" fill="none" stroke="#ffffff" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">${CATEGORY_ICON_PATHS[category]}</g></svg>`
  );
}

async function rasterise(svg: string, size: number): Promise<ImageData | null> {
  const image = new Image(size, size);
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(image, 0, 0, size, size);
  return context.getImageData(0, 0, size, size);
}

/**
 * Rasterises every category icon at 2× (registered with pixelRatio 2 → 14 css px), and every
 * category × status site marker (24 css px, the size of a dot with its icon at z14).
 */
export async function loadViolationIcons(): Promise<Map<string, ImageData>> {
  const icons = new Map<string, ImageData>();
  const statuses = Object.keys(VIOLATION_STATUS_COLORS) as ViolationMapStatus[];
  await Promise.all(
    VIOLATION_CATEGORIES.flatMap((category) => [
      rasterise(categoryIconSvg(category, 28), 28).then((image) => image && icons.set(`violation-${category}`, image)),
      ...statuses.map((status) => rasterise(siteIconSvg(category, status), 48).then((image) => image && icons.set(`violation-site-${category}-${status}`, image))),
    ]),
  );
  return icons;
}
