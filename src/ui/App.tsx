import { ConversationPanel } from './ConversationPanel';
import { KeyConfirmations } from './KeyConfirmations';
import { ListeningPanel } from './ListeningPanel';
import { NoticeList } from './NoticeList';
import { SettingsPanel } from './SettingsPanel';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Speech to speech</h1>
        <p className="tagline">A voice assistant that runs in this page: nothing leaves your device unless you choose an API.</p>
      </header>
      <KeyConfirmations />
      <NoticeList />
      <main className="app-main">
        <ListeningPanel />
        <ConversationPanel />
        <SettingsPanel />
      </main>
    </div>
  );
}
