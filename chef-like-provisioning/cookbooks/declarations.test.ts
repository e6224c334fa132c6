/** What each cookbook declares for given attributes, checked without the engine (a recording context). */
import type { Attributes } from '../api';
import { roles } from '../roles';
import { cookbooks } from './index';
import { collect, find, render } from './testing/recording-context';

const ids = (runList: string[], node: Attributes = {}) => collect(runList, node).map((r) => `${r.kind}[${r.name}]`);

describe('cookbooks', () => {
  test('every role runs only recipes that exist, and every cookbook validates its defaults', () => {
    for (const c of cookbooks) expect(() => c.attributes.parse({})).not.toThrow();
    for (const role of roles) expect(() => collect(role.runList, role.defaultAttributes)).not.toThrow();
  });

  test('redis: per instance a folder, a config that restarts only its own instance, and a service; the role is not in the config', () => {
    const node: Attributes = { redis: { dataDir: '/d', instances: [{ port: 17390 }, { port: 17391, replicaof: '127.0.0.1:17390', maxmemory: '64mb' }] } };
    const rs = collect(['redis'], node);
    expect(ids(['redis'], node)).toEqual([
      'apt_package[redis-server]',
      'directory[/d/17390]', 'template[/d/17390/redis.conf]', 'service[redis-17390]',
      'directory[/d/17391]', 'template[/d/17391/redis.conf]', 'service[redis-17391]',
    ]);
    const conf = find(rs, 'template', '/d/17391/redis.conf');
    expect(conf.props.notifies).toEqual([{ action: 'restart', resource: 'service[redis-17391]', timing: 'delayed' }]);
    const text = render(conf, node);
    expect(text).toContain('maxmemory 64mb\n');
    expect(text).toContain('repl-diskless-sync-delay 0\n');
    // Roles belong to the failover managers (ADR 010): no config carries replicaof, so re-rendering
    // one never turns a promoted master back into a replica; the seed goes to the launcher instead.
    for (const port of [17390, 17391]) expect(render(find(rs, 'template', `/d/${port}/redis.conf`), node)).not.toContain('replicaof');
    expect(find(rs, 'service', 'redis-17391').props.command).toEqual(expect.arrayContaining(['launch', '--seed-replicaof', '127.0.0.1:17390']));
    expect(find(rs, 'service', 'redis-17390').props.command).not.toContain('--seed-replicaof');
    // Ready means answering PING, whatever the role.
    for (const port of [17390, 17391]) {
      expect(find(rs, 'service', `redis-${port}`).props).toMatchObject({ daemonizes: true, pidFile: `/d/${port}/redis.pid`, ready: { command: expect.anything() } });
      expect(JSON.stringify(find(rs, 'service', `redis-${port}`).props.ready)).toContain(`-p ${port} ping`);
    }
  });

  test('redis::system starts the machine Redis only when nothing answers', () => {
    const start = find(collect(['redis::system']), 'execute', 'start system redis on 6379');
    expect(start.props.notIf).toEqual(['redis-cli', '-p', '6379', 'ping']);
  });

  test('postgresql: supervised cluster, or adopted; guarded role and database creation', () => {
    const node = { postgresql: { roles: [{ name: 'app' }], databases: [{ name: 'appdb', owner: 'app' }] } };
    const rs = collect(['postgresql'], node);
    expect(find(rs, 'service', 'postgresql-15-main').props.pidFile).toBe('/var/run/postgresql/15-main.pid');
    expect(find(rs, 'execute', 'postgresql role app').props.notIf?.join(' ')).toContain("rolname='app'");
    expect(find(rs, 'execute', 'postgresql database appdb').props.command).toContain('appdb');
    const adopted = collect(['postgresql'], { postgresql: { adoptRunning: true } });
    expect(adopted.some((r) => r.kind === 'service')).toBe(false);
    expect(find(adopted, 'execute', 'start postgresql 15/main').props.notIf?.[0]).toBe('pg_isready');
    expect(() => collect(['postgresql'], { postgresql: { roles: [{ name: "x'; drop" }] } })).toThrow();
  });

  test('zookeeper: standalone, and an ensemble with myid files and server lines', () => {
    const node = { zookeeper: { dataDir: '/z', clientPort: 12191, ensemble: { basePort: 12281, peerBasePort: 12988, electionBasePort: 13988 } } };
    const standalone = collect(['zookeeper'], node);
    expect(render(find(standalone, 'template', '/z/12191/zoo.cfg'), node)).not.toContain('server.1');
    const ensemble = collect(['zookeeper::ensemble'], node);
    expect(ensemble.filter((r) => r.kind === 'service').map((r) => r.name)).toEqual(['zookeeper-12281', 'zookeeper-12282', 'zookeeper-12283']);
    expect(find(ensemble, 'file', '/z/12283/data/myid').props.content).toBe('3\n');
    expect(render(find(ensemble, 'template', '/z/12282/zoo.cfg'), node)).toContain('server.3=127.0.0.1:12990:13990\n');
  });

  test('ngircd and dovecot: config, foreground service on the configured port', () => {
    const node = { ngircd: { port: 16677, dataDir: '/i' }, dovecot: { port: 11443, dataDir: '/m' } };
    const rs = collect(['ngircd', 'dovecot'], node);
    expect(render(find(rs, 'template', '/i/ngircd.conf'), node)).toContain('Ports = 16677\n');
    expect(find(rs, 'service', 'ngircd').props).toMatchObject({ command: ['ngircd', '-n', '-f', '/i/ngircd.conf'], ready: { port: 16677 } });
    expect(render(find(rs, 'template', '/m/users'), node)).toBe('test@test.local:{PLAIN}secret\n');
    expect(find(rs, 'directory', '/m/mail').props.owner).toBe('nobody');
  });

  test('tributary: build once, then one supervised service per entry with PORT and the env', () => {
    const node = { tributary: { root: '/r', env: { REDIS_URL: 'redis://x' }, services: [{ name: 'web-api', port: 3100 }] } };
    const rs = collect(['tributary'], node);
    expect(find(rs, 'execute', 'npm run build').props.creates).toBe('/r/dist/cli/main.js');
    expect(find(rs, 'service', 'tributary-web-api').props).toMatchObject({ cwd: '/r', env: { REDIS_URL: 'redis://x', PORT: '3100' }, ready: { port: 3100 } });
  });

  test('tributary: failover managers before the services, each with its id, port and the Redis nodes', () => {
    const failover = { managers: [{ id: 'fm-1', port: 3400 }, { id: 'fm-2', port: 3401 }], redisNodes: ['127.0.0.1:7390', '127.0.0.1:7391'] };
    const node = { tributary: { root: '/r', runDir: '/run', env: { ZOOKEEPER_CONNECT: '127.0.0.1:2181' }, services: [{ name: 'web-api', port: 3100 }], failover } };
    const rs = collect(['tributary'], node);
    expect(rs.filter((r) => r.kind === 'service').map((r) => r.name)).toEqual(['tributary-failover-manager-fm-1', 'tributary-failover-manager-fm-2', 'tributary-web-api']);
    expect(find(rs, 'service', 'tributary-failover-manager-fm-2').props).toMatchObject({
      command: [process.execPath, 'bin/tributary.js', 'start', 'failover-manager'],
      env: { ZOOKEEPER_CONNECT: '127.0.0.1:2181', REDIS_NODES: '127.0.0.1:7390,127.0.0.1:7391', MANAGER_ID: 'fm-2', PORT: '3401' },
      pidFile: '/run/failover-manager-fm-2.pid',
      ready: { port: 3401 },
    });
    expect(find(rs, 'execute', 'npm run build').props.notifies?.map((n) => n.resource)).toEqual([
      'service[tributary-failover-manager-fm-1]', 'service[tributary-failover-manager-fm-2]', 'service[tributary-web-api]',
    ]);
    // Managers need something to watch and a ZooKeeper to coordinate through.
    expect(() => collect(['tributary'], { tributary: { failover: { managers: [{ id: 'a', port: 3400 }] } } })).toThrow(/redisNodes[\s\S]*ZOOKEEPER_CONNECT/);
  });
});
