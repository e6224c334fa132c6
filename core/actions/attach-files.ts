/**
 * Files that arrive with an inbound item (a mail's attachments) stored through the blob store before
 * the item is posted, as `attachments` of an `activity`/`discussion` post. Ids derive from the post's
 * uuid and the file's place, so a retried post (the same uuid) overwrites the same blobs.
 */
import type { ConversationKey } from '../domain/types';
import { FileUploads } from '../files/file-uploads';
import type { PostDeps } from './submit-post';

/** One file's bytes, as a parser found them (the upload rules, core/files/upload-input.ts, still apply). */
export interface FilePart {
  fileName: string;
  contentType: string;
  data: Buffer;
}

/** `post` with its files stored and listed in `attachments`; `post` itself when there are none. */
export async function attachFiles(deps: PostDeps, conversation: ConversationKey, sender: string, post: Record<string, unknown> & { uuid: string }, files: readonly FilePart[]): Promise<Record<string, unknown>> {
  if (!files.length) return post;
  if (!deps.files) throw new Error('this service was started without a blob store: it cannot keep attachments');
  const attachments = [];
  for (const [i, f] of files.entries()) {
    const fileId = FileUploads.fileId(conversation, sender, `${post.uuid}\u0000${i}`);
    attachments.push(await deps.files.store(conversation, fileId, { data: f.data, content_type: f.contentType, file_name: f.fileName }));
  }
  return { ...post, attachments };
}
