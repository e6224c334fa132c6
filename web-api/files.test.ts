/** File uploads and downloads over REST (spec §2.9), end to end: real Postgres (blobs too), Redis and backend. */
import sharp from 'sharp';
import { api, startTestStack, type TestStack } from '../test/support/stack';

let s: TestStack;
let png: Buffer;
const LIMIT = 200_000;
beforeAll(async () => {
  s = await startTestStack({ env: { FILE_MAX_BYTES: String(LIMIT) } });
  png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3070c0' } }).png().toBuffer();
});
afterAll(async () => {
  await s.stop();
});

const upload = (content: unknown, extra: Record<string, unknown> = {}, auth = s.alice.auth, path = `/flows/${s.flow.path}/messages`) =>
  api(s, 'POST', path, { auth, body: { event: 'file', content, ...extra } });
const jsonFile = (data: Buffer, file_name: string, content_type: string) => ({ data: data.toString('base64'), file_name, content_type });

/** GET of a path as raw bytes with its headers. */
async function download(path: string, auth: string) {
  const res = await fetch(`${s.url}${path}`, { headers: { authorization: auth } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('uploading by JSON', () => {
  it('stores an image: the message carries Flowdock\'s attachment with its size and a thumbnail, tagged :file', async () => {
    const r = await upload(jsonFile(png, 'blue.png', 'image/png'), { uuid: 'file-json-1' });
    expect(r.status).toBe(201);
    const attachment = r.body.content;
    expect(attachment).toMatchObject({ file_name: 'blue.png', file_size: png.length, content_type: 'image/png', image: { width: 640, height: 480 } });
    expect(attachment.path).toMatch(new RegExp(`^/files/${s.flow.id}/[A-Za-z0-9_-]+/blue\\.png$`));
    expect(attachment.thumbnail).toMatchObject({ width: 320, height: 240 });
    expect(r.body).toMatchObject({ event: 'file', attachments: [attachment], user: String(s.alice.id), flow: s.flow.id });
    expect(r.body.tags).toContain(':file');

    const listed = await api(s, 'GET', `/flows/${s.flow.path}/messages/${r.body.id}`, { auth: s.bob.auth });
    expect(listed.body).toEqual(r.body);

    const got = await download(attachment.path, s.bob.auth);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(png)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="blue\.png"/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    const thumb = await download(attachment.thumbnail.path, s.bob.auth);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });
  });

  it('a retry with the same uuid returns the same message and file', async () => {
    const body = jsonFile(Buffer.from('report'), 'r.txt', 'text/plain');
    const a = await upload(body, { uuid: 'file-retry' });
    const b = await upload(body, { uuid: 'file-retry' });
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.content.path).toBe(a.body.content.path);
  });

  it('serves anything but an image as a download, in its declared type', async () => {
    const r = await upload(jsonFile(Buffer.from('%PDF-1.4 not really'), 'notes ü.pdf', 'application/pdf'));
    expect(r.status).toBe(201);
    expect(r.body.content).toMatchObject({ content_type: 'application/pdf', file_size: 19 });
    expect(r.body.content.image).toBeUndefined();
    const got = await download(r.body.content.path, s.bob.auth);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="notes _.pdf"; filename*=UTF-8''notes%20%C3%BC.pdf`);
  });

  it('never serves user HTML inline, whatever type it claims', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    for (const claimed of ['image/png', 'text/html', 'image/svg+xml']) {
      const r = await upload(jsonFile(html, 'evil.html', claimed));
      expect(r.status).toBe(201);
      expect(r.body.content.image).toBeUndefined();
      const got = await download(r.body.content.path, s.bob.auth);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      // A claimed image that is not one is plain bytes; other types keep their name but are downloaded.
      expect(got.headers.get('content-type')).toBe(claimed.startsWith('image/') ? 'application/octet-stream' : 'text/html');
    }
  });

  it('refuses bad base64, a NUL in the name and a missing file with 400 naming the field', async () => {
    const bad = await upload({ data: 'not*base64!', file_name: 'a.txt', content_type: 'text/plain' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual({ 'content.data': ['is not valid base64'] });
    const nul = await upload({ data: 'aGk=', file_name: 'a\u0000.txt', content_type: 'text/plain' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors['content.file_name'][0]).toMatch(/NUL/);
    const none = await upload(undefined);
    expect(none.status).toBe(400);
    expect(none.body.errors.content[0]).toMatch(/multipart part named content/);
    const type = await upload({ data: 'aGk=', file_name: 'a.txt', content_type: 'text/html<script>' });
    expect(type.status).toBe(400);
    expect(type.body.errors).toHaveProperty('content_type');
  });

  it('refuses a file over FILE_MAX_BYTES with 413 naming the limit, however far over', async () => {
    for (const size of [LIMIT + 1, LIMIT * 3]) {
      const r = await upload(jsonFile(Buffer.alloc(size, 1), 'big.bin', 'application/octet-stream'));
      expect(r.status).toBe(413);
      expect(r.body.message).toMatch(new RegExp(`limit of ${LIMIT} bytes per file \\(FILE_MAX_BYTES\\)`));
    }
    const fits = await upload(jsonFile(Buffer.alloc(LIMIT, 1), 'fits.bin', 'application/octet-stream'));
    expect(fits.status).toBe(201);
  });

  it('authenticates before reading an upload: a stranger\'s large body is 401, not parsed', async () => {
    // 1.2 MB of base64: past what the upload parser reads (it would answer 413 had it read it first).
    const r = await upload(jsonFile(Buffer.alloc(900_000, 1), 'big.bin', 'application/octet-stream'), {}, 'Bearer not-a-token');
    expect(r.status).toBe(401);
  });
});

describe('uploading by multipart', () => {
  const multipart = (form: FormData, auth = s.alice.auth) =>
    fetch(`${s.url}/flows/${s.flow.path}/messages`, { method: 'POST', headers: { authorization: auth }, body: form });

  it('takes the part named content, its name and type, and the other fields', async () => {
    const form = new FormData();
    form.set('event', 'file');
    form.set('tags', 'screens,ui');
    form.set('content', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'shot ü.png');
    const res = await multipart(form);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.content).toMatchObject({ file_name: 'shot ü.png', file_size: png.length, content_type: 'image/png', image: { width: 640, height: 480 } });
    expect(body.tags).toEqual(expect.arrayContaining(['screens', 'ui', ':file']));
    const got = await download(body.content.path, s.bob.auth);
    expect(got.bytes.equals(png)).toBe(true);
  });

  it('refuses a NUL in the part\'s file name (the multipart parser already finds the header malformed)', async () => {
    const form = new FormData();
    form.set('event', 'file');
    form.set('content', new Blob([new Uint8Array(Buffer.from('x'))]), 'a\u0000b.txt');
    const res = await multipart(form);
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual({ body: ['is not valid multipart/form-data: Malformed part header'] });
  });

  it('answers 413 for a part over the limit', async () => {
    const form = new FormData();
    form.set('event', 'file');
    form.set('content', new Blob([new Uint8Array(Buffer.alloc(LIMIT + 10))]), 'big.bin');
    const res = await multipart(form);
    expect(res.status).toBe(413);
    expect((await res.json()).message).toMatch(/FILE_MAX_BYTES/);
  });
});

describe('who may download', () => {
  it('a non-member gets 404, never 403, as for a file that does not exist', async () => {
    const r = await upload(jsonFile(Buffer.from('secret'), 's.txt', 'text/plain'));
    const outsider = await download(r.body.content.path, s.carol.auth);
    expect(outsider.status).toBe(404);
    const missing = await download(r.body.content.path.replace(/\/[^/]+\/s\.txt$/, '/AAAAAAAAAAAAAAAAAAAAAA/s.txt'), s.alice.auth);
    expect(missing.status).toBe(404);
    const wrongName = await download(r.body.content.path.replace(/s\.txt$/, 'other.txt'), s.alice.auth);
    expect(wrongName.status).toBe(404);
    const anonymous = await fetch(`${s.url}${r.body.content.path}`);
    expect(anonymous.status).toBe(401);
  });

  it('a private conversation\'s file is for its two people only', async () => {
    const r = await upload(jsonFile(Buffer.from('just us'), 'p.txt', 'text/plain'), {}, s.alice.auth, `/private/${s.bob.id}/messages`);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ event: 'file', to: String(s.bob.id) });
    const low = Math.min(s.alice.id, s.bob.id);
    const high = Math.max(s.alice.id, s.bob.id);
    expect(r.body.content.path).toMatch(new RegExp(`^/files/private-${low}-${high}/`));
    expect((await download(r.body.content.path, s.bob.auth)).bytes.toString()).toBe('just us');
    expect((await download(r.body.content.path, s.alice.auth)).status).toBe(200);
    expect((await download(r.body.content.path, s.carol.auth)).status).toBe(404);
  });
});
