import { memo, useDeferredValue } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remend from 'remend';
import { rehypeUnheard } from './rehypeUnheard';
import { markdownBlocks } from './markdownBlocks';
import { linkDestination, safeHref } from './replyLinks';

/**
 * A reply's text as markdown (emphasis, lists, code, tables), rendered by react-markdown, which
 * never renders raw HTML (it is shown as text). While the reply streams, remend closes what is
 * still open (an unfinished `**`, a code fence), so the text does not flash between forms.
 */
const components: Components = {
  a: ({ href, children }) => {
    const safe = href ? safeHref(href) : null;
    if (!safe) return <span className="reply-link-refused">{children}</span>;
    const destination = linkDestination(safe);
    return (
      <a href={safe} target="_blank" rel="noopener noreferrer nofollow" title={`Opens ${destination} in a new tab`}>
        {children}
        <span className="reply-link-host"> ({destination})</span>
      </a>
    );
  },
  // An image would be fetched from wherever the text points: it is shown as its description only.
  img: ({ alt }) => <span className="reply-image">{alt ? `[${alt}]` : '[image]'}</span>,
};

const remarkPlugins = [remarkGfm];

/** One block, parsed again only when its own text changes: while a reply streams, that is the last one. */
const Block = memo(function Block({ text, open, unheardFrom }: { readonly text: string; readonly open: boolean; readonly unheardFrom: number | null }) {
  return (
    <Markdown remarkPlugins={remarkPlugins} rehypePlugins={unheardFrom === null ? [] : [[rehypeUnheard, unheardFrom]]} components={components}>
      {open ? remend(text) : text}
    </Markdown>
  );
});

/** `unheardFrom`: where the words the user did not hear begin (an offset into `text`), for an interrupted reply. */
export function ReplyMarkdown({ text, streaming, unheardFrom }: { readonly text: string; readonly streaming: boolean; readonly unheardFrom?: number }) {
  // Tokens can come faster than the page draws: React may skip to the newest text rather than draw each.
  const shown = useDeferredValue(text);
  const blocks = markdownBlocks(shown);
  return blocks.map((block, index) => {
    const end = block.start + block.text.length;
    const unheard = unheardFrom === undefined || end <= unheardFrom ? null : Math.max(0, unheardFrom - block.start);
    return <Block key={block.start} text={block.text} open={streaming && index === blocks.length - 1} unheardFrom={unheard} />;
  });
}
