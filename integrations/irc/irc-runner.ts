/**
 * A minimal runner for `irc` sources, until the integrations worker (`tributary start
 * integrations`) leases them: opens the parts a bridge posts and reads through (directory,
 * store, ingress over the queue and bus) and starts a bridge for one source. Tests drive it directly.
 */
import { openIngress } from '../../cli/compose';
import { buildInfrastructure } from '../../cli/infrastructure';
import { planInfrastructure } from '../../cli/infrastructure-plan';
import type { PostDeps } from '../../core/actions/submit-post';
import type { Config } from '../../core/config';
import type { Source } from '../../core/domain/source';
import type { Log } from '../../core/log';
import { createMetrics } from '../../core/metrics';
import { type IrcBridge, startIrcBridge } from './irc-bridge';
import { type BridgeOptions, coreBridgeDeps } from './irc-bridge-deps';

export const IRC_SOURCE_TYPE = 'irc';

/** Starts the bridge of an `irc` source; a source of another type is refused, naming it. */
export async function runIrcBridge(parts: PostDeps, source: Source, options: BridgeOptions): Promise<IrcBridge> {
  if (source.type !== IRC_SOURCE_TYPE) throw new Error(`source ${source.id} is of type ${JSON.stringify(source.type)}, not "irc": only irc sources have a bridge`);
  return startIrcBridge(source, coreBridgeDeps(parts, source, options));
}

/** The parts a bridge needs, on the configured Postgres and Redis; `close` releases them. */
export async function openBridgeParts(config: Config, log: Log): Promise<{ parts: PostDeps; close(): Promise<void> }> {
  const plan = planInfrastructure(['directory', 'store', 'ingress']);
  const infra = await buildInfrastructure(config, log, { allowEmbedded: false, plan });
  try {
    const ingress = await openIngress(plan, infra, config, createMetrics());
    const { directory, store } = infra.parts;
    if (!ingress || !directory || !store) throw new Error('the infrastructure built no directory, store or ingress');
    return {
      parts: { directory, store, ingress },
      async close() {
        await ingress.stop();
        await infra.close();
      },
    };
  } catch (err) {
    await infra.close();
    throw err;
  }
}
