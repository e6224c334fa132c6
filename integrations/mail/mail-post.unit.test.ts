import { textProblem } from '../../core/storable-text';
import { mailPost, mailThreadId, threadTitleOf } from './mail-post';
import { parseMail } from './parse-mail';

const limits = { maxFileBytes: 1000 };
const mail = (headers: string[], body: string): Buffer => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'latin1');

describe('an inbound mail as a post', () => {
  it('threads a reply with the mail its References start with', async () => {
    const first = await parseMail(mail(['From: Ann <ann@x.test>', 'Subject: Build broke', 'Message-ID: <a@x.test>'], 'It broke.'), limits);
    const reply = await parseMail(mail(['From: bob@x.test', 'Subject: Re: RE: Build broke', 'Message-ID: <b@x.test>', 'In-Reply-To: <a@x.test>', 'References: <a@x.test>'], 'Fixed.'), limits);
    expect(first.threadKey).toBe('<a@x.test>');
    expect(reply.threadKey).toBe('<a@x.test>');
    expect(mailPost(reply).external_thread_id).toBe(mailThreadId('<a@x.test>'));
    expect(mailPost(reply)).toMatchObject({ event: 'discussion', title: 'Re: RE: Build broke', body: 'Fixed.', author: { name: 'bob@x.test', email: 'bob@x.test' }, thread: { title: 'Build broke' } });
    expect(threadTitleOf('Fwd: Re: x')).toBe('x');
  });

  it('keeps only the text of an HTML-only mail', async () => {
    const parsed = await parseMail(mail(['From: a@x.test', 'Subject: hi', 'Content-Type: text/html; charset=utf-8'], '<p>Hello <b>there</b></p><script>alert(1)</script><img src=x onerror=alert(2)>'), limits);
    expect(parsed.text).toContain('Hello there');
    expect(parsed.text).not.toMatch(/<|alert\(1\)|onerror/);
  });

  it('turns an HTML part beside attachments into text too', async () => {
    const raw = mail(
      ['From: a@x.test', 'Subject: mixed', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=XX'],
      ['--XX', 'Content-Type: text/html', '', '<p>Build <i>red</i></p><style>p{}</style><script>alert(1)</script>', '--XX', 'Content-Type: text/plain; name=a.txt', 'Content-Disposition: attachment; filename=a.txt', '', 'A', '--XX--', ''].join('\r\n'),
    );
    const parsed = await parseMail(raw, limits);
    expect(parsed.text).toBe('Build red');
    expect(parsed.files.map((f) => f.fileName)).toEqual(['a.txt']);
  });

  it('makes broken charsets, invalid UTF-8 and NUL storable', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: a@x.test\r\nSubject: =?x-unknown?B?AAAA?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nok '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0xed, 0xa0, 0x80]),
    ]);
    const parsed = await parseMail(raw, limits);
    expect(parsed.text.startsWith('ok ')).toBe(true);
    expect(parsed.text).not.toContain('\u0000');
    expect(textProblem(parsed.text)).toBeNull();
    expect(textProblem(parsed.subject)).toBeNull();
    // No Message-ID: a digest of the bytes stands in, the same for the same bytes.
    expect(parsed.messageId).toBe((await parseMail(raw, limits)).messageId);
  });

  it('leaves out attachments past the size cap and says so', async () => {
    const big = Buffer.alloc(2000, 1).toString('base64');
    const small = Buffer.from('hello').toString('base64');
    const raw = mail(
      ['From: a@x.test', 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=XX'],
      ['--XX', 'Content-Type: text/plain', '', 'see files', '--XX', 'Content-Type: application/octet-stream; name="big.bin"', 'Content-Disposition: attachment; filename="big.bin"', 'Content-Transfer-Encoding: base64', '', big,
        '--XX', 'Content-Type: text/plain; name="../../etc/a.txt"', 'Content-Disposition: attachment; filename="../../etc/a.txt"', 'Content-Transfer-Encoding: base64', '', small, '--XX--', ''].join('\r\n'),
    );
    const parsed = await parseMail(raw, limits);
    expect(parsed.files.map((f) => [f.fileName, f.data.toString()])).toEqual([['.._.._etc_a.txt', 'hello']]);
    expect(parsed.notes).toEqual(['big.bin (2000 bytes) was left out: larger than 1000 bytes.']);
    expect(mailPost(parsed).body).toBe('see files\n\nbig.bin (2000 bytes) was left out: larger than 1000 bytes.');
  });
});
