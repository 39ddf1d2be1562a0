import { useState, type SyntheticEvent } from 'react';
import { newConversation, sendMessage, useConversation, type Exchange } from '../app/conversation';
import { FileDownloads } from './FileDownloads';

const STATUS_TEXT: Record<Exchange['status'], string> = {
  waiting: 'Thinking…',
  streaming: 'Replying…',
  completed: '',
  interrupted: 'Interrupted',
  failed: 'Failed',
};

function ModelStatus() {
  const model = useConversation((state) => state.model);
  if (model.status === 'off') return null;
  return (
    <p className={model.status === 'failed' ? 'listening-error' : 'llm-status'} data-llm-status={model.status} role={model.status === 'failed' ? 'alert' : undefined}>
      {model.status === 'loading' && (
        <>
          Loading the language model ({model.label})
          <FileDownloads files={model.files} />
          {model.progress && (
            <span className="file-progress">
              {' '}
              · {model.progress.text} <progress value={model.progress.fraction} max={1} />
            </span>
          )}
        </>
      )}
      {model.status === 'ready' && `Language model: ${model.label}${model.detail ? `, ${model.detail}` : ''}.`}
      {model.status === 'failed' && model.detail}
    </p>
  );
}

function ExchangeItem({ exchange }: { exchange: Exchange }) {
  return (
    <li className="exchange" data-status={exchange.status} data-exchange={exchange.id}>
      <p className="exchange-user">
        <span className="speaker">You{exchange.turn === null ? ' (typed)' : ''}:</span> {exchange.user}
      </p>
      <p className="exchange-reply" aria-live="polite">
        <span className="speaker">Assistant:</span> <span className="reply-text">{exchange.reply}</span>
        {STATUS_TEXT[exchange.status] && <span className="reply-status"> {STATUS_TEXT[exchange.status]}</span>}
      </p>
      {exchange.error && (
        <p className="listening-error" role="alert">
          {exchange.error}
        </p>
      )}
      {exchange.batches.length > 0 && (
        <details className="speech-batches">
          <summary>
            Sent to speech: {exchange.batches.length} chunk{exchange.batches.length === 1 ? '' : 's'}
            {exchange.firstBatchMs !== null && `, first ${Math.round(exchange.firstBatchMs)} ms after the first text`}
          </summary>
          <ol aria-label="Speech chunks">
            {exchange.batches.map((batch, index) => (
              <li key={index} className="speech-batch">
                {batch}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

/** The conversation with the language model: replies as they stream, and a box to type a message. */
export function ConversationPanel() {
  const exchanges = useConversation((state) => state.exchanges);
  const [draft, setDraft] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void sendMessage(draft);
    setDraft('');
  };
  return (
    <section className="conversation-panel" aria-label="Conversation">
      <ModelStatus />
      {exchanges.length > 0 && (
        <ol className="exchange-list" aria-label="Conversation">
          {exchanges.map((exchange) => (
            <ExchangeItem key={exchange.id} exchange={exchange} />
          ))}
        </ol>
      )}
      <form className="message-form" onSubmit={submit}>
        <label>
          <span className="visually-hidden">Message</span>
          <input type="text" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="Type a message" aria-label="Message" />
        </label>
        <button type="submit" disabled={draft.trim() === ''}>
          Send
        </button>
        <button type="button" onClick={newConversation} disabled={exchanges.length === 0}>
          New conversation
        </button>
      </form>
    </section>
  );
}
