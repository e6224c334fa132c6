/**
 * Uploading files as the app does it: one multipart `event: "file"` post per file (docs/api.md,
 * "Files"), with a uuid so that a retry is never a second file. The pure parts are unit-tested.
 */
import { ApiError, csrfHeaders } from './api';
import type { FlowEvent } from './types';

/** "2.4 MB", "900 B": sizes as people read them (powers of 1024, as file managers show). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The files a drop or a paste carries (a paste of text carries none). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  if (data.files.length) return [...data.files];
  // Some browsers list pasted images only as items.
  return [...data.items].filter((i) => i.kind === 'file').flatMap((i) => i.getAsFile() ?? []);
}

/** A pasted screenshot is called "image.png" by every browser: give it a name that says when. */
export function uploadName(file: File, now = new Date()): string {
  if (file.name && file.name !== 'image.png') return file.name;
  const stamp = now.toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '.');
  return `Pasted image ${stamp}.png`;
}

/** Posts `file` to the conversation at `base` (`/flows/org/flow` or `/private/<id>`); the stored message. */
export async function uploadFile(base: string, file: File, uuid: string): Promise<FlowEvent> {
  const form = new FormData();
  form.set('event', 'file');
  form.set('uuid', uuid);
  form.set('content', file, uploadName(file));
  const res = await fetch(`${base}/messages`, { method: 'POST', body: form, credentials: 'same-origin', headers: { Accept: 'application/json', ...csrfHeaders() } });
  const json = (await res.json().catch(() => ({}))) as { message?: string; code?: string };
  if (!res.ok) throw new ApiError(res.status, json.message ?? `${res.status} ${res.statusText}`, json.code);
  return json as FlowEvent;
}
