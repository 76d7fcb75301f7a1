/**
 * Coordinate reference systems of uploaded files. PostGIS transforms (ST_Transform); this module only
 * names them: the form's choice (`WGS84`, `CGCS2000`, `GCJ02`, `EPSG:n`), a GeoJSON `crs` member, a
 * FlatGeobuf/GeoPackage EPSG code or a Shapefile .prj (ESRI WKT as GDAL and ArcGIS write it).
 * Every SRID here is in spatial_ref_sys of both PostGIS builds (PostGIS 3.3 on PostgreSQL 15 and the
 * embedded 3.6), checked by tests/integration/file_formats.test.ts.
 */

import { FileRejectedError } from './file_limits.ts';

/** Geographic CRSs (degrees): WGS 84, CGCS2000, Beijing 1954, Xi'an 1980. */
export const GEOGRAPHIC_SRIDS = [4326, 4490, 4214, 4610] as const;
/** CGCS2000 Gauss-Krüger: 4491–4501 6° zones 13–23, 4502–4512 6° CM 75E–135E, 4513–4533 3° zones 25–45, 4534–4554 3° CM 75E–135E. */
const CGCS2000_GAUSS_KRUGER = Array.from({ length: 4554 - 4491 + 1 }, (_, index) => 4491 + index);
export const SUPPORTED_SRIDS: readonly number[] = [...GEOGRAPHIC_SRIDS, 3857, ...CGCS2000_GAUSS_KRUGER];

/** What the uploader says: GCJ-02 (converted in JS: no EPSG code exists) or an EPSG code. */
export type CrsChoice = { kind: 'gcj02' } | { kind: 'epsg'; srid: number; named: boolean };

export const CRS_CHOICE_HINT = 'WGS84, CGCS2000, GCJ02 or EPSG:n (4326, 4490, 4214, 4610, 3857, 4491–4554)';

/** A CRS that cannot be used, with a code for the client's messages. */
export class CrsError extends FileRejectedError {}

/** The form field: datum names stay accepted; `EPSG:4547`, `epsg:4547` and `4547` name a code. */
export function parseCrsChoice(text: string): CrsChoice | null {
  const value = text.trim().toUpperCase();
  if (value === 'GCJ02' || value === 'GCJ-02') return { kind: 'gcj02' };
  if (value === 'WGS84' || value === 'WGS 84') return { kind: 'epsg', srid: 4326, named: true };
  if (value === 'CGCS2000') return { kind: 'epsg', srid: 4490, named: true };
  const match = /^(?:EPSG:)?(\d{4,5})$/.exec(value);
  if (!match) return null;
  const srid = Number(match[1]);
  return SUPPORTED_SRIDS.includes(srid) ? { kind: 'epsg', srid, named: false } : null;
}

export function isGeographic(srid: number): boolean {
  return (GEOGRAPHIC_SRIDS as readonly number[]).includes(srid);
}

function supported(srid: number, where: string): number {
  if (!SUPPORTED_SRIDS.includes(srid)) throw new CrsError('CRS_UNSUPPORTED', `${where} declares EPSG:${srid}, which is not supported; reproject to EPSG:4326 or CGCS2000 (EPSG:4490), or a CGCS2000 Gauss-Krüger zone`);
  return srid;
}

/** A GeoJSON `crs` member name: `EPSG:4547`, `urn:ogc:def:crs:EPSG::4547`, `urn:ogc:def:crs:OGC:1.3:CRS84`. */
export function sridOfCrsName(name: string): number {
  if (/CRS84$/i.test(name)) return 4326;
  const match = /EPSG:(?:[\d.]*:)?(\d+)$/i.exec(name.trim());
  if (!match) throw new CrsError('CRS_UNKNOWN', `the GeoJSON crs ${name} is not an EPSG code; send the CRS in the form field crs (${CRS_CHOICE_HINT})`);
  return supported(Number(match[1]), 'the GeoJSON crs member');
}

export function sridOfEpsgCode(organization: string | null | undefined, code: number, where: string): number | null {
  if (code <= 0) return null;
  if (organization && organization.toUpperCase() !== 'EPSG') throw new CrsError('CRS_UNKNOWN', `${where} declares ${organization}:${code}; only EPSG codes are understood`);
  return supported(code, where);
}

