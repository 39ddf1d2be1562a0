import type { TurnLatency } from '../pipeline/exchange';
import { Suspense, lazy, memo, type ComponentType } from 'react';
import type { Exchange } from '../pipeline/exchange';
import { milliseconds } from './format';
import { splitHeard } from './heardSplit';
import { ToolCallList } from './ToolCalls';

const STATUS_TEXT: Record<Exchange['status'], string> = {
  waiting: 'Thinking…',
  streaming: '',
  completed: '',
  interrupted: 'Interrupted',
  failed: 'Failed',
};

interface ReplyMarkdownProps {
  readonly text: string;
  readonly streaming: boolean;
  readonly unheardFrom?: number;
}

/** A reply as typed: what shows where the markdown renderer could not be loaded (offline, its file missing). */
function PlainReply({ text }: ReplyMarkdownProps) {
  return <p className="reply-plain">{text}</p>;
}

/**
 * The markdown renderer loads with the first reply, not with the page. While it loads (a moment),
 * the text keeps its place but is not drawn, so that its asterisks do not flash; a renderer that
 * cannot be loaded leaves the text as it is.
 */
const LazyMarkdown = lazy(async (): Promise<{ default: ComponentType<ReplyMarkdownProps> }> => {
  try {
    return { default: (await import('./ReplyMarkdown')).ReplyMarkdown };
  } catch {
    return { default: PlainReply };
  }
});

function ReplyMarkdown({ text, streaming, unheardFrom }: ReplyMarkdownProps) {
  return (
    <Suspense fallback={<p className="reply-loading">{text}</p>}>
      <LazyMarkdown text={text} streaming={streaming} {...(unheardFrom === undefined ? {} : { unheardFrom })} />
    </Suspense>
  );
}

/** The reply as markdown, with the part an interruption kept the user from hearing marked as not heard. */
function ReplyText({ exchange }: { exchange: Exchange }) {
  const split = exchange.status === 'interrupted' && exchange.heard !== null ? splitHeard(exchange.reply, exchange.heard) : null;
  const unheard = split && split.rest.trim() !== '' ? { unheardFrom: split.heard.length } : {};
  return (
    <div className="reply-text">
      <ReplyMarkdown text={exchange.reply} streaming={exchange.status === 'streaming' || exchange.status === 'waiting'} {...unheard} />
    </div>
  );
}

const seconds = (value: number | null) => (value === null ? null : milliseconds(value * 1000));

/** The Realtime server's own figures for the turn (`speech_to_speech.turn_latency`), beside the page's. */
function ServerLatency({ latency }: { latency: TurnLatency }) {
  const parts = [
    ['voice detection', seconds(latency.vadDecisionS)],
    ['Smart Turn wait', seconds(latency.smartTurnWaitS)],
    ['speech to text', seconds(latency.sttS)],
    ['language model', seconds(latency.llmS)],
    ['first audio of the voice', seconds(latency.ttsFirstAudioS)],
    ['hold', seconds(latency.holdS)],
  ].filter(([, value]) => value !== null);
  return (
    <p className="exchange-latency server-latency" data-server-e2e={latency.endToEndS ?? ''}>
      The server measured{latency.endToEndS !== null && ` ${seconds(latency.endToEndS)} end to end`}
      {parts.length > 0 && `: ${parts.map(([name, value]) => `${name} ${value}`).join(', ')}`}.
    </p>
  );
}

/**
 * One exchange as a chat: what the user said or typed, the reply as it streams, and on demand how
 * long each step took. Memoised: a streamed token changes one exchange, and only it renders again.
 */
export const ExchangeItem = memo(function ExchangeItem({ exchange }: { exchange: Exchange }) {
  const { latency } = exchange;
  return (
    <li className="exchange" data-status={exchange.status} data-exchange={exchange.id}>
      <div className="bubble bubble-user">
        <span className="visually-hidden">You{exchange.turn === null ? ' (typed)' : ''}:</span>
        <p className="exchange-user">{exchange.user}</p>
      </div>
      <div className="bubble bubble-assistant">
        <span className="visually-hidden">Assistant:</span>
        <div className="exchange-reply">
          <ReplyText exchange={exchange} />
          {STATUS_TEXT[exchange.status] && <span className="reply-status"> {STATUS_TEXT[exchange.status]}</span>}
        </div>
        {exchange.heard !== null && exchange.status === 'interrupted' && <p className="reply-heard">Heard before you spoke: “{exchange.heard}”</p>}
        {exchange.error && (
          <p className="exchange-error" role="alert">
            {exchange.error}
          </p>
        )}
        {exchange.toolCalls && exchange.toolCalls.length > 0 && <ToolCallList calls={exchange.toolCalls} />}
        {exchange.speechError && <p className="exchange-warning">{exchange.speechError}</p>}
      </div>
      {(latency.transcriptMs !== null || exchange.batches.length > 0 || exchange.serverLatency) && (
        <details className="exchange-details">
          <summary>Details</summary>
          {latency.transcriptMs !== null && (
            <p
              className="exchange-latency"
              data-latency-transcript={Math.round(latency.transcriptMs)}
              data-latency-first-audio={latency.firstAudioMs === null ? '' : Math.round(latency.firstAudioMs)}
            >
              After your turn ended: words understood in {milliseconds(latency.transcriptMs)}
              {latency.firstTextMs !== null && `, first words of the reply in ${milliseconds(latency.firstTextMs)}`}
              {latency.firstAudioMs !== null && `, first sound in ${milliseconds(latency.firstAudioMs)}`}.
            </p>
          )}
          {exchange.serverLatency && <ServerLatency latency={exchange.serverLatency} />}
          {exchange.batches.length > 0 && (
            <>
              <p className="exchange-batches-head">
                Sent to speech in {exchange.batches.length} part{exchange.batches.length === 1 ? '' : 's'}
                {exchange.firstBatchMs !== null && `, the first ${milliseconds(exchange.firstBatchMs)} after the first words`}
                {exchange.synthesisMs !== null && `, spoken after ${milliseconds(exchange.synthesisMs)} of synthesis`}:
              </p>
              <ol aria-label="Speech chunks">
                {exchange.batches.map((batch, index) => (
                  <li key={index} className="speech-batch">
                    {batch}
                  </li>
                ))}
              </ol>
            </>
          )}
        </details>
      )}
    </li>
  );
});
