import { useEffect, type RefObject } from 'react';
import { uiActions } from '../state/store';

/**
 * Tells the map how much of its bottom the panel in `sheetRef` hides while that panel is a
 * full-width bottom sheet (phones), so the map pads its camera and keeps the picked point above
 * the sheet; 0 when the panel sits beside the map (desktop) or is gone.
 */
export function useSheetCover(sheetRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const sheet = sheetRef.current;
    if (!sheet) return;
    const measure = () => uiActions.setSheetCover(coveredBottomPx(sheet, document.getElementById('map-region')));
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(sheet);
    window.addEventListener('resize', measure);
    measure();
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', measure);
      uiActions.setSheetCover(0);
    };
  }, [sheetRef]);
}

/** The height of `map` below the sheet's top edge when the sheet spans the map's width, else 0. */
export function coveredBottomPx(sheet: HTMLElement, map: HTMLElement | null): number {
  if (!map) return 0;
  const sheetBox = sheet.getBoundingClientRect();
  const mapBox = map.getBoundingClientRect();
  const spansWidth = sheetBox.left <= mapBox.left + 1 && sheetBox.right >= mapBox.right - 1;
  if (!spansWidth) return 0;
  return Math.max(0, Math.round(Math.min(mapBox.bottom, sheetBox.bottom) - Math.max(mapBox.top, sheetBox.top)));
}
