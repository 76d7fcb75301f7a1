import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api_error';
import { getJson } from './http';

function answer(body: string, status = 200): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })));
}

describe('getJson', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('returns a JSON null as null (GET /patrol-plans/latest with no plan yet is an answer, not a broken one)', async () => {
    answer('null');
    await expect(getJson('/api/v1/patrol-plans/latest')).resolves.toBeNull();
  });

  it('refuses an empty or unparseable 200 body as BAD_RESPONSE', async () => {
    for (const body of ['', '<html>login</html>']) {
      answer(body);
      const failure = await getJson('/api/v1/x').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).code).toBe('BAD_RESPONSE');
    }
  });

  it('accepts an empty 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(getJson('/api/v1/x')).resolves.toBeNull();
  });
});
