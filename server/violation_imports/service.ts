import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { isViolationCategory } from '../domain/violation_categories.ts';
import { VIOLATION_SOURCES, type ViolationSource } from '../domain/violation_attributes.ts';
import { AppError } from '../http/errors.ts';
import type { ImportResult, ImportRow, ImportRowError } from '../imports/import_types.ts';
import { selectStakePoints } from '../lrs/queries.ts';
import { transformToWgs84 } from './queries.ts';
import { assessFindings, createViolation, findViolationIdsByExternalIds } from '../violations/service.ts';

export interface ImportReportRow {
  rowNumber: number;
  externalId: string | null;
  ok: boolean;
  errors: ImportRowError[];
  /** Ignored columns (unknown to the category); never make the row invalid. */
  warnings: ImportRowError[];
  /** The record this external id already created: the row is skipped, never duplicated. */
  existingId: number | null;
  would: {
    category: string;
    route: string | null;
    stake: string | null;
    side: string | null;
    offsetMeters: number | null;
    primaryZone: string | null;
    verdict: unknown;
  } | null;
  /** Set on commit: the id the row created. */
  createdId?: number;
}

export interface ImportReport {
  dryRun: boolean;
  format: string;
  summary: { total: number; valid: number; invalid: number; existing: number; created: number };
  rows: ImportReportRow[];
}

interface PreparedRow {
  row: ImportRow;
  errors: ImportRowError[];
  geometry: GeoJSON.Point | GeoJSON.Polygon | null;
}

/** Stake-located rows become points in one set-based query; a stake off the route is a row error. */
async function resolveGeometries(db: Queryable, rows: readonly ImportRow[]): Promise<PreparedRow[]> {
  const prepared: PreparedRow[] = rows.map((row) => ({
    row,
    errors: [...row.errors],
    geometry: row.location?.kind === 'geometry' ? row.location.geometry : null,
  }));
  // Geometries of a projected (or other EPSG) file: PostGIS transforms them, then they are range-checked like any.
  const foreign = prepared.filter((item) => item.geometry && 'crs' in item.geometry);
  const transformed = await transformToWgs84(db, foreign.map((item) => item.geometry!));
  foreign.forEach((item, index) => {
    const geometry = transformed[index] ?? null;
    const positions = geometry ? (geometry.type === 'Point' ? [geometry.coordinates] : geometry.coordinates.flat()) : [];
    if (!geometry || positions.some((position) => Math.abs(position[0]!) > 180 || Math.abs(position[1]!) > 90)) {
      item.errors.push({ field: 'geometry', message: 'the geometry cannot be transformed to longitude/latitude from the file\'s coordinate system' });
      item.geometry = null;
    } else item.geometry = geometry;
  });
  const stakeRows = prepared.filter((item) => item.row.location?.kind === 'stake');
  if (stakeRows.length > 0) {
    const points = await selectStakePoints(
      db,
      stakeRows.map(({ row }) => {
        const location = row.location as Extract<ImportRow['location'], { kind: 'stake' }>;
        return {
          routeCode: location.route,
          direction: location.direction ?? 1,
          chainageMeters: location.chainageMeters,
          sideSign: location.side === 'left' ? 1 : location.side === 'right' ? -1 : 0,
          offsetMeters: location.offsetMeters ?? 0,
        };
      }),
    );
    stakeRows.forEach((item, index) => {
      const point = points[index]?.point;
      const location = item.row.location as Extract<ImportRow['location'], { kind: 'stake' }>;
      if (point) item.geometry = point;
      else item.errors.push({ field: 'stake', message: `${location.route} has no road at ${location.stake} (or the route does not exist)` });
    });
  }
  for (const item of prepared) {
    if (!item.row.location && item.errors.length === 0) item.errors.push({ field: 'location', message: 'give lon and lat, or route and stake' });
    if (!item.row.category && !item.errors.some((error) => error.field === 'category')) {
      item.errors.push({ field: 'category', message: 'category is required: billboard, structure, excavation, piling or trading (or 非公路标志, 违法搭建, 违法采挖, 违法堆放, 占道经营)' });
    }
    if (item.row.source && !(VIOLATION_SOURCES as readonly string[]).includes(item.row.source)) {
      item.errors.push({ field: 'source', message: `source must be one of ${VIOLATION_SOURCES.join(', ')}` });
    }
  }
  const seen = new Map<string, number>();
  for (const item of prepared) {
    const externalId = item.row.externalId;
    if (!externalId) continue;
    const first = seen.get(externalId);
    if (first !== undefined) item.errors.push({ field: 'externalId', message: `external id ${externalId} is also on row ${first}` });
    else seen.set(externalId, item.row.rowNumber);
  }
  return prepared;
}

