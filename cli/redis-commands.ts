/**
 * The `tributary redis` commands. Only their definitions load with the CLI: the launcher itself
 * (ZooKeeper client and all) is required when `redis launch` runs, so --help and provisioning stay light.
 */
import { CliFailure } from './cli-failure';
import type { CliCommand } from './command';
import type { LaunchOptions } from './redis-launch';

/** `tributary redis launch --config FILE --address HOST:PORT [--seed-replicaof HOST:PORT] [--zookeeper CONNECT]`. */
export const REDIS_COMMAND: CliCommand = {
  register(program) {
    const cmd = program.command('redis').description('Redis nodes of a failover group (used by the redis cookbook)');
    cmd
      .command('launch')
      .description('start a Redis node as the failover managers record it (replica of the current master), never loading an old snapshot')
      .requiredOption('--config <file>', 'its redis.conf (daemonize yes)')
      .requiredOption('--address <host:port>', 'the node as the failover managers know it (REDIS_NODES)')
      .option('--seed-replicaof <host:port>', 'the master to follow while no master record exists')
      .option('--zookeeper <connect>', "the failover managers' ZooKeeper; without it the seed decides")
      .action(async (options: LaunchOptions) => {
        try {
          await (require('./redis-launch') as typeof import('./redis-launch')).launchRedis(options);
        } catch (error) {
          process.stderr.write(`tributary: ${(error as Error).message}\n`);
          process.exitCode = error instanceof CliFailure ? error.code : 1;
        }
      });
  },
};
