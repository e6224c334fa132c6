/**
 * Message rendering (markdown.ts, sanitize.ts, message-html.ts): markdown becomes HTML, and nothing a
 * message holds can become script, an event handler or a javascript: link. DOMPurify runs over jsdom
 * here, over the browser's DOM in the app (test/e2e/app-browser.test.ts covers that side).
 */
import createDOMPurify from 'dompurify';
import fc from 'fast-check';
import { JSDOM } from 'jsdom';
import { escapeHtml, renderMarkdown } from './markdown';
import { messageHtml } from './message-html';
import { createSanitizer } from './sanitize';

const window = new JSDOM('').window;
const sanitize = createSanitizer(createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]));
const render = (text: string) => messageHtml(text, sanitize);

/** The rendered HTML as a DOM fragment, to ask what it would hold in the page. */
function fragment(html: string): DocumentFragment {
  const template = window.document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Every way the result could run script: elements, handler attributes, script URLs. */
function dangers(html: string): string[] {
  const found: string[] = [];
  for (const el of fragment(html).querySelectorAll('*')) {
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'IMG', 'SVG', 'STYLE', 'FORM'].includes(el.tagName)) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(`${attr.name}=`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name) && !/^(?:https?:|mailto:)/i.test(attr.value)) found.push(`${attr.name}=${attr.value}`);
    }
  }
  return found;
}

const ATTACKS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '![x](https://evil.example/pixel.png)',
  '<iframe src="https://evil.example"></iframe>',
  '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
  '<details open ontoggle=alert(1)>',
  '`<script>` in code is text',
];

describe('renderMarkdown', () => {
  it('renders bold, emphasis, strike-through, inline code, code blocks, lists and quotes', () => {
    expect(renderMarkdown('**bold** *em* ~~gone~~ `x < y`')).toBe('<p><strong>bold</strong> <em>em</em> <del>gone</del> <code>x &lt; y</code></p>');
    expect(renderMarkdown('```\nconst a = "<b>";\n```')).toBe('<pre><code>const a = &quot;&lt;b&gt;&quot;;\n</code></pre>');
    expect(renderMarkdown('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(renderMarkdown('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
  });

  it('keeps a newline inside a paragraph as typed (shown as a line break by CSS)', () => {
    expect(renderMarkdown('first line\nsecond line')).toBe('<p>first line\nsecond line</p>');
  });

  it('renders http(s) and mailto links, and bare URLs', () => {
    expect(renderMarkdown('[docs](https://example.com/a?b=1&c=2 "Docs")')).toBe('<p><a href="https://example.com/a?b=1&amp;c=2" title="Docs">docs</a></p>');
    expect(renderMarkdown('see https://example.com')).toBe('<p>see <a href="https://example.com">https://example.com</a></p>');
    expect(renderMarkdown('<mailto:ops@example.com>')).toBe('<p><a href="mailto:ops@example.com">mailto:ops@example.com</a></p>');
  });

  it('shows raw HTML as typed, escaped', () => {
    expect(renderMarkdown('<script>window.__xss=1</script>')).toBe(escapeHtml('<script>window.__xss=1</script>'));
    expect(renderMarkdown('hi <img src=x onerror="alert(1)"> there')).toBe(`<p>hi ${escapeHtml('<img src=x onerror="alert(1)">')} there</p>`);
  });

  it('leaves a link to anything but http(s) or mailto as its source text', () => {
    expect(renderMarkdown('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>');
    expect(renderMarkdown('[click](/relative)')).toBe('<p>[click](/relative)</p>');
  });

  it('turns an image into a link to it (no other host is fetched by a message), or text when unsafe', () => {
    expect(renderMarkdown('![graph](https://example.com/g.png)')).toBe('<p><a href="https://example.com/g.png">graph</a></p>');
    expect(renderMarkdown('![x](javascript:alert(1))')).toBe('<p>![x](javascript:alert(1))</p>');
  });
});

describe('messageHtml (markdown, then DOMPurify)', () => {
  it('keeps what markdown makes, and every link opens in a new tab with rel="noopener noreferrer"', () => {
    const html = render('**deploy** done, see [the log](https://ci.example/1) or https://ci.example/2 and `make`');
    expect(html).toBe(
      '<p><strong>deploy</strong> done, see <a href="https://ci.example/1" target="_blank" rel="noopener noreferrer">the log</a>' +
        ' or <a href="https://ci.example/2" target="_blank" rel="noopener noreferrer">https://ci.example/2</a> and <code>make</code></p>',
    );
  });

  it.each(ATTACKS)('leaves %s inert', (attack) => {
    const html = render(attack);
    expect(dangers(html)).toEqual([]);
    // Markup typed as text is still there to read.
    if (attack.startsWith('<script')) expect(fragment(html).textContent).toBe(attack);
  });

  it('the sanitizer alone strips script, handlers and script URLs (the fence behind the renderer)', () => {
    const html = sanitize('<p onclick="x()">a<script>x()</script><img src=x onerror=x()><a href="javascript:x()">b</a><a href="https://ok.example">c</a></p>');
    expect(html).toBe('<p>a<a>b</a><a href="https://ok.example" target="_blank" rel="noopener noreferrer">c</a></p>');
  });

  it('drops form controls: a task list shows its boxes as characters', () => {
    expect(render('- [x] done\n- [ ] todo')).toBe('<ul>\n<li>☑ done</li>\n<li>☐ todo</li>\n</ul>');
    expect(sanitize('<form action="https://x.example"><input autofocus onfocus="x()"><button formaction="https://x.example">b</button></form>')).toBe('b');
  });

  it('never yields anything that could run, whatever mix of markdown and markup a message holds', () => {
    const pieces = fc.constantFrom(...ATTACKS, '**', '*', '`', '[', '](', ')', '<', '>', '"', "'", '\n', '\n\n', 'javascript:', 'https://x.example', ' ', 'text', '&#', ';');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
      expect(dangers(render(parts.join('')))).toEqual([]);
    }), { numRuns: 300 });
  });
});
