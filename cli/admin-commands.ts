/**
 * `tributary org|user|flow|token|demo …`: the admin commands on the command line, each with --json.
 * The operations, pg and the directory are loaded when a command runs, not for `--help` or another command.
 */
import { type Command, Option } from 'commander';
import type { AccessMode } from '../core/domain/types';
import type { Pool } from 'pg';
import type { Directory } from '../core/ports/directory';
import { action, type CliCommand, type CommandResult } from './command';
import { PASSWORD_RULE } from './password-rule';

type Admin = typeof import('./admin');
type Demo = typeof import('./demo');

/**
 * Opens the database (DATABASE_URL, or the embedded one of DATA_DIR), runs `work` with the admin
 * operations (cli/admin.ts, cli/demo.ts), closes.
 */
export async function withDirectory(work: (directory: Directory, admin: Admin & Demo, pool: Pool) => Promise<CommandResult>): Promise<CommandResult> {
  const { cliConfig, cliLog } = require('./cli-config') as typeof import('./cli-config');
  const { openAdminDatabase } = require('./admin-database') as typeof import('./admin-database');
  const { PostgresDirectory } = require('../infra/postgres/directory/postgres-directory') as typeof import('../infra/postgres/directory/postgres-directory');
  const admin = { ...(require('./admin') as Admin), ...(require('./demo') as Demo) };
  const config = cliConfig();
  const db = await openAdminDatabase(config, cliLog('tributary-admin', config));
  try {
    return await work(new PostgresDirectory(db.pool), admin, db.pool);
  } finally {
    await db.close();
  }
}

/**
 * Runs `work` with a way to tell every running process that a user's credentials changed: on the
 * services' bus (REDIS_URL or ZOOKEEPER_CONNECT). Without one (embedded mode) the running server's
 * bus is in-process: the change goes through the database `pool`, which that server listens on
 * (infra/postgres/postgres-credential-changes.ts, docs/security.md).
 */
async function withCredentialAnnouncer(pool: Pool, work: (announce: (userId: number) => Promise<void>) => Promise<CommandResult>): Promise<CommandResult> {
  const { cliConfig } = require('./cli-config') as typeof import('./cli-config');
  const { servicesRedis } = require('./services-redis') as typeof import('./services-redis');
  const config = cliConfig();
  const redis = await servicesRedis(config);
  if (!redis) {
    const { notifyCredentialsChanged } = require('../infra/postgres/postgres-credential-changes') as typeof import('../infra/postgres/postgres-credential-changes');
    return work((userId) => notifyCredentialsChanged(pool, userId));
  }
  const { RedisBus } = require('../infra/redis/redis-bus') as typeof import('../infra/redis/redis-bus');
  const { announceCredentialsChanged } = require('../core/access/revocation') as typeof import('../core/access/revocation');
  const bus = new RedisBus({ ...redis.options, prefix: config.REDIS_PREFIX });
  try {
    return await work((userId) => announceCredentialsChanged(bus, userId));
  } finally {
    await bus.close();
    redis.close();
  }
}

/** A leaf command with --json. */
export const leaf = (parent: Command, name: string, description: string) => parent.command(name).description(description).option('--json', 'print the result (or the error) as JSON on stdout');

const org: CliCommand = {
  register(program) {
    const cmd = program.command('org').description('create organizations and add their members');
    leaf(cmd, 'create', 'create an organization').argument('<name>', 'its display name (its URL name is derived)')
      .action(action(async (_o, name: string) => withDirectory((d, a) => a.createOrganization(d, name))));
    leaf(cmd, 'add-user', 'add a user to an organization').argument('<org>', "the organization's URL name").argument('<email>', "the user's email")
      .option('--admin', 'as an organization admin')
      .action(action(async (o, orgName: string, email: string) => withDirectory((d, a) => a.addOrganizationUser(d, orgName, email, o.admin === true))));
  },
};

const user: CliCommand = {
  register(program) {
    const cmd = program.command('user').description('create users, change their passwords, make them site admins');
    leaf(cmd, 'create', 'create a user who logs in with an email and a password')
      .requiredOption('--email <email>', 'login email')
      .requiredOption('--password <password>', `login password, ${PASSWORD_RULE}`)
      .option('--name <name>', 'full name')
      .option('--nick <nick>', 'nick: letters, digits, _ and -, at most 32 (default: from the email)')
      .action(action(async (o) => withDirectory((d, a) => a.createUser(d, o))));
    leaf(cmd, 'set-password', "replace a user's password").argument('<email>', "the user's email")
      .requiredOption('--password <password>', `the new password, ${PASSWORD_RULE}`)
      .action(action(async (o, email: string) => withDirectory((d, a, pool) => withCredentialAnnouncer(pool, (announce) => a.setUserPassword(d, email, o, announce)))));
    leaf(cmd, 'set-admin', 'make a user a site administrator (the failover page at /app/admin/failover), or with --off no longer')
      .argument('<email>', "the user's email")
      .option('--off', 'withdraw site administration')
      .action(action(async (o, email: string) => withDirectory((d, a) => a.setSiteAdmin(d, email, o.off !== true))));
  },
};

const flow: CliCommand = {
  register(program) {
    const cmd = program.command('flow').description('create flows and add their members');
    leaf(cmd, 'create', 'create a flow in an organization').argument('<org>', "the organization's URL name").argument('<name>', 'the flow name')
      .addOption(new Option('--access-mode <mode>', 'who may join').choices(['invitation', 'link', 'organization']))
      .action(action(async (o, orgName: string, name: string) => withDirectory((d, a) => a.createFlow(d, orgName, name, o.accessMode as AccessMode | undefined))));
    leaf(cmd, 'add-user', 'add an organization member to a flow').argument('<org/flow>', "the flow's path, e.g. acme/ops").argument('<email>', "the user's email")
      .action(action(async (_o, path: string, email: string) => withDirectory((d, a) => a.addFlowUser(d, path, email))));
  },
};

const token: CliCommand = {
  register(program) {
    const cmd = program.command('token').description('create API tokens');
    leaf(cmd, 'create', 'create an API token for a user (printed once; only its hash is kept)').argument('<email>', "the user's email")
      .action(action(async (_o, email: string) => withDirectory((d, a) => a.createToken(d, email))));
  },
};

const demo: CliCommand = {
  register(program) {
    leaf(program, 'demo', 'create the demo organization, flow and user if missing, and print the demo login')
      .action(action(async () => withDirectory(async (d, a) => {
        await a.ensureDemo(d);
        const login = await a.demoLogin(d);
        if (!login) return { json: { email: a.DEMO_EMAIL, password: null }, text: `the demo user ${a.DEMO_EMAIL} exists, but its password was changed; log in with the new one` };
        const { cliConfig } = require('./cli-config') as typeof import('./cli-config');
        return { json: login, text: a.demoBanner(login, `http://localhost:${cliConfig().PORT}`) };
      })));
  },
};

export const ADMIN_COMMANDS: CliCommand[] = [org, user, flow, token, demo];
