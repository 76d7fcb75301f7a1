/**
 * `npm run data:province -- --segments 250000 --detections 1000000 --violations 100000 [--seed 1] [--extent density|full] [--database-url URL] [--data-dir DIR]`
 * Generates the synthetic province (scripts/province_network.ts: roads, 18 cities, 150 counties,
 * zones; scripts/province_cases.ts: detections and cases with timelines) and loads it into its own
 * database (scripts/province_database.ts) set-wise, replacing an earlier synthetic one. Deterministic
 * by seed. Prints counts and timings.
 */
import { parseArgs } from 'node:util';
import { openProvinceDatabase } from './province_database.ts';
import { deleteProvinceCases, loadProvinceCases } from './province_cases.ts';
import { generateProvinceNetwork, loadProvinceNetwork } from './province_network.ts';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '50000' },
    detections: { type: 'string', default: '0' },
    violations: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    extent: { type: 'string', default: 'density' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const segments = Number(values.segments);
if (!Number.isInteger(segments) || segments < 1) throw new Error('--segments must be a positive integer');
const detections = Number(values.detections);
const violations = Number(values.violations);
if (!Number.isInteger(detections) || detections < 0) throw new Error('--detections must be a whole number');
if (!Number.isInteger(violations) || violations < 0) throw new Error('--violations must be a whole number');
if (values.extent !== 'density' && values.extent !== 'full') throw new Error('--extent must be density or full');

const generatedAt = performance.now();
const network = generateProvinceNetwork({ segments, seed: Number(values.seed), extent: values.extent });
const generateMs = performance.now() - generatedAt;
const db = await openProvinceDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] });
try {
  const startedAt = performance.now();
  // Cases and detections point at the segments being replaced: they go first.
  await deleteProvinceCases(db.pool);
  const summary = await loadProvinceNetwork(db.pool, network);
  const cases = await loadProvinceCases(db.pool, network, { detections, violations, seed: network.options.seed });
  const totalMs = performance.now() - startedAt + generateMs;
  const km = network.segments.reduce((sum, s) => sum + (s.chainageToMeters - s.chainageFromMeters), 0) / 1000;
  const byClass = new Map<string, number>();
  for (const s of network.segments) byClass.set(s.adminClass, (byClass.get(s.adminClass) ?? 0) + 1);
  const { west, south, east, north } = network.extent;
  console.log(`Synthetic province network (${db.mode} database), seed ${network.options.seed}, extent ${west.toFixed(2)}–${east.toFixed(2)}°E ${south.toFixed(2)}–${north.toFixed(2)}°N`);
  console.log(`${summary.routes.toLocaleString('en-US')} routes, ${summary.segments.toLocaleString('en-US')} segments (${Math.round(km).toLocaleString('en-US')} km; ${[...byClass].map(([c, n]) => `${c} ${n}`).join(', ')}), ${network.cities.length} cities, ${network.districts.length} counties, ${summary.zones.toLocaleString('en-US')} zones`);
  console.log(`${cases.detections.toLocaleString('en-US')} detections in ${network.cities.length} batches, ${cases.violations.toLocaleString('en-US')} violations with ${cases.caseEvents.toLocaleString('en-US')} case events`);
  console.log(`generate ${generateMs.toFixed(0)} ms   insert ${summary.insertMs.toFixed(0)} ms   draw zones ${summary.zonesMs.toFixed(0)} ms   dissolve zones ${summary.dissolveMs.toFixed(0)} ms   detections ${cases.detectionsMs.toFixed(0)} ms   violations ${cases.violationsMs.toFixed(0)} ms   total ${(totalMs / 1000).toFixed(1)} s`);
} finally {
  await db.close();
}
