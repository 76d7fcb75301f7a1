/**
 * `npm run chainage:import -- --markers markers.csv [--breaks breaks.xlsx] [--source "2026 survey"]`
 * Loads a stake survey into the configured database (DATABASE_URL, or the embedded one in
 * LUYU_DATA_DIR — stop the server first) and recalibrates the chainage of the routes it names.
 * See docs/chainage_calibration.md for the columns.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { startDatabase } from '../db/start_database.ts';
import { migrate } from '../db/migrate.ts';
import { AppError } from '../http/errors.ts';
import { parseChainBreakRows, parseMarkerRows } from './parse_survey.ts';
import { readSurveyTable } from './read_survey_table.ts';
import { loadSurvey } from './service.ts';

const { values } = parseArgs({ options: { markers: { type: 'string' }, breaks: { type: 'string' }, source: { type: 'string' } } });
if (!values.markers && !values.breaks) {
  console.error('usage: npm run chainage:import -- --markers markers.csv [--breaks breaks.csv] [--source "survey name"]');
  process.exit(2);
}

async function readRows(file: string | undefined) {
  return file ? readSurveyTable(file, new Uint8Array(readFileSync(file))) : [];
}

const db = await startDatabase(readConfig());
try {
  await migrate(db.pool);
  const markers = parseMarkerRows(await readRows(values.markers));
  const chainBreaks = parseChainBreakRows(await readRows(values.breaks));
  const source = values.source ?? path.basename(values.markers ?? values.breaks ?? 'survey');
  const result = await loadSurvey(db.pool, { markers, chainBreaks, source });
  console.log(`Loaded ${result.markers} stake markers and ${result.chainBreaks} chain breaks; recalibrated ${result.routes.join(', ')}`);
  for (const [route, residual] of Object.entries(result.largestResidualMeters)) console.log(`  ${route}: largest marker residual ${residual.toFixed(3)} m`);
} catch (error) {
  if (error instanceof AppError) {
    console.error(`${error.code}: ${error.message}`);
    if (error.details) console.error(JSON.stringify(error.details, null, 2));
    process.exitCode = 1;
  } else throw error;
} finally {
  await db.close();
}
