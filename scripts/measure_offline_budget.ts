/**
 * The offline data budget of the crew app: bytes of the map data a phone keeps for one day's
 * assignment area — segments, protection zones and basemap roads clipped to the area's bbox
 * (+500 m), as GeoJSON, raw and gzip. The area measured is the whole demo district 410104 (every
 * segment of it), an upper bound for one crew's day. Needs DATABASE_URL (a server; a throwaway
 * database with the demo data is created there and dropped).
 *   DATABASE_URL=postgres://… npm run measure:offline-budget
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { readConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server');
const name = `luyu_budget_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
try {
  const db = await openDatabase(url.toString());
  await prepareDatabase(db, { ...readConfig({ ...process.env, DATABASE_URL: url.toString() }), LUYU_LOAD_DEMO: 'auto' });
  const area = await db.pool.query<{ box: string; km: number; area_km2: number }>(
    `SELECT ST_AsEWKT(ST_Envelope(ST_Expand(ST_Extent(centreline)::geometry, 0.005))) AS box, sum(length_meters) / 1000 AS km,
            ST_Area(ST_Envelope(ST_Expand(ST_Extent(centreline)::geometry, 0.005))::geography) / 1e6 AS area_km2
     FROM segments WHERE jurisdiction_code = '410104'`,
  );
  const box = area.rows[0]!.box;
  const layers: Record<string, string> = {
    segments: `SELECT id, route_code, direction, chainage_from_meters, chainage_to_meters, ST_AsGeoJSON(centreline, 6)::json AS g FROM segments WHERE centreline && ST_GeomFromEWKT($1)`,
    zones: `SELECT id, segment_id, kind, ST_AsGeoJSON(geom, 6)::json AS g FROM protection_zones WHERE geom && ST_GeomFromEWKT($1)`,
    basemap_roads: `SELECT osm_id, highway, name, ref, ST_AsGeoJSON(geom, 6)::json AS g FROM basemap_roads WHERE geom && ST_GeomFromEWKT($1)`,
  };
  let raw = 0;
  let gz = 0;
  console.log(`area: demo district 410104, ${area.rows[0]!.km.toFixed(0)} km of segments, bbox ${area.rows[0]!.area_km2.toFixed(0)} km²`);
  for (const [layer, sql] of Object.entries(layers)) {
    const rows = (await db.pool.query(sql, [box])).rows;
    const text = JSON.stringify({ type: 'FeatureCollection', features: rows.map(({ g, ...properties }) => ({ type: 'Feature', geometry: g, properties })) });
    const zipped = gzipSync(text).length;
    raw += text.length;
    gz += zipped;
    console.log(`${layer}: ${rows.length} features, ${(text.length / 1e6).toFixed(2)} MB raw, ${(zipped / 1e6).toFixed(2)} MB gzip`);
  }
  console.log(`total vector map data: ${(raw / 1e6).toFixed(2)} MB raw (IndexedDB), ${(gz / 1e6).toFixed(2)} MB over the wire`);
  await db.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
