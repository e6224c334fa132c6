/** Images through sharp (libvips, prebuilt per platform by npm's optional dependencies; docs/adr/016-files.md). */
import sharp from 'sharp';
import { type ImageInfo, type ImageProcessor, INLINE_IMAGE_TYPES, type Thumbnail } from '../../core/files/images';

/** Decompression bombs: a small file may claim billions of pixels. 40 Mpx covers any camera photo. */
const MAX_INPUT_PIXELS = 40_000_000;

export class SharpImages implements ImageProcessor {
  async inspect(data: Buffer): Promise<ImageInfo | null> {
    try {
      const meta = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
      const contentType = `image/${meta.format}`;
      if (!INLINE_IMAGE_TYPES.has(contentType) || !meta.width || !meta.height) return null;
      // Orientations 5–8 turn the picture a quarter: shown, its sides swap.
      const turned = (meta.orientation ?? 1) >= 5;
      return { contentType, width: turned ? meta.height : meta.width, height: turned ? meta.width : meta.height };
    } catch {
      // Not an image, or one libvips cannot read: the file is kept as an ordinary download.
      return null;
    }
  }

  async thumbnail(data: Buffer, box: number): Promise<Thumbnail> {
    const { data: out, info } = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(box, box, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data: out, contentType: 'image/webp', width: info.width, height: info.height };
  }
}