const wktNumber = (wkt: string, parameter: string): number | null => {
  const match = new RegExp(`PARAMETER\\[\\s*"${parameter}"\\s*,\\s*(-?[\\d.]+)`, 'i').exec(wkt);
  return match ? Number(match[1]) : null;
};

/**
 * The EPSG code of a Shapefile .prj. OGC WKT may carry it (`AUTHORITY["EPSG","4547"]` last in the
 * root); ESRI WKT (what GDAL, ArcGIS and QGIS write) does not, so the datum and projection
 * parameters are matched against the supported list.
 */
export function sridOfPrj(wkt: string): number {
  const text = wkt.trim();
  const authority = /AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text);
  if (authority) return supported(Number(authority[1]), 'the .prj');
  const root = /^(GEOGCS|PROJCS|GEOGCRS|PROJCRS)\[\s*"([^"]*)"/i.exec(text);
  if (!root) throw new CrsError('CRS_UNKNOWN', 'the .prj is not WKT; send the CRS in the form field crs');
  const datum = (/DATUM\[\s*"([^"]*)"/i.exec(text)?.[1] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const family = datum.includes('2000') && datum.includes('china') ? 'cgcs2000' : datum.includes('wgs1984') || datum.includes('wgs84') ? 'wgs84' : datum.includes('beijing1954') ? 'beijing1954' : datum.includes('xian1980') ? 'xian1980' : null;
  const unknown = () => new CrsError('CRS_UNKNOWN', `the .prj describes ${root[2]}, which is not a supported CRS; reproject to EPSG:4326 or EPSG:4490, or name it in the form field crs (${CRS_CHOICE_HINT})`);
  if (/^GEOG/i.test(root[1]!)) {
    const srid = family ? { wgs84: 4326, cgcs2000: 4490, beijing1954: 4214, xian1980: 4610 }[family] : undefined;
    if (!srid) throw unknown();
    return srid;
  }
  if (family === 'wgs84' && /Mercator_Auxiliary_Sphere|Pseudo[_ -]Mercator|Web[_ ]Mercator|Popular Visualisation/i.test(text)) return 3857;
  if (family !== 'cgcs2000' || !/PROJECTION\[\s*"(Gauss_Kruger|Transverse_Mercator)"/i.test(text)) throw unknown();
  const centralMeridian = wktNumber(text, 'Central_Meridian');
  const falseEasting = wktNumber(text, 'False_Easting');
  const scale = wktNumber(text, 'Scale_Factor') ?? 1;
  if (centralMeridian === null || falseEasting === null || scale !== 1 || (wktNumber(text, 'False_Northing') ?? 0) !== 0) throw unknown();
  const zonePrefix = Math.floor(falseEasting / 1_000_000);
  if (falseEasting % 1_000_000 !== 500_000) throw unknown();
  const threeDegree = (centralMeridian - 75) / 3;
  if (zonePrefix === 0 && Number.isInteger(threeDegree) && threeDegree >= 0 && threeDegree <= 20) return 4534 + threeDegree;
  if (zonePrefix >= 25 && zonePrefix <= 45 && zonePrefix * 3 === centralMeridian) return 4513 + zonePrefix - 25;
  if (zonePrefix >= 13 && zonePrefix <= 23 && zonePrefix * 6 - 3 === centralMeridian) return 4491 + zonePrefix - 13;
  throw unknown();
}

/**
 * The CRS the features are read in. The file's own declaration wins over the datum NAMES (WGS84 and
 * CGCS2000 are what a form sends by default); an explicit EPSG code or GCJ-02 that contradicts the file
 * is refused, never silently overridden. Nothing declared and nothing chosen: WGS 84 (RFC 7946).
 */
export function resolveSourceCrs(choice: CrsChoice | null, declaredSrid: number | null): CrsChoice {
  if (declaredSrid === null) return choice ?? { kind: 'epsg', srid: 4326, named: true };
  if (!choice || (choice.kind === 'epsg' && (choice.named || choice.srid === declaredSrid))) return { kind: 'epsg', srid: declaredSrid, named: false };
  const asked = choice.kind === 'gcj02' ? 'GCJ02' : `EPSG:${choice.srid}`;
  if (choice.kind === 'gcj02' && declaredSrid === 4326) return choice;
  throw new CrsError('CRS_CONFLICT', `the file declares EPSG:${declaredSrid} but the form says ${asked}; leave crs empty to use the file's CRS, or fix the file`);
}
