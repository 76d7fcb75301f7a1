/**
 * `npm run data:province -- --segments 50000 [--seed 1] [--extent density|full] [--database-url URL] [--data-dir DIR]`
 * Generates the synthetic province network (scripts/province_network.ts) and loads it into its own
 * database (scripts/province_database.ts), replacing an earlier synthetic one. Prints counts and timings.
 */
import { parseArgs } from 'node:util';
import { openProvinceDatabase } from './province_database.ts';
import { generateProvinceNetwork, loadProvinceNetwork } from './province_network.ts';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '1' },
    extent: { type: 'string', default: 'density' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const segments = Number(values.segments);
if (!Number.isInteger(segments) || segments < 1) throw new Error('--segments must be a positive integer');
if (values.extent !== 'density' && values.extent !== 'full') throw new Error('--extent must be density or full');

const generatedAt = performance.now();
const network = generateProvinceNetwork({ segments, seed: Number(values.seed), extent: values.extent });
const generateMs = performance.now() - generatedAt;
const db = await openProvinceDatabase({ databaseUrl: values['database-url'], dataDir: values['data-dir'] });
try {
  const summary = await loadProvinceNetwork(db.pool, network);
  const km = network.segments.reduce((sum, s) => sum + (s.chainageToMeters - s.chainageFromMeters), 0) / 1000;
  const byClass = new Map<string, number>();
  for (const s of network.segments) byClass.set(s.adminClass, (byClass.get(s.adminClass) ?? 0) + 1);
  const { west, south, east, north } = network.extent;
  console.log(`Synthetic province network (${db.mode} database), seed ${network.options.seed}, extent ${west.toFixed(2)}–${east.toFixed(2)}°E ${south.toFixed(2)}–${north.toFixed(2)}°N`);
  console.log(`${summary.routes.toLocaleString('en-US')} routes, ${summary.segments.toLocaleString('en-US')} segments (${Math.round(km).toLocaleString('en-US')} km; ${[...byClass].map(([c, n]) => `${c} ${n}`).join(', ')}), ${network.districts.length} districts, ${summary.zones.toLocaleString('en-US')} zones`);
  console.log(`generate ${generateMs.toFixed(0)} ms   insert ${summary.insertMs.toFixed(0)} ms   draw zones ${summary.zonesMs.toFixed(0)} ms`);
} finally {
  await db.close();
}
