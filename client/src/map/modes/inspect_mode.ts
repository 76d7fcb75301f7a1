import { mapCentre, type ModeContext, type ModeHandler } from './mode_handler';

/**
 * Mode 'none': a click goes to the overlays (a violation, a detection …) and, if none takes it,
 * to the page as a place. Enter on the focused map inspects its centre (the keyboard's click).
 */
export function createInspectMode(context: ModeContext): ModeHandler {
  return {
    cursor: '',
    usesDoubleClick: false,
    click(event) {
      if (context.clickOverlays(event)) return;
      context.clickPlace(event.lngLat.lng, event.lngLat.lat);
    },
    enter() {
      context.clickPlace(...mapCentre(context.map));
    },
  };
}
