import { createInspectMode } from './inspect_mode';
import type { MapMode, ModeContext, ModeHandler } from './mode_handler';
import { createPointPickMode } from './point_pick_mode';
import { createPolygonDrawMode } from './polygon_draw_mode';

/** Every mode's handler factory; a new mode is a new file, a name in MapMode and a line here. */
export const MODE_HANDLERS: Record<MapMode, (context: ModeContext) => ModeHandler> = {
  none: createInspectMode,
  point: createPointPickMode,
  polygon: createPolygonDrawMode,
};
