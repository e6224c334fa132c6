/** `tributary start SERVICE`, `tributary failover …` and `tributary provision …` on the command line. */
import { Argument } from 'commander';
import { provision } from '../chef-like-provisioning/cli';
import { AppError } from '../core/errors';
import { createLog } from '../core/log';
import { CliFailure } from './cli-failure';
import { cliConfig } from './cli-config';
import { type CliCommand, describeError, exitCodeOf, passThrough } from './command';
import { runFailoverCommand } from './failover';
import { SERVICE_REGISTRY } from './service-registry';
import { SERVICE_NAMES, type ServiceName, startServices } from './start';

/** Runs the service(s) until SIGTERM/SIGINT; an expected failure to start is one line and exit 1 (2 for a bad setting), no stack trace. */
async function runStart(service: ServiceName): Promise<void> {
  const config = cliConfig();
  const log = createLog(`tributary-${service}`, config.LOG_LEVEL);
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

const start: CliCommand = {
  register(program) {
    program
      .command('start')
      .description('run Tributary: `all` serves everything on PORT (with no DATABASE_URL/REDIS_URL: embedded Postgres, in-process bus); the others run one service each (full mode)')
      .addArgument(new Argument('<service>', 'what to run').choices(SERVICE_NAMES))
      .addHelpText('after', `\nServices, in start order:\n${SERVICE_REGISTRY.map((d) => `  ${d.name.padEnd(17)} ${d.summary}${d.inAll ? '' : ' (not in all)'}${d.runsWith ? ` (comes with ${d.runsWith})` : ''}`).join('\n')}`)
      .action(async (service: ServiceName) => runStart(service));
  },
};

const failover: CliCommand = {
  register(program) {
    const cmd = program.command('failover').description('Redis failover, read from ZooKeeper (needs ZOOKEEPER_CONNECT)');
    const json = '--json';
    cmd.command('status').description('the master, each node and each manager').option(json, 'print JSON').action((o: { json?: boolean }) => runFailoverCommand('status', o.json ? [json] : []));
    cmd.command('history').description('every master change').option(json, 'print JSON').action((o: { json?: boolean }) => runFailoverCommand('history', o.json ? [json] : []));
    cmd.command('promote').description('switch the master over to an up replica').argument('<host:port>', 'the replica').option(json, 'print JSON')
      .action((target: string, o: { json?: boolean }) => runFailoverCommand('promote', [target, ...(o.json ? [json] : [])]));
  },
};

const provisioning = passThrough('provision', 'converge a role on this machine, or upload cookbooks (tributary provision --help)', (args) => provision(args[0], args.slice(1)));

export const SERVICE_COMMANDS: CliCommand[] = [start, failover, provisioning];
