import type { Queryable } from '../db/database.ts';
import { ADMIN_CLASSES } from '../domain/admin_class.ts';
import {
  CLASS_WIDTH_ZONE_KINDS,
  effectiveZoneWidths,
  LEGAL_MINIMUM_STRUCTURE_RANGE_METERS,
  LEGAL_MINIMUM_WIDTHS_METERS,
  STRUCTURE_ZONE_KINDS,
  type WidthOverrides,
} from '../domain/zones.ts';
import { feature, pagedCollection } from '../http/geojson.ts';
import { offsetPage } from '../paging/keyset.ts';
import { countZones, selectZones, upsertZoneWidths, type ZoneFilter, type ZoneWidthInput } from './queries.ts';

export async function listZones(db: Queryable, filter: ZoneFilter) {
  const page = await offsetPage(await selectZones(db, filter), filter.limit, filter.offset, () => countZones(db, filter));
  return pagedCollection(
    page.rows.map((row) =>
      feature(row.id, row.geometry, {
        id: row.id,
        segmentId: row.segment_id,
        structureId: row.structure_id,
        kind: row.kind,
        routeCode: row.route_code,
        innerOffsetMeters: row.inner_offset_meters,
        outerOffsetMeters: row.outer_offset_meters,
        widthMeters: Math.round((row.outer_offset_meters - row.inner_offset_meters) * 100) / 100,
      }),
    ),
    { numberMatched: page.numberMatched, numberMatchedIsEstimate: page.numberMatchedIsEstimate, limit: filter.limit, offset: filter.offset },
  );
}

/**
 * Brings the database's width table in line with the law (server/domain/zones.ts) and the
 * deployment's wider settings; zones whose width changed are redrawn by the table's trigger.
 * Throws ZoneWidthTooNarrowError before touching the database if a setting narrows the law.
 */
export async function syncZoneWidths(db: Queryable, overrides: WidthOverrides & { bridge_range?: number; tunnel_range?: number } = {}) {
  const classWidths = effectiveZoneWidths(overrides);
  const rows: ZoneWidthInput[] = [];
  for (const kind of CLASS_WIDTH_ZONE_KINDS) {
    for (const adminClass of ADMIN_CLASSES) {
      rows.push({ kind, adminClass, widthMeters: classWidths[kind][adminClass], legalMinimumMeters: LEGAL_MINIMUM_WIDTHS_METERS[kind][adminClass] });
    }
  }
  for (const kind of STRUCTURE_ZONE_KINDS) {
    const minimum = LEGAL_MINIMUM_STRUCTURE_RANGE_METERS[kind];
    const requested = overrides[kind] ?? minimum;
    if (requested < minimum) throw new Error(`${kind} must be at least ${minimum} m (law), got ${requested} m`);
    rows.push({ kind, adminClass: 'all', widthMeters: requested, legalMinimumMeters: minimum });
  }
  return upsertZoneWidths(db, rows);
}
