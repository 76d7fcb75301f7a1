/**
 * CPU time the database's backends spent (bench:detections): on a shared 2-core machine the wall
 * clock moves with everyone else's load, the CPU seconds a statement costs do not. Read from
 * /proc/<pid>/stat of the backends connected to the bench's database, so only where PostgreSQL runs
 * on this host (Linux); elsewhere, and on the embedded database, null.
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { backendPids } from './database_cpu_queries.ts';

const CLOCK_TICKS_PER_SECOND = 100;

function cpuMilliseconds(pid: number): number | null {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU ms of every backend on the bench's database so far, by pid (null: not measurable here). */
export async function sampleDatabaseCpu(pool: pg.Pool): Promise<Map<number, number> | null> {
  const sample = new Map<number, number>();
  for (const pid of await backendPids(pool)) {
    const ms = cpuMilliseconds(pid);
    if (ms === null) return null;
    sample.set(pid, ms);
  }
  return sample;
}

/** CPU ms spent between two samples (a backend that appeared in between counts from zero). */
export function cpuSpentMilliseconds(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}
