/**
 * `tributary start SERVICE`, `tributary failover …` and `tributary provision …` on the command line.
 * What each command runs is loaded when it runs (docs/adr/013-converge-speed-and-report.md):
 * `tributary --help` and `tributary provision` never load express, pg, ioredis or the services.
 */
import { Argument, type Command } from 'commander';
import { AppError } from '../core/errors';
import type { Log } from '../core/log';
import { CliFailure } from './cli-failure';
import { type CliCommand, describeError, exitCodeOf, passThrough } from './command';
import type { ServiceName } from './start';

/** Runs the service(s) until SIGTERM/SIGINT; an expected failure to start is one line and exit 1 (2 for a bad setting), no stack trace. */
async function runStart(service: ServiceName): Promise<void> {
  const { startServices } = require('./start') as typeof import('./start');
  const config = (require('./cli-config') as typeof import('./cli-config')).cliConfig();
  const log: Log = (require('../core/log') as typeof import('../core/log')).createLog(`tributary-${service}`, config.LOG_LEVEL);
  let running: Awaited<ReturnType<typeof startServices>>;
  try {
    running = await startServices(service, config, log);
  } catch (err) {
    // A failure the user can fix (a busy port, a bad setting) is one line; anything else is logged in full too.
    if (!(err instanceof CliFailure) && !(err instanceof AppError)) log.fatal({ err }, 'failed to start');
    process.stderr.write(`tributary: ${describeError(err)}\n`);
    process.exit(exitCodeOf(err));
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/**
 * The service names and their listing come from the registry, which loads every service; so they
 * are added only once `start` is the command being run (or helped), just before commander parses it.
 */
function addServiceChoices(start: Command, service: Argument): void {
  const { SERVICE_NAMES, SERVICE_REGISTRY } = require('./service-registry') as typeof import('./service-registry');
  service.choices(SERVICE_NAMES);
  start.addHelpText('after', `\nServices, in start order:\n${SERVICE_REGISTRY.map((d) => `  ${d.name.padEnd(17)} ${d.summary}${d.inAll ? '' : ' (not in all)'}${d.runsWith ? ` (comes with ${d.runsWith})` : ''}`).join('\n')}`);
}

const start: CliCommand = {
  register(program) {
    const service = new Argument('<service>', 'what to run');
    const cmd = program
      .command('start')
      .description('run Tributary: `all` serves everything on PORT (with no DATABASE_URL/REDIS_URL: embedded Postgres, in-process bus); the others run one service each (full mode)')
      .addArgument(service)
      .action(async (name: ServiceName) => runStart(name));
    program.hook('preSubcommand', (_program, sub) => {
      if (sub === cmd) addServiceChoices(cmd, service);
    });
  },
};

/** cli/failover.ts (ZooKeeper), loaded when a failover command runs. */
const runFailover: typeof import('./failover').runFailoverCommand = (...args) => (require('./failover') as typeof import('./failover')).runFailoverCommand(...args);

const failover: CliCommand = {
  register(program) {
    const cmd = program.command('failover').description('Redis failover, read from ZooKeeper (needs ZOOKEEPER_CONNECT)');
    const json = '--json';
    const repeat = (value: string, previous: string[]) => [...previous, value];
    cmd.command('status').description('the master, each node and each manager').option(json, 'print JSON')
      .option('--manager <url>', "a failover manager's http://HOST:PORT, asked when ZooKeeper cannot be read (repeatable)", repeat, [])
      .action((o: { json?: boolean; manager: string[] }) => runFailover('status', [...(o.json ? [json] : []), ...o.manager.flatMap((m) => ['--manager', m])]));
    cmd.command('history').description('every master change, leader change and ZooKeeper outage').option(json, 'print JSON').action((o: { json?: boolean }) => runFailover('history', o.json ? [json] : []));
    cmd.command('promote').description('switch the master over to an up replica').argument('<host:port>', 'the replica').option(json, 'print JSON')
      .action((target: string, o: { json?: boolean }) => runFailover('promote', [target, ...(o.json ? [json] : [])]));
  },
};

const provisioning = passThrough('provision', 'converge a role on this machine, or upload cookbooks (tributary provision --help)', (args) =>
  (require('../chef-like-provisioning/cli') as typeof import('../chef-like-provisioning/cli')).provision(args[0], args.slice(1)),
);

export const SERVICE_COMMANDS: CliCommand[] = [start, failover, provisioning];
