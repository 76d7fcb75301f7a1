import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { noisyPhoto } from '../integration/helpers/field_fixtures.ts';
import { pointBeside, PILING } from '../integration/helpers/violation_fixtures.ts';
import { apiGet, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import { type CrewAssignment, publishCrewAssignment } from './helpers/crew_assignment.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('crew field app');

/** A demo patrol user of 410104 that no other test puts on a crew. */
// A crew member of its own (not in a demo crew): another browser test may publish today's demo plan
// on the same database, and the crew app must show this test's assignment, not a demo crew's.
const CREW_USER = `e2e_crew_${Date.now().toString(36)}`;

interface Setup extends CrewAssignment {
  detectionId: number;
}

/** Today's published assignment for a fresh crew with CREW_USER: one ~0.5–1 km segment and a field lead beside it. */
async function publishAssignment(pool: pg.Pool): Promise<Setup> {
  const published = await publishCrewAssignment(pool, { username: CREW_USER, displayName: '巡查测试员', role: 'patrol', crewName: 'e2e巡查组', vehiclePlate: '豫A·E2E01', segment: 'first' });
  const { assignmentId, line } = published;
  // A satellite lead the office sent to field verification, beside the segment.
  const lead = pointBeside(line, 0.7, 15);
  const batch = await pool.query<{ id: number }>(
    `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
     VALUES (md5(random()::text) || md5(random()::text), 'done', 'features', 'e2e', '2026-01-01', '2026-03-01', 'WGS84', '410104') RETURNING id::integer AS id`,
  );
  const [x, y] = lead.coordinates as [number, number];
  const d = 0.0001;
  const detection = await pool.query<{ id: number }>(
    `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, jurisdiction_code, candidate_category, priority, review_status)
     VALUES ($1, 0, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326), 400, 'new_building', true, '410104', 'structure', 50, 'field') RETURNING id::integer AS id`,
    [batch.rows[0]!.id, JSON.stringify({ type: 'MultiPolygon', coordinates: [[[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]]] })],
  );
  const detectionId = detection.rows[0]!.id;
  await pool.query(
    `INSERT INTO patrol_assignment_tasks (assignment_id, task_kind, detection_id, sequence, location) VALUES ($1, 'lead_verification', $2, 1, ST_SetSRID(ST_MakePoint($3, $4), 4326))`,
    [assignmentId, detectionId, x, y],
  );
  return { ...published, detectionId };
}

describe.skipIf(!hasChromium)('crew field app: a day on the phone, offline in the middle', () => {
  let context: BrowserContext;
  let pool: pg.Pool;
  let setup: Setup;

  const e2e = useBrowserTest();

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    setup = await publishAssignment(pool);
  });

  afterAll(async () => {
    await context?.close();
    await pool?.end();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `crew_field_${name}.png`) });
  }

  it('accepts, starts, drives offline, records a finding and verifies a lead; online again everything arrives once', async () => {
    const start = pointBeside(setup.line, 0, 0).coordinates as [number, number];
    const fresh = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/crew`, {
      username: CREW_USER,
      context: { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true, geolocation: { longitude: start[0], latitude: start[1], accuracy: 8 }, permissions: ['geolocation'] },
    });
    context = fresh.context;
    const page = fresh.page;
    await page.waitForURL(/\/crew$/);
    await page.getByTestId('crew-assignment').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('crew-status').getAttribute('data-status')).toBe('published');
    await page.locator('[data-testid="crew-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('crew-task-list').textContent()).toMatch(/K\d+\+\d{3}–K\d+\+\d{3}/);
    await shot(page, 'assignment');

    await page.getByTestId('crew-event-accept').click();
    await page.getByTestId('crew-event-start').click();
    await expect.poll(() => page.getByTestId('crew-status').getAttribute('data-status')).toBe('in_progress');
    // Both transitions reach the server while still online.
    await expect.poll(() => page.locator('[data-type="assignment.transition"][data-state="applied"]').count(), { timeout: 15_000 }).toBe(2);

    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('crew-online').textContent()).toBe('离线');
    // Drive the whole segment at ~36 m/s in 14 m steps (the server drops legs faster than 60 m/s).
    const lengthMeters = await segmentLength(pool, setup.segmentId);
    const steps = Math.ceil(lengthMeters / 14);
    for (let step = 1; step <= steps; step += 1) {
      const [longitude, latitude] = pointBeside(setup.line, step / steps, 2).coordinates as [number, number];
      await context.setGeolocation({ longitude, latitude, accuracy: 8 });
      await page.waitForTimeout(400);
      if (step === Math.floor(steps / 2)) {
        // Half way: a finding with a photo, recorded offline.
        await page.getByTestId('crew-record-finding').click();
        const form = page.getByTestId('crew-finding-form');
        await form.locator('select[name="category"]').selectOption('piling');
        await form.locator('input[name="material"]').fill(PILING.material);
        await form.locator('input[name="volumeCubicMeters"]').fill(String(PILING.volumeCubicMeters));
        await page.getByTestId('crew-finding-photo').setInputFiles({ name: 'finding.jpg', mimeType: 'image/jpeg', buffer: await noisyPhoto(120, 31) });
        await shot(page, 'finding_form');
        await page.getByTestId('crew-finding-save').click();
        await form.waitFor({ state: 'detached' });
      }
    }
    // The lead, verified on site with a photo, still offline.
    await page.getByTestId(`crew-verify-${setup.detectionId}`).click();
    await page.getByTestId('crew-lead-confirm').click();
    await page.getByTestId('crew-lead-form').locator('input[name="footprintSquareMeters"]').fill('40');
    await page.getByTestId('crew-lead-form').locator('input[name="storeys"]').fill('1');
    await page.getByTestId('crew-lead-photo').setInputFiles({ name: 'lead.jpg', mimeType: 'image/jpeg', buffer: await noisyPhoto(100, 32) });
    await page.getByTestId('crew-lead-save').click();
    await page.getByTestId('crew-lead-form').waitFor({ state: 'detached' });
    await page.getByTestId('crew-event-pause').click();
    const waiting = await page.locator('[data-testid="crew-outbox"] [data-state="waiting"]').count();
    expect(waiting).toBeGreaterThanOrEqual(4); // finding, lead, pause and at least one track chunk
    await shot(page, 'offline_outbox');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => page.locator('[data-testid="crew-outbox"] [data-state="waiting"], [data-testid="crew-outbox"] [data-state="sending"]').count(), { timeout: 60_000 }).toBe(0);
    expect(await page.locator('[data-testid="crew-outbox"] [data-state="rejected"], [data-testid="crew-outbox"] [data-state="conflict"]').count()).toBe(0);
    await page.getByTestId('crew-coverage').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('crew-coverage').textContent(), { timeout: 15_000 }).toMatch(/已覆盖 [1-9]\d*%/);
    await page.getByTestId('crew-coverage').scrollIntoViewIfNeeded();
    await shot(page, 'synced');

    // The register: the finding once, located by the server (stake and zone).
    const user = await pool.query<{ id: number }>(`SELECT id FROM users WHERE username = $1`, [CREW_USER]);
    const findings = await pool.query<{ chainage_meters: number | null; zones: string[]; external_id: string }>(
      `SELECT chainage_meters, zones, external_id FROM violations WHERE reported_by = $1 AND category = 'piling' AND source = 'patrol'`,
      [user.rows[0]!.id],
    );
    expect(findings.rows).toHaveLength(1);
    expect(findings.rows[0]!.external_id).toMatch(/^sync:/);
    expect(findings.rows[0]!.chainage_meters).not.toBeNull();
    expect(findings.rows[0]!.zones.length).toBeGreaterThan(0);
    const lead = await pool.query<{ review_status: string }>(`SELECT review_status FROM detections WHERE id = $1`, [setup.detectionId]);
    expect(lead.rows[0]!.review_status).toBe('confirmed');

    // The patrol log lists the track, the finding and the lead.
    const log = await apiGet<{ distanceMeters: number; findings: { kind: string; stake?: string; status?: string; id: number }[]; segments: { segmentId: number; coveredShare?: number }[] }>(e2e.app.baseUrl, `/patrol-logs/${setup.assignmentId}`);
    expect(log.distanceMeters).toBeGreaterThan(lengthMeters * 0.5);
    expect(log.findings.filter((finding) => finding.kind === 'finding')).toHaveLength(1);
    expect(log.findings.find((finding) => finding.kind === 'finding')!.stake).toMatch(/^K\d+\+\d{3}$/);
    expect(log.findings.find((finding) => finding.kind === 'lead' && finding.id === setup.detectionId)?.status).toBe('confirmed');
    await page.close();
  });
});

async function segmentLength(pool: pg.Pool, segmentId: number): Promise<number> {
  const result = await pool.query<{ length: number }>(`SELECT length_meters AS length FROM segments WHERE id = $1`, [segmentId]);
  return Number(result.rows[0]!.length);
}
