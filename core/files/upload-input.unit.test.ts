import type { AppError } from '../errors';
import { servedAs } from './file-uploads';
import { parseUpload } from './upload-input';

const refusal = (content: unknown, max = 100): AppError => {
  try {
    parseUpload(content, max);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('accepted');
};

describe('parseUpload', () => {
  it('decodes base64, line-wrapped too, and normalizes the declared type', () => {
    const up = parseUpload({ data: 'aGVs\nbG8=', file_name: 'a.txt', content_type: 'Text/Plain; charset=utf-8' }, 100);
    expect(up).toEqual({ data: Buffer.from('hello'), contentType: 'text/plain', fileName: 'a.txt' });
    expect(parseUpload({ data: '', file_name: 'e' }, 100).contentType).toBe('application/octet-stream');
  });

  it('refuses what is not base64, names with control characters or slashes, and bad types, naming the field', () => {
    expect(refusal({ data: 'abc', file_name: 'a' }).fields).toEqual({ 'content.data': ['is not valid base64'] });
    expect(refusal({ data: 'a-b_', file_name: 'a' }).fields).toEqual({ 'content.data': ['is not valid base64'] });
    expect(refusal({ data: 'aGk=', file_name: 'a\u0001b' }).fields?.file_name?.[0]).toMatch(/control characters/);
    expect(refusal({ data: 'aGk=', file_name: '../etc/passwd' }).fields?.file_name?.[0]).toMatch(/without \//);
    expect(refusal({ data: 'aGk=', file_name: ' ' }).fields).toEqual({ file_name: ["can't be blank"] });
    expect(refusal({ data: 'aGk=', file_name: 'a', content_type: 'text' }).fields).toHaveProperty('content_type');
    expect(refusal('just a string').fields?.content?.[0]).toMatch(/multipart part named content/);
  });

  it('refuses a file over the limit with 413 before decoding it, and takes one exactly at it', () => {
    const over = refusal({ data: Buffer.alloc(101).toString('base64'), file_name: 'x' });
    expect(over.status).toBe(413);
    expect(over.message).toBe('The file (101 bytes) exceeds the limit of 100 bytes per file (FILE_MAX_BYTES)');
    expect(refusal({ data: Buffer.alloc(101), file_name: 'x' }).status).toBe(413);
    expect(parseUpload({ data: Buffer.alloc(100).toString('base64'), file_name: 'x' }, 100).data.length).toBe(100);
  });
});

describe('servedAs', () => {
  it('shows the four raster image types inline and everything else as a download', () => {
    expect(servedAs({ data: Buffer.alloc(0), contentType: 'image/webp', fileName: 'p.webp' }).disposition).toMatch(/^inline;/);
    for (const type of ['text/html', 'image/svg+xml', 'application/octet-stream', 'application/pdf']) {
      expect(servedAs({ data: Buffer.alloc(0), contentType: type, fileName: 'f' }).disposition).toMatch(/^attachment;/);
    }
  });

  it('names the file in ASCII for old clients and exactly in filename*', () => {
    expect(servedAs({ data: Buffer.alloc(0), contentType: 'text/plain', fileName: 'rapport "final" (1)ü.txt' }).disposition).toBe(
      `attachment; filename="rapport _final_ (1)_.txt"; filename*=UTF-8''rapport%20%22final%22%20%281%29%C3%BC.txt`,
    );
  });
});
