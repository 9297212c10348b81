import { Fragment, type ReactNode } from 'react';

/** Draft text with **bold**, *italic* and footnote markers ([^1]) rendered; everything else is text (never HTML). */
export function Emphasis({ text }: { text: string }): ReactNode {
  const parts = text.split(/(\*\*[^*]+\*\*|\*[^*]+\*|\[\^[^\]\s]+\])/g);
  return parts.map((part, i) =>
    part.startsWith('**') && part.endsWith('**') && part.length > 4 ? (
      <strong key={i}>{part.slice(2, -2)}</strong>
    ) : part.startsWith('*') && part.endsWith('*') && part.length > 2 ? (
      <em key={i}>{part.slice(1, -1)}</em>
    ) : part.startsWith('[^') && part.endsWith(']') ? (
      <sup key={i}>{part.slice(2, -1)}</sup>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}
