/**
 * Uploading into the open conversation: by the "Attach file" button, by dropping files onto the
 * flow, or by pasting (a screenshot). Each file shows "Uploading…" until stored, then arrives like
 * any message (live); a refused one says why and can be tried again with the same uuid.
 */
import { useState } from 'preact/hooks';
import { filesOf, uploadFile } from '../files';
import { newUuid } from '../uuid';

interface Upload {
  uuid: string;
  file: File;
  error?: string;
}

export interface FileUploadsState {
  uploads: readonly Upload[];
  send(files: readonly File[]): void;
  retry(upload: Upload): void;
  /** Spread onto the element files may be dropped or pasted on. */
  handlers: {
    onDragOver(e: DragEvent): void;
    onDrop(e: DragEvent): void;
    onPaste(e: ClipboardEvent): void;
  };
}

/** The uploads of the conversation at `base`. */
export function useFileUploads(base: string): FileUploadsState {
  const [uploads, setUploads] = useState<readonly Upload[]>([]);
  const run = (upload: Upload) => {
    setUploads((list) => [...list.filter((u) => u.uuid !== upload.uuid), { uuid: upload.uuid, file: upload.file }]);
    uploadFile(base, upload.file, upload.uuid).then(
      () => setUploads((list) => list.filter((u) => u.uuid !== upload.uuid)),
      (err: unknown) => setUploads((list) => list.map((u) => (u.uuid === upload.uuid ? { ...u, error: err instanceof Error ? err.message : String(err) } : u))),
    );
  };
  const send = (files: readonly File[]) => {
    for (const file of files) run({ uuid: newUuid(), file });
  };
  return {
    uploads,
    send,
    retry: run,
    handlers: {
      onDragOver(e) {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault(); // allows the drop
        e.dataTransfer.dropEffect = 'copy';
      },
      onDrop(e) {
        const files = filesOf(e.dataTransfer);
        if (!files.length) return;
        e.preventDefault(); // or the browser opens the file
        send(files);
      },
      onPaste(e) {
        const files = filesOf(e.clipboardData);
        if (!files.length) return; // text pastes into the composer as usual
        e.preventDefault();
        send(files);
      },
    },
  };
}

/** The "Attach file" button and the uploads in progress or refused. */
export function FileUploadBar({ uploads, send, retry }: FileUploadsState) {
  return (
    <div class="file-uploads">
      <label class="attach link">
        Attach file
        <input
          type="file"
          multiple
          class="visually-hidden"
          onChange={(e) => {
            const input = e.currentTarget;
            send([...(input.files ?? [])]);
            input.value = ''; // the same file can be chosen again
          }}
        />
      </label>
      {uploads.map((u) => (
        <p key={u.uuid} class={u.error ? 'error' : 'muted'} role="status">
          {u.error ? `Not uploaded: ${u.file.name}: ${u.error} ` : `Uploading ${u.file.name}…`}
          {u.error && (
            <button type="button" class="link" onClick={() => retry(u)}>
              Retry
            </button>
          )}
        </p>
      ))}
    </div>
  );
}
