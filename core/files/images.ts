/** What files need of an image library: recognize a raster image and make its thumbnail (infra/images/sharp-images.ts). */

/** Formats served inline: raster images every browser shows and none can run script in (never SVG). */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface ImageInfo {
  /** One of INLINE_IMAGE_TYPES: what the bytes are, whatever the uploader said. */
  contentType: string;
  /** As displayed (after EXIF orientation). */
  width: number;
  height: number;
}

export interface Thumbnail {
  data: Buffer;
  contentType: string;
  width: number;
  height: number;
}

export interface ImageProcessor {
  /** The image the bytes decode to, if they are one of INLINE_IMAGE_TYPES; null for anything else (or too many pixels). */
  inspect(data: Buffer): Promise<ImageInfo | null>;
  /** A thumbnail fitting in `box`×`box`, never enlarged. */
  thumbnail(data: Buffer, box: number): Promise<Thumbnail>;
}
