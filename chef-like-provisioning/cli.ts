/** `tributary provision converge|upload`: load the role, compile its recipes, run them, report. */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Attributes, Cookbook, Role } from './api';
import { compile } from './compile';
import { messageOf } from './message-of';
import { finishReport, type Output, progressObserver } from './report';
import { type RunReport, runResources } from './runner';

/** Cookbooks and roles to converge from: this repository's, or (with --from-server) the store's. */
export interface Source {
  cookbooks: readonly Cookbook[];
  roles: readonly Role[];
}

/** What `converge` takes; `source` defaults to cookbooks/index.ts and roles/index.ts. */
export interface ConvergeOptions {
  role: string;
  attributesFile?: string;
  whyRun?: boolean;
  json?: boolean;
  source?: Source;
  stdout?: Output;
  stderr?: Output;
  /** Debug messages of providers (command output); dropped by default. */
  log?: (message: string) => void;
}

/** Exit code (0 ok, 1 a resource failed, 2 bad input), the run's report when it ran, and the input errors. */
export interface ConvergeResult {
  code: 0 | 1 | 2;
  report?: RunReport;
  errors: string[];
}

/** The repository's own cookbooks and roles, loaded only when a converge needs them. */
export function localSource(): Source {
  // Lazy: `tributary start` need not load every cookbook.
  const { cookbooks } = require('./cookbooks/index') as typeof import('./cookbooks/index');
  const { roles } = require('./roles/index') as typeof import('./roles/index');
  return { cookbooks, roles };
}

async function readAttributes(file: string): Promise<Attributes> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`attributes file ${file}: ${messageOf(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`attributes file ${file}: expected a JSON object`);
  return parsed as Attributes;
}

/** Converges a role on this machine (or, with whyRun, says what that would change). Never throws for bad input. */
export async function converge(options: ConvergeOptions): Promise<ConvergeResult> {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  const json = options.json === true;
  const rejected = (errors: string[]): ConvergeResult => {
    if (json) out.write(`${JSON.stringify({ role: options.role, error: 'invalid input', errors })}\n`);
    err.write(`provision: nothing was changed:\n${errors.map((e) => `  ${e}\n`).join('')}`);
    return { code: 2, errors };
  };
  const source = options.source ?? localSource();
  const role = source.roles.find((r) => r.name === options.role);
  if (!role) return rejected([`unknown role ${options.role} (known: ${source.roles.map((r) => r.name).join(', ') || 'none'})`]);
  let nodeAttributes: Attributes = {};
  try {
    if (options.attributesFile) nodeAttributes = await readAttributes(options.attributesFile);
  } catch (e) {
    return rejected([messageOf(e)]);
  }
  const compiled = compile(role, source.cookbooks, nodeAttributes);
  if (compiled.errors.length > 0) return rejected(compiled.errors);
  const whyRun = options.whyRun === true;
  const report = await runResources(compiled.resources, { whyRun, node: compiled.node, observer: progressObserver(out, json, err), log: options.log });
  finishReport(role.name, report, out, err, json);
  return { code: report.failed ? 1 : 0, report, errors: [] };
}

/** Loads a module of chef-like-provisioning/server/ that the server side provides, with a clear error if it is absent. */
function serverModule<T>(name: string): T {
  try {
    return require(`./server/${name}`) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && messageOf(e).includes(name)) {
      throw new Error(`chef-like-provisioning/server/${name} is not available in this build`);
    }
    throw e;
  }
}

/** The role and its cookbooks from the cookbook store (server/fetch.ts), cached inside the checkout. */
async function fetchSource(role: string, zookeeper?: string): Promise<Source> {
  const { fetchFromServer, newCacheDir } = serverModule<typeof import('./server/fetch')>('fetch');
  const { defaultConnect } = serverModule<typeof import('./server/store')>('store');
  const { projectRoot } = require('../core/project-root') as typeof import('../core/project-root');
  const cacheDir = newCacheDir(projectRoot());
  try {
    return await fetchFromServer(defaultConnect(zookeeper), role, cacheDir);
  } finally {
    // The fetched modules are loaded by now; their files are not needed again.
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const USAGE = 'usage: tributary provision converge --role ROLE [--attributes FILE] [--why-run] [--json] [--from-server [--zookeeper HOST:PORT,...]]\n       tributary provision upload [...]';

/** The `provision` command; sets process.exitCode (0 ok, 1 a resource failed, 2 bad input). */
export async function provision(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === 'upload') {
    const { uploadCommand } = serverModule<{ uploadCommand(args: string[]): Promise<number | undefined> }>('upload-command');
    process.exitCode = (await uploadCommand(args)) ?? 0;
    return;
  }
  let values: { role?: string; attributes?: string; 'why-run'?: boolean; json?: boolean; 'from-server'?: boolean; zookeeper?: string };
  try {
    values = parseArgs({
      args,
      options: {
        role: { type: 'string' }, attributes: { type: 'string' }, 'why-run': { type: 'boolean' }, json: { type: 'boolean' },
        'from-server': { type: 'boolean' }, zookeeper: { type: 'string' },
      },
    }).values;
  } catch (e) {
    values = {};
    process.stderr.write(`provision: ${messageOf(e)}\n`);
  }
  if (sub !== 'converge' || !values.role) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  let source: Source | undefined;
  if (values['from-server']) {
    try {
      source = await fetchSource(values.role, values.zookeeper);
    } catch (e) {
      process.stderr.write(`provision: cannot load role ${values.role} from the cookbook store, nothing was changed: ${messageOf(e)}\n`);
      process.exitCode = 1;
      return;
    }
  }
  const result = await converge({ role: values.role, attributesFile: values.attributes, whyRun: values['why-run'], json: values.json, source });
  process.exitCode = result.code;
}
