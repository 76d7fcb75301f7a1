import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildZipOfFiles, zipBombShapefile } from '../../../scripts/hostile_files.ts';
import { extractZipEntries } from '../../../server/files/extract_zip_entries.ts';
import type { ParseLimits } from '../../../server/files/file_limits.ts';

const directory = mkdtempSync(path.join(tmpdir(), 'luyu-zip-test-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const limits: ParseLimits = { memoryMegabytes: 256, timeoutMilliseconds: 10_000, stallMilliseconds: 10_000, maxFeatures: 10, maxZipEntries: 3, maxUncompressedBytes: 64 * 1024 * 1024, maxCompressionRatio: 100 };

function zipFile(name: string, bytes: Buffer): string {
  const file = path.join(directory, name);
  writeFileSync(file, bytes);
  return file;
}

describe('extractZipEntries', () => {
  it('extracts the picked entries byte for byte and skips the others', async () => {
    const shp = Buffer.from('shape records '.repeat(50));
    const file = zipFile('ok.zip', buildZipOfFiles([['a.shp', shp], ['a.txt', Buffer.from('ignored')]]));
    const { names, extracted } = await extractZipEntries(file, directory, limits, (name) => (name.endsWith('.shp') ? 'ok.shp' : null));
    expect(names).toEqual(['a.shp', 'a.txt']);
    expect(extracted.map((entry) => [entry.name, entry.bytes])).toEqual([['a.shp', shp.length]]);
    expect(readFileSync(path.join(directory, 'ok.shp')).equals(shp)).toBe(true);
  });

  it('refuses a bomb whose header declares its real size before inflating', async () => {
    const file = zipFile('declared.zip', zipBombShapefile(16));
    await expect(extractZipEntries(file, directory, limits, () => 'declared.shp')).rejects.toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH' });
  });

  it('refuses a bomb whose header lies (declares 1 kB) while inflating', async () => {
    const file = zipFile('lying.zip', zipBombShapefile(16, 1000));
    let inflatedBytes = 0;
    await expect(
      extractZipEntries(file, directory, limits, () => (chunk) => {
        inflatedBytes += chunk.length;
      }),
    ).rejects.toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH' });
    // Nothing past the ratio limit is ever handed on (16 MiB inflated would be ~1,000× the zip).
    expect(inflatedBytes).toBeLessThanOrEqual(100 * statSync(file).size);
  });

  it('refuses more entries than the limit', async () => {
    const entries: [string, Buffer][] = ['a', 'b', 'c', 'd'].map((name) => [`${name}.txt`, Buffer.from(name)]);
    const file = zipFile('many.zip', buildZipOfFiles(entries));
    await expect(extractZipEntries(file, directory, limits, () => null)).rejects.toMatchObject({ code: 'ZIP_TOO_MANY_ENTRIES' });
  });
});
