/** Cookbook postgresql: a Debian cluster started, local trust auth, roles and databases created. */
import type { Cookbook, RecipeContext } from '../../api';
import { attributesOf, bash, outputContains } from '../_lib';
import { type PostgresqlAttributes, postgresqlAttributes } from './attributes';

/** As the cluster owner: Postgres refuses to run its tools as root. */
function asPostgres(a: PostgresqlAttributes, tool: string, ...args: string[]): string[] {
  return ['runuser', '-u', 'postgres', '--', tool, '-p', String(a.port), ...args];
}

/** A guard: the query returns the single value 1. */
function queryFinds(a: PostgresqlAttributes, sql: string): string[] {
  return outputContains(`cd /tmp && runuser -u postgres -- psql -p ${a.port} -tAc "${sql}"`, '1');
}

function installPackage(r: RecipeContext): void {
  r.aptPackage(`postgresql-${attributesOf(r.node, 'postgresql', postgresqlAttributes).version}`);
}

function trustLocal(r: RecipeContext, a: PostgresqlAttributes): void {
  const hba = `/etc/postgresql/${a.version}/${a.cluster}/pg_hba.conf`;
  const line = 'host all all 127.0.0.1/32 trust';
  // First matching line wins, so prepend; reload only a running cluster (a start reads it anyway).
  r.execute(`trust 127.0.0.1 in ${hba}`, {
    command: bash(
      `sed -i '1i ${line}' ${hba} && if pg_isready -q -h 127.0.0.1 -p ${a.port}; then ` +
        `pg_ctlcluster --skip-systemctl-redirect ${a.version} ${a.cluster} reload; fi`,
    ),
    notIf: ['grep', '-qE', '^host\\s+all\\s+all\\s+127\\.0\\.0\\.1/32\\s+trust', hba],
  });
}

function start(r: RecipeContext, a: PostgresqlAttributes): void {
  const startCommand = ['pg_ctlcluster', '--skip-systemctl-redirect', a.version, a.cluster, 'start'];
  if (a.adoptRunning) {
    r.execute(`start postgresql ${a.version}/${a.cluster}`, {
      command: startCommand,
      notIf: ['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(a.port)],
    });
    return;
  }
  r.service(`postgresql-${a.version}-${a.cluster}`, {
    command: startCommand,
    daemonizes: true,
    // pg_ctlcluster's pid file is the postmaster's (Debian's layout), so a stop signals Postgres itself.
    pidFile: `/var/run/postgresql/${a.version}-${a.cluster}.pid`,
    ready: { port: a.port },
    stopSignal: 'SIGINT', // fast shutdown: SIGTERM ("smart") waits for every client to leave
  });
}

function rolesAndDatabases(r: RecipeContext, a: PostgresqlAttributes): void {
  for (const role of a.roles) {
    r.execute(`postgresql role ${role.name}`, {
      command: asPostgres(a, 'createuser', ...(role.superuser ? ['--superuser'] : []), role.name),
      cwd: '/tmp',
      notIf: queryFinds(a, `SELECT 1 FROM pg_roles WHERE rolname='${role.name}'`),
    });
  }
  for (const db of a.databases) {
    r.execute(`postgresql database ${db.name}`, {
      command: asPostgres(a, 'createdb', '-O', db.owner, db.name),
      cwd: '/tmp',
      notIf: queryFinds(a, `SELECT 1 FROM pg_database WHERE datname='${db.name}'`),
    });
  }
}

function server(r: RecipeContext): void {
  r.includeRecipe('postgresql::package');
  const a = attributesOf(r.node, 'postgresql', postgresqlAttributes);
  if (a.trustLocal) trustLocal(r, a);
  start(r, a);
  rolesAndDatabases(r, a);
}

export const cookbook: Cookbook = {
  name: 'postgresql',
  version: '1.0.0',
  attributes: postgresqlAttributes,
  recipes: { default: server, package: installPackage },
};
