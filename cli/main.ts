/** The `tributary` command: `start SERVICE`, and admin commands that print JSON with --json. */
import { parseArgs } from 'node:util';
import { provision } from '../chef-like-provisioning/cli';
import { loadConfig } from '../core/config';
import { AppError } from '../core/errors';
import { createLog } from '../core/log';
import { PostgresDirectory } from '../infra/postgres/directory/postgres-directory';
import { ADMIN_USAGE, runAdmin } from './admin';
import { openAdminDatabase } from './admin-database';
import { FAILOVER_USAGE, runFailoverCommand, startFailoverManager } from './failover';
import { QUEUE_USAGE, runQueueCommand } from './queue';
import { SERVICES, type ServiceName, startServices } from './start';

const USAGE = `usage: tributary start ${SERVICES.join('|')}\n       tributary ${[...ADMIN_USAGE, ...FAILOVER_USAGE, ...QUEUE_USAGE].join('\n       tributary ')}\n(admin commands take --json)`;

function fail(message: string, json: boolean, code = 2): never {
  if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.stderr.write(`tributary: ${message}\n`);
  process.exit(code);
}

function describe(err: unknown): string {
  if (err instanceof AppError && err.fields) return `${err.message}\n${Object.entries(err.fields).map(([f, m]) => `  ${f}: ${m.join(', ')}`).join('\n')}`;
  return err instanceof Error ? err.message : String(err);
}

async function start(service: string | undefined): Promise<void> {
  if (!SERVICES.includes(service as ServiceName)) fail(USAGE, false);
  const log = createLog(`tributary-${service}`);
  let running: Awaited<ReturnType<typeof startServices>>;
  try {
    running = await startServices(service as ServiceName, loadConfig(), log);
  } catch (err) {
    log.fatal({ err }, 'failed to start');
    fail(describe(err), false, 1);
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.stop().then(() => process.exit(0), (err: unknown) => { log.error({ err }, 'unclean shutdown'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function admin(noun: string, verb: string | undefined, rest: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' }, admin: { type: 'boolean' }, email: { type: 'string' }, password: { type: 'string' },
      name: { type: 'string' }, nick: { type: 'string' }, 'access-mode': { type: 'string' },
    },
  });
  const json = values.json === true;
  const log = createLog('tributary-admin', process.env.LOG_LEVEL ?? 'warn');
  let db: Awaited<ReturnType<typeof openAdminDatabase>> | null = null;
  try {
    db = await openAdminDatabase(loadConfig(), log);
    const result = await runAdmin(new PostgresDirectory(db.pool), noun, verb ?? '', positionals, values);
    process.stdout.write(`${json ? JSON.stringify(result.json) : result.text}\n`);
  } catch (err) {
    await db?.close();
    fail(describe(err), json, err instanceof AppError ? 2 : 1);
  }
  await db.close();
}

export async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === 'start' && sub === 'failover-manager') return startFailoverManager();
  if (command === 'failover') return runFailoverCommand(sub, rest);
  if (command === 'queue') return runQueueCommand(sub, rest);
  if (command === 'start') return start(sub);
  if (command === 'provision') return provision(sub, rest);
  if (command === 'org' || command === 'user' || command === 'flow' || command === 'token') return admin(command, sub, rest);
  fail(USAGE, false);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => fail(describe(err), false, 1));
}
