import { mapCentre, type ModeContext, type ModeHandler } from './mode_handler';

/** Mode 'point': the next click (or Enter = the map centre) is the point. */
export function createPointPickMode(context: ModeContext): ModeHandler {
  return {
    cursor: 'crosshair',
    usesDoubleClick: false,
    click(event) {
      context.finish({ type: 'Point', coordinates: [event.lngLat.lng, event.lngLat.lat] });
    },
    enter() {
      context.finish({ type: 'Point', coordinates: mapCentre(context.map) });
    },
  };
}
