/** `tributary queue dead-letters|requeue|drop`: SRE commands on the write queue's dead letters (in Redis, full mode). */
import { InvalidArgumentError } from 'commander';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import { CliFailure } from './cli-failure';
import { action, type CliCommand } from './command';
import { servicesRedis } from './services-redis';
import type { DeadLetter, WorkQueue } from '../core/ports/work-queue';

export const QUEUE_USAGE = ['queue dead-letters [--json] [--limit N]', 'queue requeue ID [--json]', 'queue drop ID [--json]'];

const DEFAULT_LIMIT = 100;

/** What a command prints: JSON for `--json`, text for a person. */
export interface QueueResult {
  json: unknown;
  text: string;
}

/** Who and where a dead letter was, read from its payload without showing its content. */
function summary(letter: DeadLetter): string {
  let about = 'payload is not a queue command';
  try {
    const c = JSON.parse(letter.payload) as { kind?: unknown; uuid?: unknown; conversation?: unknown; actor?: unknown };
    about = `${String(c.kind)} uuid=${JSON.stringify(c.uuid)} conversation=${JSON.stringify(c.conversation)} actor=${JSON.stringify(c.actor)}`;
  } catch {
    // keep the default
  }
  return `${letter.id}  shard ${letter.shard}  ${letter.at}  attempts ${letter.attempts}  ${about}\n    error: ${letter.error}`;
}

function needId(args: string[], verb: string): string {
  const [id] = args;
  if (args.length !== 1 || !id) throw new AppError('VALIDATION_FAILED', `usage: tributary queue ${verb} ID`);
  return id;
}

/** Runs one queue command against a queue; the entry point below opens the real one. */
export async function runQueue(queue: WorkQueue, verb: string, args: string[], options: { limit?: number } = {}): Promise<QueueResult> {
  switch (verb) {
    case 'dead-letters': {
      const letters = await queue.deadLetters(options.limit ?? DEFAULT_LIMIT);
      const total = await queue.deadLetterCount();
      const more = total > letters.length ? `\n(${total - letters.length} more; use --limit)` : '';
      return { json: letters, text: letters.length ? `${letters.map(summary).join('\n')}${more}` : 'no dead letters' };
    }
    case 'requeue': {
      const id = needId(args, verb);
      const letter = await queue.requeueDeadLetter(id);
      if (!letter) throw new AppError('NOT_FOUND', `no dead letter ${id}`);
      return { json: { requeued: letter.id, shard: letter.shard }, text: `requeued ${letter.id} onto shard ${letter.shard}` };
    }
    case 'drop': {
      const id = needId(args, verb);
      if (!(await queue.dropDeadLetter(id))) throw new AppError('NOT_FOUND', `no dead letter ${id}`);
      return { json: { dropped: id }, text: `dropped ${id}` };
    }
    default:
      throw new AppError('VALIDATION_FAILED', `unknown command "queue ${verb}"; commands:\n  ${QUEUE_USAGE.join('\n  ')}`);
  }
}

/** The queue the services use: REDIS_URL, or the master the failover managers publish. */
async function openQueue(config: Config): Promise<{ queue: WorkQueue; close(): Promise<void> }> {
  const redis = await servicesRedis(config);
  if (!redis) {
    // Embedded mode keeps its queue, dead letters included, in the running process's memory.
    throw new AppError('VALIDATION_FAILED', 'dead letters are kept in Redis: set REDIS_URL (or ZOOKEEPER_CONNECT) as the services have it');
  }
  // Loaded here, not at the top: every other command (and --help) would pay for ioredis.
  const { RedisWorkQueue } = require('../infra/redis/redis-work-queue') as typeof import('../infra/redis/redis-work-queue');
  const queue = new RedisWorkQueue({ ...redis.options, prefix: config.REDIS_PREFIX });
  return { queue, close: async () => { await queue.close(); redis.close(); } };
}

/** Opens the services' queue, runs one command on it, closes it. */
async function withQueue(run: (queue: WorkQueue) => Promise<QueueResult>): Promise<QueueResult> {
  const config = (require('./cli-config') as typeof import('./cli-config')).cliConfig();
  const opened = await openQueue(config);
  try {
    return await run(opened.queue);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) throw err;
    // Redis not answering: say which one (exit 1).
    throw new CliFailure(`cannot reach the queue's Redis (${config.ZOOKEEPER_CONNECT ? `master from ZooKeeper ${config.ZOOKEEPER_CONNECT}` : config.REDIS_URL}): ${(err as Error).message}`, 1);
  } finally {
    await opened.close();
  }
}

function positiveLimit(value: string): number {
  const limit = Number(value);
  if (!(Number.isInteger(limit) && limit > 0)) throw new InvalidArgumentError('must be a positive integer');
  return limit;
}

/** `tributary queue dead-letters|requeue|drop`: exits 2 on a usage error or an unknown id, 1 when Redis cannot be reached. */
export const QUEUE_COMMAND: CliCommand = {
  register(program) {
    const cmd = program.command('queue').description("the write queue's dead letters (Redis: REDIS_URL or ZOOKEEPER_CONNECT)");
    const leaf = (name: string, description: string) => cmd.command(name).description(description).option('--json', 'print the result (or the error) as JSON on stdout');
    leaf('dead-letters', 'list the entries the store refused for good (content not shown)')
      .option('--limit <n>', `show at most n (default ${DEFAULT_LIMIT})`, positiveLimit)
      .action(action(async (o) => withQueue((q) => runQueue(q, 'dead-letters', [], o.limit === undefined ? {} : { limit: o.limit as number }))));
    leaf('requeue', 'put a dead letter back onto its shard').argument('<id>', 'the dead letter id')
      .action(action(async (_o, id: string) => withQueue((q) => runQueue(q, 'requeue', [id]))));
    leaf('drop', 'delete a dead letter for good').argument('<id>', 'the dead letter id')
      .action(action(async (_o, id: string) => withQueue((q) => runQueue(q, 'drop', [id]))));
  },
};
