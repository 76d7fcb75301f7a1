import type { Point, Polygon, Position } from 'geojson';
import wkx from 'wkx';
import { parseStake, formatStake, STAKE_FORMAT_HINT } from '../domain/stake.ts';
import { ROUTE_CODE_PATTERN } from '../domain/admin_class.ts';
import {
  attributeAlias,
  BOOLEAN_HINT,
  booleanValue,
  CATEGORY_HINT,
  categoryCode,
  canonicalField,
  DIRECTION_HINT,
  directionValue,
  isDerivedExportColumn,
  OFFSET_UNITS,
  SIDE_HINT,
  sideValue,
  sourceCode,
  type CanonicalField,
} from './import_aliases.ts';
import { toWgs84 } from './convert_datum.ts';
import { isGeographic } from '../files/source_crs.ts';
import type { ImportDatum, ImportLocation, ImportRow, ImportRowError } from './import_types.ts';
import { cellText, looseValue, parseNumber, type CellValue } from './parse_cell_values.ts';

export interface RowContext {
  datum: ImportDatum;
  upboundDirection: 1 | -1;
  /** EPSG code of geometries (not lon/lat columns); not 4326 → the geometry keeps a crs member and PostGIS transforms it. */
  geometrySrid?: number;
}

/** A row after header mapping: canonical fields by name, everything else by original header. */
export interface MappedRecord {
  rowNumber: number;
  fields: Partial<Record<CanonicalField, CellValue>>;
  /** Other columns/properties: header → cell value. */
  extra: Record<string, CellValue>;
  /** GeoJSON only: the feature's geometry, not yet checked. */
  geometry?: unknown;
}

// China spans roughly 73–135°E and 18–54°N: a pair inside those boxes the wrong way round was swapped.
function looksSwapped(lon: number, lat: number): boolean {
  return lat >= 73 && lat <= 135 && lon >= 18 && lon <= 54;
}

/** Range-checks one position; returns messages for the given field names. */
function positionErrors(lon: number, lat: number, lonField: string, latField: string): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const swapHint = looksSwapped(lon, lat) ? ' (lon and lat look swapped)' : '';
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) errors.push({ field: lonField, message: `lon must be between -180 and 180, got ${lon}${swapHint}` });
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) errors.push({ field: latField, message: `lat must be between -90 and 90, got ${lat}${swapHint}` });
  return errors;
}

function numberField(value: CellValue | undefined, field: string, errors: ImportRowError[], units: readonly string[] = []): number | null {
  const parsed = parseNumber(value, units);
  if (parsed === null) return null;
  if (!parsed.ok) {
    errors.push({ field, message: `${field} ${parsed.message}` });
    return null;
  }
  return parsed.value;
}

function pointFromColumns(fields: MappedRecord['fields'], context: RowContext, errors: ImportRowError[]): ImportLocation | null {
  const before = errors.length;
  const lon = numberField(fields.lon, 'lon', errors);
  const lat = numberField(fields.lat, 'lat', errors);
  if (errors.length > before) return null;
  if (lon === null) errors.push({ field: 'lon', message: 'lon is missing; give both lon and lat in decimal degrees' });
  if (lat === null) errors.push({ field: 'lat', message: 'lat is missing; give both lon and lat in decimal degrees' });
  if (lon === null || lat === null) return null;
  const rangeErrors = positionErrors(lon, lat, 'lon', 'lat');
  if (rangeErrors.length > 0) {
    errors.push(...rangeErrors);
    return null;
  }
  return { kind: 'geometry', geometry: { type: 'Point', coordinates: toWgs84([lon, lat], context.datum) } };
}

