/**
 * Satellite detections and enforcement cases (violations with their case_events timelines) over a
 * synthetic province network, generated from a seeded PRNG and bulk loaded set-wise: rows go in
 * through json_to_recordset in chunks, one transaction per chunk — NOT through the HTTP ingest or
 * the workflow routes, which `npm run bench:detections` measures. Detections are left unclassified
 * (review_status 'pending', anchor segment and county recorded); cases follow the transition
 * table's paths (server/domain/case_workflow.ts) with times in order.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../server/db/transaction.ts';
import { CASE_TRANSITIONS, type CaseStatus } from '../server/domain/case_workflow.ts';
import { formatCaseNumber } from '../server/domain/case_number.ts';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES } from '../server/domain/violation_categories.ts';
import { NOTES, PATHS, prng, STATUS_WEIGHTS } from '../data/seed/demo_violations.ts';
import { generateAnchoredDetections } from '../bench/detections/generate_detections.ts';
import { countyCodeAt, SYNTHETIC_PREFIX, type ProvinceNetwork } from './province_network.ts';
import * as sql from './province_queries.ts';

const DAY_MILLISECONDS = 86_400_000;
const HISTORY_DAYS = 730;
/** A fixed "now" so the same seed gives the same timestamps on any day. */
const REFERENCE_TIME = Date.parse('2026-06-30T00:00:00+08:00');
const METERS_PER_DEGREE_LAT = 110_540;

export interface ProvinceCaseOptions {
  detections: number;
  violations: number;
  seed: number;
  chunkSize?: number;
}

export interface ProvinceCaseSummary {
  detections: number;
  violations: number;
  caseEvents: number;
  detectionsMs: number;
  violationsMs: number;
}

export interface ViolationDraft {
  row: Record<string, unknown>;
  /** route@chainage_from of the segment the case lies beside (ids exist only once loaded). */
  segmentKey: string;
  events: Record<string, unknown>[];
}

function segmentMidpoint(segment: ProvinceNetwork['segments'][number]): [number, number] {
  const [lon, lat] = segment.coordinates[Math.floor(segment.coordinates.length / 2)]!;
  return [lon, lat];
}

function shanghaiYear(at: number): number {
  return new Date(at + 8 * 3_600_000).getUTCFullYear();
}

