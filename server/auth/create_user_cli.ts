/**
 * `npm run user:create -- --username li.wei --role admin --jurisdiction 410000 [--password-env VAR]`
 * Creates an account in the configured database (DATABASE_URL, or the embedded one in
 * LUYU_DATA_DIR — stop the server first: the embedded database is one process). Without
 * --password-env the password is asked for on the terminal, without echo.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { readConfig } from '../config.ts';
import { startDatabase } from '../db/start_database.ts';
import { migrate } from '../db/migrate.ts';
import { ROLES } from '../domain/roles.ts';
import { AppError } from '../http/errors.ts';
import { createUser } from './service.ts';

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = terminal as unknown as { _writeToOutput: (text: string) => void };
    let asked = false;
    output._writeToOutput = (text: string) => {
      // Print the question once, then nothing of what is typed.
      if (!asked) process.stdout.write(text);
      asked = true;
    };
    terminal.question(question, (answer) => {
      terminal.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    jurisdiction: { type: 'string' },
    'display-name': { type: 'string' },
    certificate: { type: 'string' },
    'password-env': { type: 'string' },
  },
});

if (!values.username || !values.role) {
  console.error(`usage: npm run user:create -- --username NAME --role ${ROLES.join('|')} [--jurisdiction CODE] [--display-name TEXT] [--certificate 执法证号] [--password-env VAR]`);
  process.exit(2);
}

let password: string | undefined;
if (values['password-env']) {
  password = process.env[values['password-env']];
  if (!password) {
    console.error(`environment variable ${values['password-env']} is empty or unset`);
    process.exit(2);
  }
} else {
  password = await promptHidden(`password for ${values.username}: `);
  const again = await promptHidden('repeat the password: ');
  if (password !== again) {
    console.error('the passwords differ');
    process.exit(2);
  }
}

const config = readConfig();
const db = await startDatabase(config);
try {
  await migrate(db.pool);
  const created = await createUser(db.pool, {
    username: values.username,
    password,
    role: values.role,
    jurisdictionCode: values.jurisdiction,
    displayName: values['display-name'] ?? null,
    certificateNumber: values.certificate ?? null,
  });
  console.log(`created user ${values.username} (id ${created.id}, role ${values.role}, jurisdiction ${created.jurisdictionCode})`);
} catch (error) {
  console.error(error instanceof AppError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await db.close();
}