function stakeFromColumns(fields: MappedRecord['fields'], context: RowContext, errors: ImportRowError[]): ImportLocation | null {
  const before = errors.length;
  const routeText = cellText(fields.route)?.normalize('NFKC').toUpperCase().replace(/\s+/g, '') ?? null;
  if (routeText === null) errors.push({ field: 'route', message: 'route is missing; give a route code such as G107 with the stake' });
  else if (!ROUTE_CODE_PATTERN.test(routeText)) {
    errors.push({ field: 'route', message: `route "${routeText}" is not valid: write a GB/T 917 route code, a letter G/S/X/Y/C/Z and 1–4 digits, e.g. G107` });
  }
  const stakeText = cellText(fields.stake)?.normalize('NFKC') ?? null;
  let chainageMeters: number | null = null;
  if (stakeText === null) errors.push({ field: 'stake', message: `stake is missing; write ${STAKE_FORMAT_HINT}` });
  else {
    const parsed = parseStake(stakeText);
    if (parsed.ok) chainageMeters = parsed.chainageMeters;
    else errors.push({ field: 'stake', message: `stake ${stakeText} is not valid: write ${STAKE_FORMAT_HINT}` });
  }
  const sideText = cellText(fields.side);
  const side = sideText === null ? null : sideValue(sideText);
  if (sideText !== null && side === null) errors.push({ field: 'side', message: `side "${sideText}" is not valid: write ${SIDE_HINT}` });
  const offsetMeters = numberField(fields.offset, 'offset', errors, OFFSET_UNITS);
  if (offsetMeters !== null && offsetMeters < 0) {
    errors.push({ field: 'offset', message: 'offset must be 0 or more metres from the centreline; give left/right in the side column' });
  }
  const directionText = cellText(fields.direction);
  const direction = directionText === null ? null : directionValue(directionText, context.upboundDirection);
  if (directionText !== null && direction === null) errors.push({ field: 'direction', message: `direction "${directionText}" is not valid: write ${DIRECTION_HINT}` });
  if (errors.length > before || routeText === null || chainageMeters === null) return null;
  return {
    kind: 'stake',
    route: routeText,
    stake: formatStake(chainageMeters, Number.isInteger(chainageMeters) ? 0 : 3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''),
    chainageMeters,
    side,
    offsetMeters,
    direction,
  };
}

function readPosition(value: unknown, where: string, errors: ImportRowError[], projected = false): [number, number] | null {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number') {
    errors.push({ field: 'geometry', message: `${where} must be a [lon, lat] pair of numbers` });
    return null;
  }
  // Projected metres are checked after PostGIS has transformed them (violation_imports/service.ts).
  if (projected) return [value[0], value[1]];
  const rangeErrors = positionErrors(value[0], value[1], 'geometry', 'geometry').map((error) => ({ ...error, message: `${where}: ${error.message}` }));
  if (rangeErrors.length > 0) {
    errors.push(...rangeErrors);
    return null;
  }
  return [value[0], value[1]];
}

/** Point or Polygon, every vertex range-checked and converted; altitude is dropped (the store is 2D). */
function geometryLocation(geometry: unknown, context: RowContext, errors: ImportRowError[]): ImportLocation | null {
  if (geometry === null || typeof geometry !== 'object' || !('type' in geometry)) {
    errors.push({ field: 'geometry', message: 'geometry is missing; give a Point or Polygon' });
    return null;
  }
  const { type, coordinates } = geometry as { type: unknown; coordinates: unknown };
  const srid = context.geometrySrid ?? 4326;
  const projected = !isGeographic(srid);
  const crsMember = srid === 4326 ? {} : { crs: { type: 'name', properties: { name: `EPSG:${srid}` } } };
  if (type === 'Point') {
    const position = readPosition(coordinates, 'Point coordinates', errors, projected);
    if (!position) return null;
    const point: Point = { type: 'Point', coordinates: toWgs84(position, context.datum), ...crsMember };
    return { kind: 'geometry', geometry: point };
  }
  if (type === 'Polygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      errors.push({ field: 'geometry', message: 'Polygon coordinates must be a list of rings, each a list of [lon, lat] positions' });
      return null;
    }
    const rings: Position[][] = [];
    for (const [ringIndex, ring] of coordinates.entries()) {
      const ringName = ringIndex === 0 ? 'Polygon outer ring' : `Polygon hole ${ringIndex}`;
      if (!Array.isArray(ring) || ring.length < 4) {
        errors.push({ field: 'geometry', message: `${ringName} must have at least 4 positions (a closed triangle)` });
        return null;
      }
      const positions: [number, number][] = [];
      for (const [index, raw] of ring.entries()) {
        const position = readPosition(raw, `${ringName} position ${index + 1}`, errors, projected);
        if (!position) return null;
        positions.push(position);
      }
      const first = positions[0];
      const last = positions[positions.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
        errors.push({ field: 'geometry', message: `${ringName} must be closed: its last position must equal its first` });
        return null;
      }
      rings.push(positions.map((position) => toWgs84(position, context.datum)));
    }
    const polygon: Polygon = { type: 'Polygon', coordinates: rings, ...crsMember };
    return { kind: 'geometry', geometry: polygon };
  }
  errors.push({ field: 'geometry', message: `geometry type ${String(type)} is not supported; use Point or Polygon` });
  return null;
}

