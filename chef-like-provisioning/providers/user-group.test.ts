/** user and group against the real machine: a throwaway system user and group, created, kept, removed. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Cookbook } from '../api';
import { convergeTest, testRole } from '../test-kit';
import { runCommand } from './command';
import { getGroup, getUser } from './getent';

const name = `trib-test-${randomBytes(3).toString('hex')}`;

const cookbook: Cookbook = {
  name: 'ug',
  version: '0.1.0',
  attributes: z.object({}),
  recipes: {
    create: (r) => {
      r.group(name, { system: true });
      r.user(name, { system: true, group: name, shell: '/usr/sbin/nologin', home: '/nonexistent' });
      r.group(`${name}-x`, { system: true, members: [name] });
    },
    remove: (r) => {
      r.group(`${name}-x`, { action: 'remove' });
      r.user(name, { action: 'remove' });
      r.group(name, { action: 'remove' });
    },
  },
};

afterAll(async () => {
  await runCommand(['userdel', name]);
  await runCommand(['groupdel', `${name}-x`]);
  await runCommand(['groupdel', name]);
});

test('creates a system group and user, adds a member, changes nothing the second time, then removes them', async () => {
  const created = await convergeTest([cookbook], testRole(['ug::create']));
  expect(created.code).toBe(0);
  expect(created.report?.resources.map((e) => e.changes)).toEqual([
    [`groupadd --system ${name}`],
    [`useradd --system -d /nonexistent -s /usr/sbin/nologin -g ${name} ${name}`],
    [`groupadd --system ${name}-x`, `gpasswd -a ${name} ${name}-x`],
  ]);
  const user = await getUser(name);
  expect(user).toMatchObject({ shell: '/usr/sbin/nologin', gid: (await getGroup(name))?.gid });
  expect((await getGroup(`${name}-x`))?.members).toEqual([name]);

  const again = await convergeTest([cookbook], testRole(['ug::create']));
  expect(again.report?.resources.map((e) => e.status)).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);

  const removed = await convergeTest([cookbook], testRole(['ug::remove']));
  // userdel also drops the user's own primary group (USERGROUPS_ENAB), so the group is then up to date.
  expect(removed.report?.resources.map((e) => e.changes)).toEqual([[`groupdel ${name}-x`], [`userdel ${name}`], []]);
  expect(await getUser(name)).toBeNull();
  expect(await getGroup(name)).toBeNull();
});
