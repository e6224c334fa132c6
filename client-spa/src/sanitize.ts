/**
 * The second fence (docs/adr/017-markdown-and-site-admins.md): DOMPurify keeps only the elements and
 * attributes markdown makes, links only to http(s) and mailto, and every link opens in a new tab
 * with `rel="noopener noreferrer"` (the page it opens gets no handle on the app, nor its URL).
 * Takes the DOMPurify instance, so the unit tests hand it one over jsdom and the app the browser's.
 */
import type { DOMPurify } from 'dompurify';

const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
/** `class` for a code block's language; no form controls at all (a GFM task list shows its text without the box). */
const ALLOWED_ATTR = ['href', 'title', 'target', 'rel', 'class', 'align', 'start'];
const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:)/i;

export type Sanitize = (html: string) => string;

export function createSanitizer(purify: DOMPurify): Sanitize {
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return (html) => purify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOWED_URI_REGEXP, RETURN_TRUSTED_TYPE: false }) as string;
}
