/**
 * Keeps the assignment's corridor on the device: segments, protection zones and basemap roads
 * clipped to the bbox of its route (+ ~500 m), and the cases and leads its tasks name. Measured
 * budget: ≤ 5 MB of vector map data per day (npm run measure:offline-budget); no raster imagery.
 */
import type { Assignment } from '../api/crew';
import { fetchAllSegments, fetchAllZones, fetchBasemapRoads } from '../api/endpoints';
import { fetchDetection } from '../api/detections';
import { fetchViolation } from '../api/violations';
import { loadCorridor, saveCorridor, saveRecord, type CorridorData } from './crew_store';

const MARGIN_DEGREES = 0.005;

export function assignmentBbox(assignment: Assignment): [number, number, number, number] | null {
  const points: number[][] = [...(assignment.route?.coordinates ?? []), ...assignment.tasks.flatMap((task) => (task.location ? [task.location.coordinates] : []))];
  if (points.length === 0) return null;
  const lons = points.map((point) => point[0]!);
  const lats = points.map((point) => point[1]!);
  return [Math.min(...lons) - MARGIN_DEGREES, Math.min(...lats) - MARGIN_DEGREES, Math.max(...lons) + MARGIN_DEGREES, Math.max(...lats) + MARGIN_DEGREES];
}

/** Downloads (once per assignment) what the crew needs offline; returns what is stored. */
export async function ensureCorridor(assignment: Assignment, bbox: [number, number, number, number]): Promise<CorridorData> {
  const existing = await loadCorridor(assignment.id);
  if (existing) return existing;
  const [segments, zones, roads] = await Promise.all([fetchAllSegments({ bbox }), fetchAllZones({ bbox }), fetchBasemapRoads(bbox)]);
  for (const task of assignment.tasks) {
    if (task.detectionId !== null) await saveRecord(`detection:${task.detectionId}`, await fetchDetection(task.detectionId));
    if (task.violationId !== null) await saveRecord(`violation:${task.violationId}`, await fetchViolation(task.violationId));
  }
  const sizeBytes = new Blob([JSON.stringify(segments), JSON.stringify(zones), JSON.stringify(roads)]).size;
  const data: CorridorData = { assignmentId: assignment.id, bbox, segments, zones, roads, sizeBytes, savedAt: new Date().toISOString() };
  await saveCorridor(data);
  return data;
}
