/** The zookeeper cookbook's attributes: one standalone server, or an ensemble on this one machine. */
import { z } from 'zod';

const port = z.number().int().min(1).max(65535);

export const zookeeperAttributes = z.strictObject({
  clientPort: port.default(2181),
  /** Each server keeps its config, data and log in `${dataDir}/${clientPort}`. */
  dataDir: z.string().default('/var/lib/tributary/zookeeper'),
  heapMb: z.number().int().min(16).default(128),
  tickTime: z.number().int().positive().default(2000),
  /** zookeeper::ensemble: `size` servers on client ports basePort, basePort+1, … */
  ensemble: z
    .strictObject({
      size: z.number().int().min(1).max(9).default(3),
      basePort: port.default(12181),
      peerBasePort: port.default(12888),
      electionBasePort: port.default(13888),
      // Short ticks make elections take about a second on one machine (ample for tests).
      tickTime: z.number().int().positive().default(500),
    })
    .prefault({}),
});

export type ZookeeperAttributes = z.output<typeof zookeeperAttributes>;
