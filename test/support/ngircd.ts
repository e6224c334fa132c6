/**
 * A throwaway ngircd for the IRC bridge's tests, brought up by the project's own ngircd cookbook
 * on a free port in a temp dir (as failover-servers.ts does for ZooKeeper and Redis), so the
 * bridge is tested against a real IRC server and every run also exercises that recipe.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { converge, killByPidFiles } from '../../chef-like-provisioning/cookbooks/testing/converge';
import { AddressGuard } from '../../integrations/outbound/address-guard';
import { checkedAddress } from '../../integrations/outbound/source-outbound';
import { freePorts } from './failover-servers';

export interface TestNgircd {
  port: number;
  /** Converges the cookbook: starts ngircd if it is not running. */
  start(): Promise<void>;
  /** SIGKILL: every client loses its link at once, as in a crash. */
  stop(): Promise<void>;
  log(): string;
  /** Stops it and removes its folder. */
  remove(): Promise<void>;
}

export async function startNgircd(): Promise<TestNgircd> {
  const dir = mkdtempSync(join(tmpdir(), 'trib-ngircd-'));
  // mkdtemp makes it 0700; ngircd drops to uid 65534 once started.
  chmodSync(dir, 0o755);
  const [port] = await freePorts(1);
  const dataDir = join(dir, 'ngircd');
  const server: TestNgircd = {
    port: port!,
    start: async () => void (await converge(['ngircd'], { ngircd: { port: port!, dataDir } })),
    stop: () => killByPidFiles([join(dataDir, 'ngircd.pid')]),
    log: () => {
      try {
        return readFileSync(join(dataDir, 'ngircd.log'), 'utf8');
      } catch (error) {
        return `(no log: ${(error as Error).message})`;
      }
    },
    async remove() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** The outbound a bridge under test connects through: the real address guard, admitting the loopback where the test servers listen. */
export const loopbackOutbound = {
  address: async (host: string) => ({ address: await checkedAddress(host, new AddressGuard('127.0.0.1')) }),
};
