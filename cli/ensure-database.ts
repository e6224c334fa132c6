/** Full mode's first start: creates the database DATABASE_URL names when the server has none by that name. */
import { Client } from 'pg';
import type { Log } from '../core/log';
import { CliFailure } from './cli-failure';

const DATABASE_MISSING = '3D000';
const DUPLICATE_DATABASE = '42P04';
const INSUFFICIENT_PRIVILEGE = '42501';

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Connects once to DATABASE_URL; creates its database (through the server's `postgres` database) if it does not exist. */
export async function ensureDatabase(url: string, log: Log): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1)) || decodeURIComponent(target.username) || 'postgres';
  try {
    await (await connect(url)).end();
    return;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== DATABASE_MISSING) throw new CliFailure(`cannot connect to the Postgres of DATABASE_URL (${target.host}): ${(err as Error).message}`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = await connect(admin.toString()).catch((err: Error) => {
    throw new CliFailure(`database "${name}" does not exist and Tributary cannot connect to the "postgres" database to create it (${err.message}); create it with: createdb -h ${target.hostname} -p ${target.port || 5432} ${name}`);
  });
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    log.info({ database: name }, 'created the database named in DATABASE_URL');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === DUPLICATE_DATABASE) return; // another service created it at the same moment
    if (code === INSUFFICIENT_PRIVILEGE) throw new CliFailure(`database "${name}" does not exist and the DATABASE_URL user may not create it; create it with: createdb -h ${target.hostname} -p ${target.port || 5432} -O ${decodeURIComponent(target.username) || 'USER'} ${name}`);
    throw err;
  } finally {
    await client.end();
  }
}
