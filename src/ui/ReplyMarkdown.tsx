import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remend from 'remend';
import { rehypeUnheard } from './rehypeUnheard';
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

/** `unheardFrom`: where the words the user did not hear begin (an offset into `text`), for an interrupted reply. */
export function ReplyMarkdown({ text, streaming, unheardFrom }: { readonly text: string; readonly streaming: boolean; readonly unheardFrom?: number }) {
  return (
    <Markdown remarkPlugins={[remarkGfm]} rehypePlugins={unheardFrom === undefined ? [] : [[rehypeUnheard, unheardFrom]]} components={components}>
      {streaming ? remend(text) : text}
    </Markdown>
  );
}
