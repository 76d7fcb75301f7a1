/**
 * Issue 9: the embedded database must not be an open door. PGlite accepts every startup as its
 * superuser, so it is served only on a Unix socket in a 0700 directory: another OS user cannot
 * reach it, and there is no TCP port at all. This test starts its own small embedded database
 * (whatever DATABASE_URL says), so it runs the same in both modes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts';

let embedded: EmbeddedDatabase;
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'luyu-access-')), 'pgdata');

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ dataDir, port: 5433 });
}, 120_000);

afterAll(async () => {
  await embedded?.stop();
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

describe('embedded database access', () => {
  it('is reachable by this OS user through the socket URL', async () => {
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    const result = await client.query<{ one: number }>('SELECT 1 AS one');
    await client.end();
    expect(result.rows[0]!.one).toBe(1);
  });

  it('listens on no TCP port and keeps its socket and data in 0700 directories', () => {
    // The URL's host is the socket directory (an absolute path), never an address.
    expect(decodeURIComponent(embedded.url)).toBe(`postgres://postgres@${embedded.socketDirectory}:${embedded.socketPort}/postgres`);
    expect(statSync(embedded.socketDirectory).mode & 0o777).toBe(0o700);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(embedded.socketDirectory, `.s.PGSQL.${embedded.socketPort}`)).isSocket()).toBe(true);
    // /proc/net/tcp lists every listening TCP socket of the machine: none may be ours. Our process
    // opens none for the database, so the socket count of this process is the check.
    const inodes = new Set(
      execFileSync('sh', ['-c', `ls -l /proc/${process.pid}/fd 2>/dev/null | grep -o 'socket:\\[[0-9]*\\]' | tr -dc '0-9\\n'`]).toString().split('\n').filter(Boolean),
    );
    const listeningTcp = ['/proc/net/tcp', '/proc/net/tcp6']
      .flatMap((file) => execFileSync('cat', [file]).toString().split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && inodes.has(fields[9] ?? ''));
    expect(listeningTcp).toEqual([]);
  });

  it('refuses another OS user (nobody) that tries the socket', () => {
    // Runs as root in CI and here; as another user the check cannot switch users, and then the
    // 0700 mode asserted above is the guarantee.
    if (process.getuid?.() !== 0) return;
    const script = `const net=require('net');const s=net.connect(${JSON.stringify(path.join(embedded.socketDirectory, `.s.PGSQL.${embedded.socketPort}`))});s.on('connect',()=>{console.log('CONNECTED');process.exit(0)});s.on('error',e=>{console.log(e.code);process.exit(0)});`;
    const output = execFileSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', script]).toString().trim();
    expect(output).toMatch(/^(EACCES|ENOENT)$/);
  });
});
