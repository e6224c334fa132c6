/** Reading the user and group databases through getent, so every NSS source counts. */
import { runCommand } from './command';

/** A passwd entry. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** A group entry. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

async function fields(database: 'passwd' | 'group', key: string): Promise<string[] | null> {
  const result = await runCommand(['getent', database, key]);
  // getent exits 2 when the key is not found.
  return result.code === 0 ? result.stdout.trimEnd().split('\n')[0]!.split(':') : null;
}

/** The user named `name`, or null. */
export async function getUser(name: string): Promise<PasswdEntry | null> {
  const f = await fields('passwd', name);
  return f ? { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '', shell: f[6] ?? '' } : null;
}

/** The group named (or numbered) `key`, or null. */
export async function getGroup(key: string): Promise<GroupEntry | null> {
  const f = await fields('group', key);
  return f ? { name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] } : null;
}