/** Violations with timelines, deterministic per (network, count, seed); case numbers per county and year in order of generation. */
export function* generateProvinceViolations(network: ProvinceNetwork, count: number, seed: number): Generator<ViolationDraft> {
  const random = prng(seed ^ 0x5eed_ca5e);
  const totalWeight = STATUS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickStatus = (): CaseStatus => {
    let draw = random() * totalWeight;
    for (const [status, weight] of STATUS_WEIGHTS) {
      draw -= weight;
      if (draw < 0) return status;
    }
    return 'reported';
  };
  const counters = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const segment = network.segments[Math.floor(random() * network.segments.length)]!;
    const [anchorLon, anchorLat] = segment.coordinates[Math.floor(random() * segment.coordinates.length)]!;
    // 3–60 m from the centreline: road land and the building control zone, where cases arise.
    const bearing = random() * 2 * Math.PI;
    const distanceMeters = 3 + random() * 57;
    const lon = Math.round((anchorLon + (Math.cos(bearing) * distanceMeters) / (METERS_PER_DEGREE_LAT * Math.cos((anchorLat * Math.PI) / 180))) * 1e7) / 1e7;
    const lat = Math.round((anchorLat + (Math.sin(bearing) * distanceMeters) / METERS_PER_DEGREE_LAT) * 1e7) / 1e7;
    const jurisdictionCode = countyCodeAt(network.extent, lon, lat);
    const category = DEFAULT_VIOLATION_CATEGORIES[Math.floor(random() * DEFAULT_VIOLATION_CATEGORIES.length)]!;
    const rule = VIOLATION_CATEGORY_RULES[category];
    const status = pickStatus();
    const path = PATHS[status];
    const reportedAt = REFERENCE_TIME - (2 + random() * (HISTORY_DAYS - 2)) * DAY_MILLISECONDS;
    const span = REFERENCE_TIME - reportedAt;
    const source = random() < 0.6 ? 'patrol' : random() < 0.5 ? 'complaint' : 'satellite_lead';
    const externalId = `${SYNTHETIC_PREFIX}-${seed}-${index}`;
    const events: Record<string, unknown>[] = [
      { external_id: externalId, step: 0, event: 'report', from_status: null, to_status: 'reported', occurred_at: new Date(reportedAt).toISOString(), actor_role: 'patrol', details: { source } },
    ];
    let at = reportedAt;
    let current: CaseStatus = 'reported';
    let deadline: number | null = null;
    let caseNumber: string | null = null;
    let party: { name: string } | null = null;
    for (const [step, event] of path.entries()) {
      at += (span / (path.length + 1)) * (0.4 + random() * 0.6);
      const transition = CASE_TRANSITIONS.find((row) => row.from === current && row.event === event)!;
      const details: Record<string, unknown> = {};
      if (event === 'verify') {
        const key = `${jurisdictionCode}/${shanghaiYear(at)}`;
        const sequence = (counters.get(key) ?? 0) + 1;
        counters.set(key, sequence);
        caseNumber = formatCaseNumber({ jurisdictionCode, year: shanghaiYear(at), sequence });
        details.caseNumber = caseNumber;
      }
      if (event === 'issue_notice') {
        party = { name: `${SYNTHETIC_PREFIX}当事人${Math.floor(random() * 100_000)}` };
        deadline = at + rule.defaultDeadlineDays * DAY_MILLISECONDS;
        details.deadline = new Date(deadline).toISOString();
        details.party = party;
      }
      if (event === 'send_reminder') {
        deadline = at + 3 * DAY_MILLISECONDS;
        details.deadline = new Date(deadline).toISOString();
      }
      if (event === 'reject') details.rejectReason = 'duplicate';
      events.push({
        external_id: externalId, step: step + 1, event, from_status: current, to_status: transition.to, occurred_at: new Date(at).toISOString(),
        actor_role: event === 'report_cleared' ? 'patrol' : 'officer', note: NOTES[event] ?? null, details,
      });
      current = transition.to;
    }
    yield {
      row: {
        external_id: externalId,
        case_number: caseNumber,
        category,
        status,
        lon,
        lat,
        source,
        party,
        route_code: segment.routeCode,
        chainage_meters: Math.round(((segment.chainageFromMeters + segment.chainageToMeters) / 2) * 10) / 10,
        jurisdiction_code: jurisdictionCode,
        verdict: {
          isViolation: true,
          article: rule.legalBasis,
          penaltyArticle: rule.penaltyArticle,
          reasonCode: 'PROHIBITED_ZONE',
          reason: { zh: `${rule.label.zh}位于公路建筑控制区内（合成数据）`, en: `${rule.label.en} in the building control zone (synthetic)` },
        },
        deadline_at: deadline === null ? null : new Date(deadline).toISOString(),
        reported_at: new Date(reportedAt).toISOString(),
        updated_at: new Date(at).toISOString(),
        closed_at: status === 'closed' ? new Date(at).toISOString() : null,
        version: events.length,
      },
      segmentKey: `${segment.routeCode}@${segment.chainageFromMeters}`,
      events,
    };
  }
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Removes this generator's detections and cases (any seed), before the network they point at is replaced. */
export async function deleteProvinceCases(pool: pg.Pool): Promise<void> {
  await pool.query(sql.DELETE_SYNTHETIC_BATCHES, [`${SYNTHETIC_PREFIX}-%`]);
  await pool.query(sql.DELETE_SYNTHETIC_VIOLATIONS, [`${SYNTHETIC_PREFIX}-%`]);
}

/**
 * Loads `options.detections` detections (one batch per city) and `options.violations` cases with
 * timelines over `network`, which must already be loaded (loadProvinceNetwork).
 */
