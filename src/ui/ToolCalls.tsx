import { useEffect, useRef } from 'react';
import type { ExchangeToolCall } from '../pipeline/exchange';
import { APPROVAL_TIMEOUT_MS, type ToolRequest } from '../pipeline/toolBox';
import { useConversation, usePage } from './pageContext';

/** The tools the model called for a reply: which, with what, and what went back to it. */
export function ToolCallList({ calls }: { calls: readonly ExchangeToolCall[] }) {
  return (
    <ul className="tool-calls" aria-label="Tools used">
      {calls.map((call) => (
        <li key={call.id} data-tool-status={call.status}>
          <span className="tool-call-name">{call.status === 'running' ? `Using ${call.name}…` : `Used ${call.name}`}</span>
          {call.arguments.trim() !== '' && call.arguments.trim() !== '{}' && <code className="tool-call-arguments">{call.arguments}</code>}
          {call.result !== null && (
            <details className="tool-call-result">
              <summary>What went back to the model</summary>
              <pre>{call.result}</pre>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A tool call waiting for the user: which tool, where it runs, with which arguments, and the three answers. */
function ToolRequestCard({ request }: { request: ToolRequest }) {
  const { session, allowNotifications } = usePage();
  const card = useRef<HTMLElement>(null);
  // Brought into view (a phone shows the status above the conversation), not focused: the space bar stays the talk key.
  useEffect(() => {
    card.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  const answer = (decision: 'allow-once' | 'allow-always' | 'deny') => {
    // A timer notifies when due; a browser asks for that only from a click, and this is one.
    if (decision !== 'deny' && request.call.name === 'set_timer') allowNotifications();
    session.answerToolCall(request.call.id, decision);
  };
  const args = JSON.stringify(request.args, null, 2);
  return (
    <section ref={card} className="tool-request" aria-label={`The assistant asks to use ${request.call.name}`} data-tool-request={request.call.id}>
      <p className="tool-request-title">
        The assistant asks to use <strong>{request.call.name}</strong> on {request.host}.
      </p>
      {args !== '{}' && <pre className="tool-request-arguments">{args}</pre>}
      <p className="tool-request-hint">Answer here or say “yes” or “no”. Without an answer within {APPROVAL_TIMEOUT_MS / 1000} seconds it does not run.</p>
      <p className="tool-request-actions">
        <button type="button" onClick={() => answer('allow-once')}>
          Allow once
        </button>{' '}
        <button type="button" onClick={() => answer('allow-always')}>
          Always allow {request.call.name}
        </button>{' '}
        <button type="button" onClick={() => answer('deny')}>
          Deny
        </button>
      </p>
    </section>
  );
}

/** Every tool call waiting for the user's answer. */
export function ToolRequests() {
  const requests = useConversation((state) => state.toolRequests);
  if (requests.length === 0) return null;
  return (
    <div className="tool-requests" role="alert">
      {requests.map((request) => (
        <ToolRequestCard key={request.call.id} request={request} />
      ))}
    </div>
  );
}