/**
 * `parsed` comes from the parsing worker (server/files/). Dry run: what each row would create and what is wrong with it. Commit: all rows or none (the
 * request's transaction), rows whose external id exists are skipped, so a re-import creates nothing.
 */
export async function importViolations(
  db: Queryable,
  input: { parsed: ImportResult; dryRun: boolean; source: ViolationSource },
  user: SessionUser,
): Promise<ImportReport> {
  const parsed = input.parsed;
  const prepared = await resolveGeometries(db, parsed.rows);
  const existing = await findViolationIdsByExternalIds(db, parsed.rows.flatMap((row) => (row.externalId ? [row.externalId] : [])));
  const assessable = prepared.filter((item) => item.geometry && item.row.category && isViolationCategory(item.row.category));
  const assessments = await assessFindings(
    db,
    assessable.map((item) => ({ geometry: item.geometry!, category: item.row.category!, attributes: item.row.attributes })),
  );
  const assessmentOf = new Map(assessable.map((item, index) => [item, assessments[index]!]));
  const reportRows: ImportReportRow[] = prepared.map((item) => {
    const assessment = assessmentOf.get(item);
    const errors = [...item.errors, ...(assessment?.attributeErrors ?? []).map((error) => ({ field: error.path.startsWith('attributes') ? error.path : `attributes.${error.path}`, message: error.message }))];
    // Located on the whole network: a row in another district is not filed in the importer's.
    const district = assessment?.location.jurisdiction ?? null;
    if (assessment && !(district === null ? user.jurisdictionIsTop : user.scopeCodes.includes(district.code))) {
      errors.push({ field: 'geometry', message: `lies in ${district?.name ?? 'no district'} (${district?.code ?? '—'}), outside your jurisdiction (OUTSIDE_JURISDICTION)` });
    }
    const existingId = item.row.externalId ? (existing.get(item.row.externalId) ?? null) : null;
    const location = assessment?.location as
      | { route: string | null; stake: string | null; side: string | null; offsetMeters: number | null; primaryZone: string | null }
      | undefined;
    return {
      rowNumber: item.row.rowNumber,
      externalId: item.row.externalId,
      ok: errors.length === 0,
      errors,
      warnings: item.row.warnings ?? [],
      existingId,
      would:
        assessment && item.row.category
          ? {
              category: item.row.category,
              route: location?.route ?? null,
              stake: location?.stake ?? null,
              side: location?.side ?? null,
              offsetMeters: location?.offsetMeters ?? null,
              primaryZone: location?.primaryZone ?? null,
              verdict: assessment.verdict,
            }
          : null,
    };
  });
  const invalid = reportRows.filter((row) => !row.ok).length;
  const summary = { total: reportRows.length, valid: reportRows.length - invalid, invalid, existing: reportRows.filter((row) => row.existingId !== null).length, created: 0 };
  const report: ImportReport = { dryRun: input.dryRun, format: parsed.format, summary, rows: reportRows };
  if (input.dryRun) return report;
  if (invalid > 0) {
    throw new AppError(422, 'IMPORT_HAS_ERRORS', `${invalid} of ${reportRows.length} rows have errors; nothing was imported. Fix them (see details.rows) and import again`, report);
  }
  for (const [index, item] of prepared.entries()) {
    const reportRow = reportRows[index]!;
    if (reportRow.existingId !== null) continue;
    const { created, feature } = await createViolation(
      db,
      {
        geometry: item.geometry!,
        category: item.row.category!,
        attributes: item.row.attributes,
        description: item.row.description ?? undefined,
        source: (item.row.source as ViolationSource | null) ?? input.source,
        externalId: item.row.externalId ?? undefined,
        // A file is reviewed in its dry run; the interactive duplicate prompt does not apply.
        confirmNotDuplicate: true,
      },
      user,
    );
    if (created) {
      reportRow.createdId = Number(feature.id);
      summary.created += 1;
    }
  }
  return report;
}
