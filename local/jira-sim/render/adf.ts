/** Plain text ↔ Atlassian Document Format. Client-written ADF is stored and returned untouched. */
import type { AdfDocument, RichText } from '../model';

export function toAdf(text: RichText): AdfDocument {
  if (typeof text !== 'string') return text;
  const paragraphs = text.split(/\n\s*\n/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => {
      const content: unknown[] = [];
      paragraph.split(/\r?\n/).forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        // ADF forbids empty text nodes.
        if (line.length > 0) content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
}

/** The text of an ADF document (for rendered fields and change history strings). */
export function adfText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const node = value as { type?: string; text?: string; content?: unknown[] };
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  const inner = (node.content ?? []).map(adfText).join('');
  return node.type === 'paragraph' ? `${inner}\n` : inner;
}

export function isAdfDocument(value: unknown): value is AdfDocument {
  return !!value && typeof value === 'object' && (value as { type?: unknown }).type === 'doc' && Array.isArray((value as { content?: unknown }).content);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
