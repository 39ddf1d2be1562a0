import { useState, type SyntheticEvent } from 'react';
import { conversationJson, conversationMarkdown } from '../pipeline/conversationExport';
import type { Exchange } from '../pipeline/turnOrchestrator';
import { downloadFile } from './downloadFile';
import { FileDownloads } from './FileDownloads';
import { usePage, useConversation, useVoice } from './pageContext';

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

/** The voice's model, and whether the assistant is thinking or speaking. */
function VoiceStatus() {
  const { session } = usePage();
  const status = useVoice((state) => state.status);
  const detail = useVoice((state) => state.detail);
  const files = useVoice((state) => state.files);
  const speaking = useVoice((state) => state.assistantSpeaking);
  const samplesPlayed = useVoice((state) => state.samplesPlayed);
  const suspended = useVoice((state) => state.suspended);
  const notice = useVoice((state) => state.notice);
  const thinking = useConversation((state) => state.exchanges.some((exchange) => exchange.status === 'waiting' || exchange.status === 'streaming'));
  const state = speaking ? 'speaking' : thinking ? 'thinking' : 'idle';
  return (
    <>
      <p className="assistant-state" data-assistant={state} data-samples-played={samplesPlayed} role="status">
        {state === 'speaking' ? 'Speaking…' : state === 'thinking' ? 'Thinking…' : ''}
      </p>
      {suspended && (
        <p className="listening-warning" role="alert">
          The browser paused the assistant’s voice, so replies are silent.{' '}
          <button type="button" onClick={() => session.resumeSpeakers()}>
            Resume the voice
          </button>
        </p>
      )}
      {status !== 'off' && (
        <p className={status === 'failed' ? 'listening-error' : 'tts-status'} data-tts-status={status} role={status === 'failed' ? 'alert' : undefined}>
          {status === 'loading' && (
            <>
              Loading the voice
              <FileDownloads files={files} />
            </>
          )}
          {status === 'ready' && `Voice: ${detail ?? ''}.`}
          {status === 'failed' && detail}
        </p>
      )}
      {notice && (
        <p className="listening-warning voice-notice" role="status">
          {notice}
        </p>
      )}
    </>
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
      {exchange.latency.transcriptMs !== null && (
        <p className="exchange-latency" data-latency-transcript={Math.round(exchange.latency.transcriptMs)} data-latency-first-audio={exchange.latency.firstAudioMs === null ? '' : Math.round(exchange.latency.firstAudioMs)}>
          After your turn ended: transcript {Math.round(exchange.latency.transcriptMs)} ms
          {exchange.latency.firstTextMs !== null && `, first words ${Math.round(exchange.latency.firstTextMs)} ms`}
          {exchange.latency.firstAudioMs !== null && `, first audio ${Math.round(exchange.latency.firstAudioMs)} ms`}
        </p>
      )}
      {exchange.heard !== null && exchange.status === 'interrupted' && <p className="reply-heard">Heard before you spoke: “{exchange.heard}”</p>}
      {exchange.error && (
        <p className="listening-error" role="alert">
          {exchange.error}
        </p>
      )}
      {exchange.speechError && <p className="listening-warning">{exchange.speechError}</p>}
      {exchange.batches.length > 0 && (
        <details className="speech-batches">
          <summary>
            Sent to speech: {exchange.batches.length} chunk{exchange.batches.length === 1 ? '' : 's'}
            {exchange.firstBatchMs !== null && `, first ${Math.round(exchange.firstBatchMs)} ms after the first text`}
            {exchange.firstAudioMs !== null && `; first audio ${Math.round(exchange.firstAudioMs)} ms after the request`}
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
  const { session } = usePage();
  const exchanges = useConversation((state) => state.exchanges);
  const [draft, setDraft] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void session.sendMessage(draft);
    setDraft('');
  };
  return (
    <section className="conversation-panel" aria-label="Conversation">
      <ModelStatus />
      <VoiceStatus />
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
        <button type="button" onClick={() => session.newConversation()} disabled={exchanges.length === 0}>
          New conversation
        </button>
      </form>
      {exchanges.length > 0 && (
        <p className="conversation-export">
          Save the conversation:{' '}
          <button type="button" onClick={() => downloadFile(conversationMarkdown(exchanges, new Date()), 'conversation.md', 'text/markdown')}>
            Markdown
          </button>{' '}
          <button type="button" onClick={() => downloadFile(conversationJson(exchanges, new Date()), 'conversation.json', 'application/json')}>
            JSON
          </button>
        </p>
      )}
    </section>
  );
}
