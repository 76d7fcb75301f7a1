import { readFileSync } from 'node:fs';

/** Variables that may come from a file (Docker/Compose secrets mount them under /run/secrets/). */
const SECRET_VARIABLES = ['LUYU_ADMIN_PASSWORD', 'PGPASSWORD', 'DATABASE_URL'] as const;

/**
 * `X_FILE=/run/secrets/x` sets X from that file (trailing newline dropped) unless X is set itself,
 * so passwords need not sit in the environment of `docker inspect`. PGPASSWORD is read by
 * node-postgres when DATABASE_URL carries no password. Runs once at start, before readConfig.
 */
export function applySecretFiles(environment: NodeJS.ProcessEnv = process.env): void {
  for (const name of SECRET_VARIABLES) {
    const file = environment[`${name}_FILE`];
    if (!file || environment[name]) continue;
    environment[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  }
}
