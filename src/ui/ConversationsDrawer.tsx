import { useState } from 'react';
import { Drawer } from './Drawer';
import { usePage, useKept, useSettings } from './pageContext';

/** The keeper rejects with the reason in words (`the storage is full`). */
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const when = (epochMs: number) => new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The conversations this browser keeps, newest first: each titled by its first question and dated,
 * to continue (the model gets its history back) or to delete, one or all.
 */
export function ConversationsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { kept } = usePage();
  const { status, detail, conversations, currentId } = useKept((state) => state);
  const keeping = useSettings((state) => state.settings.keep_conversations);
  const [confirmAll, setConfirmAll] = useState(false);
  const [said, setSaid] = useState<string | null>(null);

  const opened = () => {
    setSaid(null);
    setConfirmAll(false);
    void kept.refresh();
  };

  const continueOne = async (id: string, title: string) => {
    if (await kept.continue(id)) onClose();
    else setSaid(`“${title}” could not be opened: it is no longer kept in this browser.`);
  };
  const deleteOne = async (id: string, title: string) => {
    try {
      await kept.delete(id);
      setSaid(`Deleted “${title}”.`);
    } catch (error) {
      setSaid(`“${title}” could not be deleted: ${errorText(error)}. Try again, or clear this site’s data in the browser’s settings.`);
    }
  };
  const deleteAll = async () => {
    setConfirmAll(false);
    try {
      await kept.deleteAll();
      setSaid('Deleted every kept conversation.');
    } catch (error) {
      setSaid(`The conversations could not be deleted: ${errorText(error)}. Try again, or clear this site’s data in the browser’s settings.`);
    }
  };

  return (
    <Drawer open={open} onClose={onClose} onOpen={opened} title="Conversations" className="conversations-drawer">
      <p className="drawer-intro">
        {status === 'unavailable'
          ? `This browser does not let the page keep conversations: ${detail ?? 'its storage refused'}. The one on screen lasts until the page closes.`
          : keeping
            ? 'Kept in this browser only, each exchange as it finishes; nothing of them leaves the device.'
            : 'Keeping is off (Settings, Assistant): nothing more is saved. These were kept before.'}
      </p>
      {status === 'opening' ? (
        <p role="status">Reading the conversations…</p>
      ) : status === 'ready' && conversations.length === 0 ? (
        <p className="conversations-empty">No conversation is kept yet.</p>
      ) : (
        <ul className="kept-conversations" aria-label="Kept conversations">
          {conversations.map((conversation) => (
            <li key={conversation.id} data-conversation={conversation.id} aria-current={conversation.id === currentId ? 'true' : undefined}>
              <div className="kept-conversation-text">
                <span className="kept-conversation-title">{conversation.title}</span>
                <span className="kept-conversation-meta">
                  {when(conversation.updatedAt)} · {conversation.exchangeCount} exchange{conversation.exchangeCount === 1 ? '' : 's'}
                  {conversation.id === currentId && ' · on screen now'}
                </span>
              </div>
              <span className="kept-conversation-actions">
                {conversation.id !== currentId && (
                  <button type="button" onClick={() => void continueOne(conversation.id, conversation.title)} aria-label={`Continue “${conversation.title}”`}>
                    Continue
                  </button>
                )}
                <button type="button" onClick={() => void deleteOne(conversation.id, conversation.title)} aria-label={`Delete “${conversation.title}”`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {conversations.length > 0 && (
        <p className="conversations-all">
          {confirmAll ? (
            <>
              Delete all {conversations.length} kept conversation{conversations.length === 1 ? '' : 's'}? This cannot be undone.{' '}
              <button type="button" onClick={() => void deleteAll()}>
                Yes, delete all
              </button>{' '}
              <button type="button" onClick={() => setConfirmAll(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmAll(true)}>
              Delete all…
            </button>
          )}
        </p>
      )}
      {said && <p role="status">{said}</p>}
    </Drawer>
  );
}