export async function loadProvinceCases(pool: pg.Pool, network: ProvinceNetwork, options: ProvinceCaseOptions): Promise<ProvinceCaseSummary> {
  const chunkSize = options.chunkSize ?? 10_000;
  await deleteProvinceCases(pool);
  const segmentIds = new Map<string, number>();
  for (const row of (await pool.query<{ id: string; key: string }>(sql.SYNTHETIC_SEGMENT_KEYS, [`${SYNTHETIC_PREFIX}%`])).rows) segmentIds.set(row.key, Number(row.id));
  const segmentKey = (segment: ProvinceNetwork['segments'][number]) => `${segment.routeCode}@${segment.chainageFromMeters}`;

  const detectionsStartedAt = performance.now();
  const batchIds = new Map<string, number>();
  const batches = network.cities.map((city) => ({
    client_batch_id: `${SYNTHETIC_PREFIX}-${options.seed}-${city.code}`,
    content_sha256: createHash('sha256').update(`${options.seed}/${city.code}/${options.detections}`).digest('hex'),
    jurisdiction_code: city.code,
  }));
  for (const row of (await pool.query<{ id: string; jurisdiction_code: string }>(sql.INSERT_SYNTHETIC_BATCHES, [JSON.stringify(batches)])).rows) batchIds.set(row.jurisdiction_code, Number(row.id));
  const anchors = network.segments.map(segmentMidpoint);
  let detections = 0;
  for (const chunk of chunks(generateAnchoredDetections(anchors, options.detections, options.seed), chunkSize)) {
    const rows = chunk.map(({ anchorIndex, distanceMeters, centre, feature }, offset) => {
      const segment = network.segments[anchorIndex]!;
      const county = countyCodeAt(network.extent, centre[0], centre[1]);
      const near = distanceMeters < 500;
      const confidence = feature.properties.confidence > 1 ? feature.properties.confidence / 100 : feature.properties.confidence;
      return {
        batch_id: batchIds.get(`${county.slice(0, 4)}00`),
        feature_index: detections + offset,
        external_id: `${SYNTHETIC_PREFIX}-${options.seed}-d${detections + offset}`,
        wkt: `POLYGON((${feature.geometry.coordinates[0]!.map(([x, y]) => `${x} ${y}`).join(',')}))`,
        area: feature.properties.area,
        confidence,
        change_type: feature.properties.changeType,
        in_scope: near,
        segment_id: near ? segmentIds.get(segmentKey(segment)) ?? null : null,
        route_code: near ? segment.routeCode : null,
        distance: Math.round(distanceMeters * 10) / 10,
        jurisdiction_code: county,
        priority: near ? Math.round(confidence * 100) : 0,
      };
    });
    await withTransaction(pool, (client) => client.query(sql.INSERT_SYNTHETIC_DETECTIONS, [JSON.stringify(rows)]));
    detections += rows.length;
  }
  await pool.query(sql.UPDATE_SYNTHETIC_BATCH_TOTALS, [`${SYNTHETIC_PREFIX}-${options.seed}-%`]);
  const detectionsMs = performance.now() - detectionsStartedAt;

  const violationsStartedAt = performance.now();
  let violations = 0;
  let caseEvents = 0;
  for (const chunk of chunks(generateProvinceViolations(network, options.violations, options.seed), chunkSize)) {
    const rows = chunk.map(({ row, segmentKey: key }) => ({ ...row, segment_id: segmentIds.get(key) ?? null }));
    const events = chunk.flatMap((draft) => draft.events);
    await withTransaction(pool, (client) => client.query(sql.INSERT_SYNTHETIC_VIOLATIONS_WITH_EVENTS, [JSON.stringify(rows), JSON.stringify(events)]));
    violations += rows.length;
    caseEvents += events.length;
  }
  // The counters continue after the generated numbers, so a case verified in the app gets a fresh one.
  await pool.query(sql.ADVANCE_CASE_NUMBER_COUNTERS, [`${SYNTHETIC_PREFIX}-%`]);
  const violationsMs = performance.now() - violationsStartedAt;
  for (const table of ['detections', 'violations', 'case_events']) await pool.query(sql.ANALYZE[table as keyof typeof sql.ANALYZE]);
  return { detections, violations, caseEvents, detectionsMs, violationsMs };
}
