/**
 * Helpers shared by every cookbook. Uploaded to the cookbook store as the pseudo-cookbook `_lib`
 * and always fetched with the others, because cookbooks may import nothing else from the project.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { Attributes, Notification, Recipe, RecipeContext, ServiceProps, TemplateProps } from '../../api';

/** Bumped when a helper changes in a way older cookbooks would notice. */
export const LIB_VERSION = '1.0.0';

/**
 * This cookbook's validated (and defaulted) attributes. Parsing again here is harmless when the
 * engine already did it, and gives recipes and templates a typed view of `node[name]`.
 */
export function attributesOf<S extends z.ZodType>(node: Attributes, name: string, schema: S): z.output<S> {
  return schema.parse(node[name] ?? {});
}

/** The `package` recipe of a cookbook: only installs its Debian package (what test machines need). */
export function installs(debianPackage: string): Recipe {
  return (r) => {
    r.aptPackage(debianPackage);
  };
}

/** Notifications restarting these services once, at the end of the run. */
export function restarts(...services: string[]): Notification[] {
  return services.map((name) => ({ action: 'restart', resource: `service[${name}]`, timing: 'delayed' }));
}

/** A daemon and its config file: a changed config restarts it (once, at the end of the run). */
export function configuredService(r: RecipeContext, name: string, config: { path: string; source: TemplateProps['source'] }, props: ServiceProps): void {
  r.template(config.path, { source: config.source, notifies: restarts(name) });
  r.service(name, props);
}

/** A `bash -c` script argv; the only place the cookbooks reach for a shell (for /dev/tcp and pipes). */
export function bash(script: string): string[] {
  return ['bash', '-c', script];
}

/**
 * A readiness command that sends `request` to 127.0.0.1:port and succeeds when the first line of
 * the answer starts with `expected` (ZooKeeper's `ruok` → `imok`). No `nc` here: bash /dev/tcp.
 */
export function tcpExchange(port: number, request: string, expected: string, timeoutS = 2): string[] {
  return bash(`exec 3<>/dev/tcp/127.0.0.1/${port} && echo ${request} >&3 && { read -t ${timeoutS} r <&3; [[ "$r" == '${expected}'* ]]; }`);
}

/** A guard that succeeds when a command's standard output contains `text`. */
export function outputContains(command: string, text: string): string[] {
  return bash(`${command} 2>/dev/null | grep -qF '${text}'`);
}

/** Names interpolated into SQL and shell guards: identifiers only, so quoting is never needed. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * The checkout the cookbooks run from: the nearest folder above this file with a package.json.
 * That holds from sources, from dist/ and from a fetched copy under `<root>/.data/`.
 */
export function checkoutRoot(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && !dir.endsWith('/dist')) return dir;
  }
  return process.cwd();
}

/** The argv of `tributary ARGS…` from a checkout, run by the running node binary (never another `node` from PATH). */
export function tributaryCommand(root: string, ...args: string[]): string[] {
  return [process.execPath, join(root, 'bin', 'tributary.js'), ...args];
}