/** A WKT cell → a GeoJSON geometry for geometryLocation (which range-checks it); a parse failure is a row error. */
function geometryOfWkt(value: CellValue | undefined, errors: ImportRowError[]): unknown {
  const text = cellText(value);
  try {
    return wkx.Geometry.parse(text!).toGeoJSON();
  } catch (error) {
    errors.push({ field: 'wkt', message: `WKT "${text!.slice(0, 40)}…" cannot be read (${(error as Error).message}); write e.g. POINT(113.6 34.7) or POLYGON((…))` });
    return undefined;
  }
}

/** The attributes column: one JSON object (the ledger export writes it); separate attribute columns win over it. */
function attributesOfJson(value: CellValue | undefined, errors: ImportRowError[]): Record<string, unknown> {
  const text = cellText(value);
  if (text === null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  errors.push({ field: 'attributes', message: 'the attributes column must hold one JSON object, e.g. {"heightMeters": 6}' });
  return {};
}

function hasValue(value: CellValue | undefined): boolean {
  return cellText(value) !== null;
}

/** Turns a mapped record into an ImportRow; every problem becomes a row error, never an exception. */
export function buildImportRow(record: MappedRecord, context: RowContext): ImportRow {
  const errors: ImportRowError[] = [];
  const { fields } = record;

  let location: ImportLocation | null;
  if (record.geometry !== undefined) {
    location = geometryLocation(record.geometry, context, errors);
  } else if (hasValue(fields.wkt)) {
    // The full geometry wins over the representative point beside it in an exported ledger.
    const geometry = geometryOfWkt(fields.wkt, errors);
    location = geometry === undefined ? null : geometryLocation(geometry, context, errors);
  } else if (hasValue(fields.lon) || hasValue(fields.lat)) {
    // Coordinates win over stake columns: a file exported from this system carries both, and the
    // point is the measured truth the stake was derived from.
    location = pointFromColumns(fields, context, errors);
  } else if (hasValue(fields.route) || hasValue(fields.stake)) {
    location = stakeFromColumns(fields, context, errors);
  } else {
    location = null;
    errors.push({ field: 'location', message: 'location is missing: give lon and lat, or route and stake (with optional side, offset, direction)' });
  }

  const categoryText = cellText(fields.category);
  const category = categoryText === null ? null : categoryCode(categoryText);
  if (categoryText !== null && category === null) {
    errors.push({ field: 'category', message: `category "${categoryText}" is not known: use one of ${CATEGORY_HINT}` });
  }

  const attributes: Record<string, unknown> = attributesOfJson(fields.attributes, errors);
  const warnings: ImportRowError[] = [];
  for (const [header, value] of Object.entries(record.extra)) {
    // Derived ledger columns are recomputed; a location property beside a feature's geometry is redundant.
    if (isDerivedExportColumn(header) || canonicalField(header) !== null) continue;
    const alias = attributeAlias(header);
    if (!alias) {
      // A column no field or attribute knows (a GIS tool's fid, a ledger's own remarks) never fails
      // the row: the category schemas are strict, so it is left out and named in a warning.
      if (looseValue(value) !== null) warnings.push({ field: header, message: `column "${header}" is not a known field or attribute of the category; it was ignored` });
      continue;
    }
    const key = (category && alias.keyByCategory?.[category]) ?? alias.key;
    if (alias.kind === 'number') {
      const parsed = parseNumber(value, alias.units);
      if (parsed === null) continue;
      if (parsed.ok) attributes[key] = parsed.value;
      else errors.push({ field: key, message: `${header} ${parsed.message}` });
    } else if (alias.kind === 'boolean') {
      if (typeof value === 'boolean') attributes[key] = value;
      else {
        const textValue = cellText(value);
        if (textValue === null) continue;
        const flag = booleanValue(textValue);
        if (flag === null) errors.push({ field: key, message: `${header} "${textValue}" is not valid: write ${BOOLEAN_HINT}` });
        else attributes[key] = flag;
      }
    } else {
      // Text attributes stay text even when they look numeric: permit number 007 is not 7.
      const textValue = cellText(value);
      if (textValue !== null) attributes[key] = textValue;
    }
  }

  // The ledger writes the source's label (巡查发现); the service checks the code.
  const sourceText = cellText(fields.source);
  const source = sourceText === null ? null : sourceCode(sourceText);

  return {
    rowNumber: record.rowNumber,
    externalId: cellText(fields.externalId),
    category,
    location,
    attributes,
    description: cellText(fields.description),
    source,
    errors,
    warnings,
  };
}
