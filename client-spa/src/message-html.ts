/** A message's markdown as the sanitized HTML the app shows: renderMarkdown (markdown.ts), then DOMPurify (sanitize.ts). */
import { renderMarkdown } from './markdown';
import type { Sanitize } from './sanitize';

export const messageHtml = (text: string, sanitize: Sanitize): string => sanitize(renderMarkdown(text));
