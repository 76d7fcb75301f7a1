import type pg from 'pg';
import { withTransaction } from '../db/transaction.ts';
import { AppError, badRequest } from '../http/errors.ts';
import {
  calibrateRoute,
  deleteCalibration,
  insertChainBreaks,
  insertMarkers,
  selectMarkerResiduals,
  selectMarkersOffRoute,
  selectUnknownRoutes,
  type ChainBreakInput,
  type MarkerInput,
  type MarkerResidualRow,
} from './queries.ts';

/** The chainage the centrelines give at a marker may differ from its stake by at most this. */
export const MARKER_TOLERANCE_METERS = 1;
/** A marker further than this from its route is a wrong route code or coordinate (luyu_calibrate_route's limit). */
export const MARKER_MAX_OFFSET_METERS = 50;

export interface SurveyLoadResult {
  routes: string[];
  markers: number;
  chainBreaks: number;
  /** Largest |chainage at marker − stake| per route after calibration. */
  largestResidualMeters: Record<string, number>;
}

/**
 * Loads a survey (stake markers and chain breaks) in one transaction: the routes it names lose
 * their previous markers and breaks, get these, and have their chainage recalibrated. Nothing is
 * written when a row is invalid, a marker is off its route, or a marker ends up more than 1 m off.
 */
export async function loadSurvey(pool: pg.Pool, input: { markers: MarkerInput[]; chainBreaks: ChainBreakInput[]; source: string }): Promise<SurveyLoadResult> {
  const routes = [...new Set([...input.markers.map((m) => m.routeCode), ...input.chainBreaks.map((b) => b.routeCode)])].sort();
  if (routes.length === 0) throw badRequest('SURVEY_EMPTY', 'the survey has no stake markers and no chain breaks');
  return withTransaction(pool, async (client) => {
    const unknown = await selectUnknownRoutes(client, routes);
    if (unknown.length > 0) throw badRequest('SURVEY_ROUTE_UNKNOWN', `routes without segments: ${unknown.join(', ')}`, { routes: unknown });
    await deleteCalibration(client, routes);
    const markers = await insertMarkers(client, input.markers, input.source);
    const chainBreaks = await insertChainBreaks(client, input.chainBreaks, input.source);
    // Checked here rather than left to the calibration's own guard: a user mistake is a 4xx
    // with the markers named, not a database exception.
    const offRoute = await selectMarkersOffRoute(client, routes, MARKER_MAX_OFFSET_METERS);
    if (offRoute.length > 0) {
      throw new AppError(422, 'SURVEY_MARKER_OFF_ROUTE', `${offRoute.length} stake markers are more than ${MARKER_MAX_OFFSET_METERS} m from their route`, offRoute);
    }
    for (const route of routes) {
      try {
        await calibrateRoute(client, route);
      } catch (error) {
        const hint = (error as { hint?: string }).hint;
        if (hint === 'marker_off_route' || hint === 'markers_out_of_order') {
          throw new AppError(422, hint === 'marker_off_route' ? 'SURVEY_MARKER_OFF_ROUTE' : 'SURVEY_MARKERS_OUT_OF_ORDER', (error as Error).message, { route });
        }
        throw error;
      }
    }
    const residuals = await selectMarkerResiduals(client, routes);
    const misfits = residuals.filter((row: MarkerResidualRow) => row.residual_meters === null || Math.abs(row.residual_meters) > MARKER_TOLERANCE_METERS);
    if (misfits.length > 0) {
      throw new AppError(422, 'SURVEY_MARKERS_MISFIT', `${misfits.length} markers are more than ${MARKER_TOLERANCE_METERS} m off after calibration`, misfits);
    }
    const largestResidualMeters: Record<string, number> = {};
    for (const row of residuals) {
      largestResidualMeters[row.route_code] = Math.max(largestResidualMeters[row.route_code] ?? 0, Math.abs(row.residual_meters ?? 0));
    }
    return { routes, markers, chainBreaks, largestResidualMeters };
  });
}
