import type { Point, Polygon } from 'geojson';

/** The datum the file's coordinates are in. CGCS2000 is taken as WGS84 (they differ by centimetres). */
export type ImportDatum = 'WGS84' | 'CGCS2000' | 'GCJ02';
export const IMPORT_DATUMS: readonly ImportDatum[] = ['WGS84', 'CGCS2000', 'GCJ02'];

export type ImportFormat = 'geojson' | 'csv' | 'xlsx' | 'geojsonseq' | 'shapefile' | 'kmz' | 'flatgeobuf' | 'geopackage' | 'kml';

/** The optional ones (level_crossing, crops) import only where LUYU enables them; the assessment says so otherwise. */
export type ViolationCategoryCode = 'billboard' | 'structure' | 'excavation' | 'piling' | 'trading' | 'level_crossing' | 'crops';

export interface ImportRowError {
  /** Canonical field name (`lat`, `stake`, `category`, `geometry`, `location`, …). */
  field: string;
  message: string;
}

export type ImportLocation =
  | { kind: 'geometry'; geometry: Point | Polygon }
  | {
      kind: 'stake';
      /** GB/T 917 route code, upper case: `G107`. */
      route: string;
      /** Normalised stake text, `K3+200`. */
      stake: string;
      chainageMeters: number;
      side: 'left' | 'right' | null;
      offsetMeters: number | null;
      /** +1 = chainage increasing, −1 = decreasing. */
      direction: 1 | -1 | null;
    };

export interface ImportRow {
  /** 1-based data row (the header is not counted); for GeoJSON the feature index + 1. */
  rowNumber: number;
  externalId: string | null;
  category: ViolationCategoryCode | null;
  /** Geometry is always WGS84/CGCS2000 here: GCJ-02 input has already been converted. */
  location: ImportLocation | null;
  attributes: Record<string, unknown>;
  description: string | null;
  source: string | null;
  errors: ImportRowError[];
  /** Columns that were ignored (unknown to the category): reported, never fatal. */
  warnings: ImportRowError[];
}

export interface ImportResult {
  format: ImportFormat;
  rows: ImportRow[];
}

export interface ParseImportFileInput {
  fileName: string;
  mediaType?: string;
  bytes: Uint8Array;
  datum: ImportDatum;
  /**
   * Which chainage direction 上行 means. Most provinces use 上行 = increasing chainage (+1), but
   * the convention is provincial, so it is a parameter, not a constant.
   */
  upboundDirection?: 1 | -1;
}

export const MAX_IMPORT_ROWS = 10_000;
