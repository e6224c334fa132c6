/**
 * Files of `event: "file"` posts: stores the upload (and an image's thumbnail) in the blob store
 * under ids derived from the post's uuid, and describes it as Flowdock's attachment. A post retried
 * with the same uuid lands on the same blobs, so a retry never leaves a second copy behind.
 */
import { createHash } from 'node:crypto';
import type { ConversationKey } from '../domain/types';
import type { BlobStore, StoredBlob } from '../ports/blob-store';
import { type Attachment, blobKey, FILE_ID, filePath } from './attachment';
import { type ImageProcessor, INLINE_IMAGE_TYPES } from './images';
import { parseUpload, type Upload } from './upload-input';

/** Thumbnails fit in this square: the app shows them at most 320 CSS pixels wide. */
const THUMBNAIL_BOX = 320;
const THUMBNAIL_NAME = 'thumbnail.webp';

export interface FileUploadsOptions {
  blobs: BlobStore;
  images: ImageProcessor;
  /** FILE_MAX_BYTES: the largest file accepted. */
  maxBytes: number;
}

/** The type a file is kept and served with: an image's real format, never a claimed image type it is not. */
function storedType(upload: Upload, decoded: string | null): string {
  if (decoded) return decoded;
  // "image/png" on bytes that are not a PNG (or an SVG, which can carry script) is served as plain bytes.
  return upload.contentType.startsWith('image/') ? 'application/octet-stream' : upload.contentType;
}

export class FileUploads {
  readonly maxBytes: number;

  constructor(private readonly options: FileUploadsOptions) {
    this.maxBytes = options.maxBytes;
  }

  /** The file id of `sender`'s post `uuid` in `conversation`: the same for every retry of that post. */
  static fileId(conversation: ConversationKey, sender: string, uuid: string): string {
    return createHash('sha256').update(`${conversation}\u0000${sender}\u0000${uuid}`).digest('base64url').slice(0, 22);
  }

  /** Validates and stores the post's `content`; the attachment the message will carry. Throws 400/413 on bad input. */
  async store(conversation: ConversationKey, fileId: string, content: unknown): Promise<Attachment> {
    const upload = parseUpload(content, this.maxBytes);
    const { blobs, images } = this.options;
    const image = await images.inspect(upload.data);
    const thumbnail = image ? await images.thumbnail(upload.data, THUMBNAIL_BOX).catch(() => null) : null;
    // An image whose header reads but whose pixels do not is no image to show.
    const shown = image && thumbnail ? image : null;
    const contentType = storedType(upload, shown?.contentType ?? null);
    await blobs.put(blobKey(conversation, fileId), { data: upload.data, contentType, fileName: upload.fileName });
    const attachment: Attachment = {
      path: filePath(conversation, fileId, upload.fileName),
      file_name: upload.fileName,
      file_size: upload.data.length,
      content_type: contentType,
    };
    if (shown && thumbnail) {
      const thumbId = `${fileId}-t`;
      await blobs.put(blobKey(conversation, thumbId), { data: thumbnail.data, contentType: thumbnail.contentType, fileName: THUMBNAIL_NAME });
      attachment.image = { width: shown.width, height: shown.height };
      attachment.thumbnail = { path: filePath(conversation, thumbId, THUMBNAIL_NAME), width: thumbnail.width, height: thumbnail.height };
    }
    return attachment;
  }

  /** The stored file at `fileId` named `fileName` in `conversation` (the caller was authorized for it), or null. */
  async open(conversation: ConversationKey, fileId: string, fileName: string): Promise<StoredBlob | null> {
    if (!FILE_ID.test(fileId)) return null;
    const blob = await this.options.blobs.get(blobKey(conversation, fileId));
    return blob && blob.fileName === fileName ? blob : null;
  }
}

/** Percent-encoding as RFC 5987 wants it: encodeURIComponent leaves ' ( ) * as they are. */
const rfc5987 = (name: string): string => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** How a stored file is served: images inline, everything else as a download (never rendered by the browser). */
export function servedAs(blob: StoredBlob): { contentType: string; disposition: string } {
  const inline = INLINE_IMAGE_TYPES.has(blob.contentType);
  const fallback = blob.fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const disposition = `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${rfc5987(blob.fileName)}`;
  return { contentType: blob.contentType, disposition };
}
