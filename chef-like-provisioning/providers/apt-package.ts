/** apt_package: a Debian package installed (optionally at an exact version) or removed. */
import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import type { Change, Provider, ProviderContext } from '../api';
import { runChecked, runCommand } from './command';
import { notifiesSchema } from './schema';

/** Props of `apt_package`; the name is the package. */
export const aptPackageSchema = z.strictObject({
  action: z.enum(['install', 'remove']).optional(),
  version: z.string().min(1).optional(),
  notifies: notifiesSchema,
});

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
const APT_TIMEOUT_MS = 10 * 60_000;

/** The installed version of a package, or null (dpkg-query exits 1 for a package it never saw). */
export async function installedVersion(name: string): Promise<string | null> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format placeholders
  const result = await runCommand(['dpkg-query', '-W', '-f=${Status} ${Version}\n', name]);
  if (result.code !== 0) return null;
  // One line per architecture; "install ok installed 9.1-3", "deinstall ok config-files 1.0".
  for (const line of result.stdout.split('\n')) {
    const [, , status, version] = line.split(' ');
    if (status === 'installed' && version) return version;
  }
  return null;
}

/** The version apt would install (the pinned one if apt knows it), or null when apt's lists lack it. */
export async function availableVersion(name: string, pinned?: string): Promise<string | null> {
  const { stdout } = await runCommand(['apt-cache', 'policy', name]);
  if (pinned) {
    const known = stdout.split('\n').some((line) => line.replace('***', '').trim().split(/\s+/)[0] === pinned);
    return known ? pinned : null;
  }
  const candidate = /Candidate:\s*(\S+)/.exec(stdout)?.[1];
  return candidate && candidate !== '(none)' ? candidate : null;
}

/** Where apt keeps the package lists `apt-get update` downloads (Debian's Dir::State::Lists). */
const APT_LISTS_DIR = '/var/lib/apt/lists';

/** True when apt has package lists (apt-get update ran at some point), so apt-cache's answer counts. */
export async function hasPackageLists(dir = APT_LISTS_DIR): Promise<boolean> {
  try {
    return (await readdir(dir)).some((file) => /_Packages(\.\w+)?$/.test(file));
  } catch {
    return false;
  }
}

function unknownToApt(name: string, pinned: string | undefined): string {
  const what = pinned ? `version ${pinned} of package ${name} is not known to apt (apt-cache policy ${name} lists the known ones)` : `package ${name} is not known to apt (apt-cache policy ${name} shows no candidate)`;
  return `${what}; check the name and version, or run apt-get update if the package lists predate it`;
}

function installChange(name: string, pinned: string | undefined, installed: string | null, available: string | null, context: ProviderContext): Change {
  const spec = pinned ? `${name}=${pinned}` : name;
  const target = available ?? pinned ?? 'version unknown until apt-get update';
  return {
    description: installed ? `install ${name} (${target}, replacing ${installed})` : `install ${name} (${target})`,
    apply: async () => {
      if (!available) {
        await context.once('apt-get update', async () => void (await runChecked(['apt-get', 'update', '-qq'], { env: APT_ENV, timeoutMs: APT_TIMEOUT_MS })));
        if (!(await availableVersion(name, pinned))) throw new Error(`package ${spec} is not available from apt (no candidate, even after apt-get update)`);
      }
      const argv = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...(installed ? ['--allow-downgrades'] : []), spec];
      await runChecked(argv, { env: APT_ENV, timeoutMs: APT_TIMEOUT_MS });
    },
  };
}

/** Tests with dpkg-query (one call per package, no apt-cache when up to date), installs and removes with apt-get. */
export const aptPackageProvider: Provider<'apt_package'> = {
  actions: ['install', 'remove'],
  schema: aptPackageSchema,
  plan: async (resource, action, context): Promise<Change[]> => {
    const name = resource.name;
    const pinned = resource.props.version;
    const installed = await installedVersion(name);
    if (action === 'remove') {
      if (!installed) return [];
      return [{ description: `remove ${name} (${installed})`, apply: async () => void (await runChecked(['apt-get', 'remove', '-y', '-q', name], { env: APT_ENV, timeoutMs: APT_TIMEOUT_MS })) }];
    }
    if (installed && (!pinned || installed === pinned)) return [];
    const available = await availableVersion(name, pinned);
    // Checked here, not when installing, so why-run fails where the run would. Only empty package
    // lists (a fresh machine) leave the question to the install's apt-get update.
    if (!available && (await hasPackageLists())) throw new Error(unknownToApt(name, pinned));
    return [installChange(name, pinned, installed, available, context)];
  },
};
