import { useEffect, useRef } from 'react';
import { conversationJson, conversationMarkdown } from '../pipeline/conversationExport';
import { downloadFile } from './downloadFile';
import { ExchangeItem } from './ExchangeItem';
import { TimerList } from './TimerList';
import { ToolRequests } from './ToolCalls';
import { useConversation, usePage, useSettings, useTranscripts } from './pageContext';

/**
 * What the user is saying now: the live partial, or a final whose reply has not started yet; or
 * the last thing they said over the reply as an acknowledgement, which gets no reply of its own.
 */
function LiveWords() {
  const exchanges = useConversation((state) => state.exchanges);
  const turn = useTranscripts((state) => state.turns.at(-1));
  if (!turn || exchanges.some((exchange) => exchange.turn === turn.turn)) return null;
  const words = turn.final ?? turn.partial;
  if (words === null || words === '') return null;
  if (turn.toolAnswer) {
    return (
      <li className="exchange live backchannel" data-live="tool-answer" aria-live="off">
        <div className="bubble bubble-user">
          <span className="visually-hidden">You answered:</span>
          <p className="live-words">{words}</p>
        </div>
        <p className="backchannel-note">{turn.toolAnswer === 'deny' ? 'Heard as your answer: the tool was denied.' : 'Heard as your answer: the tool was allowed once.'}</p>
      </li>
    );
  }
  if (turn.backchannel) {
    return (
      <li className="exchange live backchannel" data-live="backchannel" aria-live="off">
        <div className="bubble bubble-user">
          <span className="visually-hidden">You said, over the reply:</span>
          <p className="live-words">{words}</p>
        </div>
        <p className="backchannel-note">Heard as a backchannel: the reply went on.</p>
      </li>
    );
  }
  return (
    // Words still coming are not read out one by one: the exchange they become is.
    <li className="exchange live" data-live={turn.final === null ? 'partial' : 'final'} aria-live="off">
      <div className="bubble bubble-user">
        <span className="visually-hidden">You are saying:</span>
        <p className="live-words">{words}</p>
      </div>
    </li>
  );
}

/** The conversation as a chat, newest at the bottom, kept in view as it grows. */
export function Conversation() {
  const { session } = usePage();
  const exchanges = useConversation((state) => state.exchanges);
  const lastReply = useConversation((state) => state.exchanges.at(-1)?.reply ?? '');
  const partial = useTranscripts((state) => state.turns.at(-1)?.partial ?? '');
  const pushToTalk = useSettings((state) => state.settings.push_to_talk);
  const asking = useConversation((state) => state.toolRequests.length);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [exchanges.length, lastReply, partial, asking]);
  return (
    <section className="conversation" aria-label="Conversation">
      {exchanges.length === 0 && partial === '' && (
        <p className="conversation-empty">{pushToTalk ? 'Hold the button (or the space bar) and speak, or type below.' : 'Press the button and speak, or type below.'}</p>
      )}
      {/* The log is announced politely by screen readers as exchanges come and replies stream. */}
      <div role="log" aria-label="Conversation log" aria-live="polite">
        <ol className="exchange-list" aria-label="Exchanges">
          {exchanges.map((exchange) => (
            <ExchangeItem key={exchange.id} exchange={exchange} />
          ))}
          <LiveWords />
        </ol>
      </div>
      <ToolRequests />
      <TimerList />
      <div ref={end} className="conversation-end" />
      {exchanges.length > 0 && (
        <p className="conversation-actions">
          <button type="button" onClick={() => session.newConversation()}>
            New conversation
          </button>
          <span className="save-as">
            Save as{' '}
            <button type="button" onClick={() => downloadFile(conversationMarkdown(exchanges, new Date()), 'conversation.md', 'text/markdown')}>
              Markdown
            </button>{' '}
            <button type="button" onClick={() => downloadFile(conversationJson(exchanges, new Date()), 'conversation.json', 'application/json')}>
              JSON
            </button>
          </span>
        </p>
      )}
    </section>
  );
}
