/**
 * A file in a message: an image as its thumbnail, linked to the full picture; anything else as a
 * download link with its name and size. Paths are the API's (same origin, the session cookie).
 */
import { formatSize } from '../files';
import type { Attachment } from '../types';

export function FileAttachment({ file }: { file: Attachment }) {
  const size = formatSize(file.file_size);
  if (file.thumbnail) {
    return (
      <a class="file-image" href={file.path} target="_blank" rel="noopener noreferrer" title={`${file.file_name} (${size})`}>
        <img src={file.thumbnail.path} width={file.thumbnail.width} height={file.thumbnail.height} alt={file.file_name} loading="lazy" />
      </a>
    );
  }
  return (
    <p class="file-download">
      <a href={file.path} download={file.file_name}>
        {file.file_name}
      </a>{' '}
      <span class="muted">({size})</span>
    </p>
  );
}
