import { BoxIcon, ChatIcon, GearIcon } from './icons';
import { hostOf } from '../settings/keyBinding';
import { useDevice, useSettings } from './pageContext';

/** The title, what this device runs models on, and the way to the kept conversations, the models and the settings. */
export function Header({ onConversations, onModels, onSettings }: { onConversations: () => void; onModels: () => void; onSettings: () => void }) {
  const summary = useDevice((state) => state.report?.summary ?? null);
  const server = useSettings((state) => (state.settings.pipeline === 'realtime' ? hostOf(state.settings.talk_url) : null));
  return (
    <header className="app-header">
      <div className="app-title">
        <h1>Speech to speech</h1>
        <p className="tagline">
          {server === null
            ? 'A voice assistant that runs in this page: nothing leaves your device unless you choose an API.'
            : `A voice assistant on your Realtime server: what you say goes to ${server}, and nowhere else.`}
        </p>
      </div>
      <div className="header-actions">
        {summary && server === null && (
          <span className="device-chip" title="What this device runs the models on">
            {summary}
          </span>
        )}
        <button type="button" className="icon-button" onClick={onConversations}>
          <ChatIcon /> <span>Conversations</span>
        </button>
        <button type="button" className="icon-button" onClick={onModels}>
          <BoxIcon /> <span>Models</span>
        </button>
        <button type="button" className="icon-button" onClick={onSettings}>
          <GearIcon /> <span>Settings</span>
        </button>
      </div>
    </header>
  );
}
