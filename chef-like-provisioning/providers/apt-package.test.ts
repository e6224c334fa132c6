/** apt_package against the real machine: installed packages are up to date; unknown ones fail clearly. */
import type { ProviderContext, Resource } from '../api';
import { providerContext } from '../test-kit';
import { aptPackageProvider, installedVersion } from './apt-package';

const context = providerContext();
const pkg = (name: string, props: Resource<'apt_package'>['props'] = {}): Resource<'apt_package'> => ({ kind: 'apt_package', name, props, declaredIn: 'test::apt' });

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

  test('another installed version than the pinned one is a change', async () => {
    const changes = await aptPackageProvider.plan(pkg('coreutils', { version: '0.0-not-a-version' }), 'install', context);
    expect(changes.map((c) => c.description)).toEqual([expect.stringMatching(/^install coreutils \(0\.0-not-a-version, replacing \d\S*\)$/)]);
  });

  test('a package apt does not know fails clearly, after one apt-get update', async () => {
    let updates = 0;
    const counting: ProviderContext = {
      ...context,
      once: async (key, action) => {
        if (key === 'apt-get update') updates++;
        await action();
      },
    };
    const [change, ...rest] = await aptPackageProvider.plan(pkg('trib-test-no-such-package'), 'install', counting);
    expect(rest).toEqual([]);
    expect(change?.description).toBe('install trib-test-no-such-package (version unknown until apt-get update)');
    await expect(change!.apply()).rejects.toThrow('package trib-test-no-such-package is not available from apt (no candidate, even after apt-get update)');
    expect(updates).toBe(1);
  }, 120_000);
});
