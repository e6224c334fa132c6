/**
 * A message's text, rendered from markdown. The only `dangerouslySetInnerHTML` in the app: what it
 * sets has been through both fences of message-html.ts (markup escaped, then DOMPurify's allow-list).
 */
import DOMPurify from 'dompurify';
import { useMemo } from 'preact/hooks';
import { messageHtml } from '../message-html';
import { createSanitizer } from '../sanitize';

/** One sanitizer for the page: DOMPurify's hooks are per instance, added once. */
const sanitize = createSanitizer(DOMPurify);

export function MessageText({ text }: { text: string }) {
  const html = useMemo(() => messageHtml(text, sanitize), [text]);
  return <div class="text" dangerouslySetInnerHTML={{ __html: html }} />;
}
