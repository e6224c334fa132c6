/**
 * Message text → HTML (docs/adr/017-markdown-and-site-admins.md). Pure: no DOM, so the unit tests run
 * it as the browser does. This is the first of two fences: raw HTML in a message is shown as typed
 * (escaped, as Flowdock did), a link or an image whose address is not http(s) or mailto stays text,
 * and images become links (the CSP allows no other host's images, and a chat line must not fetch
 * what a stranger points at). The second fence, DOMPurify (sanitize.ts), runs on the result anyway.
 */
import { Marked, type Tokens } from 'marked';

/** The only link targets a message may carry; everything else (javascript:, data:, vbscript:, relative) is text. */
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const titleAttribute = (title: string | null | undefined): string => (title ? ` title="${escapeHtml(title)}"` : '');

const marked = new Marked({
  gfm: true,
  // A newline inside a paragraph stays a newline character (CSS shows it: white-space: pre-wrap),
  // so a message's text content is what was typed.
  breaks: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, { href, title, tokens, raw }: Tokens.Link) {
      if (!SAFE_HREF.test(href)) return escapeHtml(raw);
      // target and rel are set by the sanitizer's hook, on every link whatever made it.
      return `<a href="${escapeHtml(href)}"${titleAttribute(title)}>${this.parser.parseInline(tokens)}</a>`;
    },
    // A task list's box as a character: the sanitizer lets no form control through.
    checkbox: ({ checked }: Tokens.Checkbox) => (checked ? '☑ ' : '☐ '),
    image: ({ href, title, text, raw }: Tokens.Image) =>
      SAFE_HREF.test(href) ? `<a href="${escapeHtml(href)}"${titleAttribute(title)}>${escapeHtml(text || href)}</a>` : escapeHtml(raw),
  },
});

/** The message's markdown as HTML, trimmed (so a one-line message's text content is exactly its text). */
export function renderMarkdown(text: string): string {
  return (marked.parse(text, { async: false }) as string).trim();
}
