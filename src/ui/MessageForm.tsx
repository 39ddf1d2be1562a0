import { useState, type SyntheticEvent } from 'react';
import { usePage } from './pageContext';

/** Type a message instead of speaking. */
export function MessageForm() {
  const { session } = usePage();
  const [draft, setDraft] = useState('');
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void session.sendMessage(draft);
    setDraft('');
  };
  return (
    <form className="message-form" onSubmit={submit}>
        <input type="text" value={draft} onChange={(event) => setDraft(event.target.value)} placeholder="Type a message" aria-label="Message" />
        <button type="submit" className="primary" disabled={draft.trim() === ''}>
          Send
        </button>
      </form>
  );
}
