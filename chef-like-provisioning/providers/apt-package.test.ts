/** apt_package against the real machine: installed packages are up to date; unknown ones fail clearly. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProviderContext, Resource } from '../api';
import { providerContext, tempDir } from '../test-kit';
import { aptPackageProvider, hasPackageLists, installedVersion } from './apt-package';
import { runCommand } from './command';

const context = providerContext();
const pkg = (name: string, props: Resource<'apt_package'>['props'] = {}): Resource<'apt_package'> => ({ kind: 'apt_package', name, props, declaredIn: 'test::apt' });

/** An installed package for which apt also knows another version (security and point-release archives give several). */
async function packageWithAnotherKnownVersion(): Promise<{ name: string; installed: string; other: string }> {
  for (const name of ['libc6', 'tzdata', 'curl', 'openssl', 'coreutils', 'bash']) {
    const installed = await installedVersion(name);
    const table = (await runCommand(['apt-cache', 'policy', name])).stdout.split('Version table:')[1] ?? '';
    const versions = [...table.matchAll(/^\s+(?:\*\*\* )?(\S+) \d+$/gm)].map((m) => m[1]!);
    const other = versions.find((v) => v !== installed);
    if (installed && other) return { name, installed, other };
  }
  throw new Error('no installed package with a second version known to apt on this machine');
}

describe('apt_package', () => {
  test('an installed package is up to date, also when pinned to its installed version', async () => {
    expect(await aptPackageProvider.plan(pkg('coreutils'), 'install', context)).toEqual([]);
    const version = await installedVersion('coreutils');
    expect(version).toMatch(/^\d/);
    expect(await aptPackageProvider.plan(pkg('coreutils', { version: version! }), 'install', context)).toEqual([]);
  });

  test('a package that is not installed is up to date for remove', async () => {
    expect(await aptPackageProvider.plan(pkg('trib-test-no-such-package'), 'remove', context)).toEqual([]);
  });

  test('another installed version than the pinned one is a change, when apt knows that version', async () => {
    const { name, installed, other } = await packageWithAnotherKnownVersion();
    const changes = await aptPackageProvider.plan(pkg(name, { version: other }), 'install', context);
    expect(changes.map((c) => c.description)).toEqual([`install ${name} (${other}, replacing ${installed})`]);
  });

  test('a package or version apt does not know fails the plan (why-run too), naming it, without apt-get update', async () => {
    expect(await hasPackageLists()).toBe(true); // what makes apt-cache's answer count on this machine
    let updates = 0;
    const counting: ProviderContext = { ...context, once: async (key) => void (key === 'apt-get update' && updates++) };
    await expect(aptPackageProvider.plan(pkg('trib-test-no-such-package'), 'install', counting)).rejects.toThrow(
      'package trib-test-no-such-package is not known to apt (apt-cache policy trib-test-no-such-package shows no candidate); check the name and version, or run apt-get update if the package lists predate it',
    );
    await expect(aptPackageProvider.plan(pkg('coreutils', { version: '0.0-not-a-version' }), 'install', counting)).rejects.toThrow(
      /^version 0\.0-not-a-version of package coreutils is not known to apt \(apt-cache policy coreutils lists the known ones\)/,
    );
    expect(updates).toBe(0);
  });

  test('package lists: present here, absent in an empty folder', async () => {
    const empty = tempDir();
    try {
      expect(await hasPackageLists(empty)).toBe(false);
      expect(await hasPackageLists(join(empty, 'missing'))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
