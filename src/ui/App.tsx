import { useState } from 'react';
import { Conversation } from './Conversation';
import { ConversationsDrawer } from './ConversationsDrawer';
import { Header } from './Header';
import { HostConfirmations } from './HostConfirmations';
import { KeyConfirmations } from './KeyConfirmations';
import { MessageForm } from './MessageForm';
import { ModelManager } from './ModelManager';
import { NoticeList } from './NoticeList';
import { SettingsDrawer } from './SettingsDrawer';
import { StatusCard } from './StatusCard';
import { TalkControl } from './TalkControl';
import { UpdateNotice } from './UpdateNotice';

type Drawer = 'settings' | 'models' | 'conversations' | null;

const DRAWERS: readonly Drawer[] = ['settings', 'models', 'conversations'];

/** The drawer the address names (`#settings`, `#models`, `#conversations`), so a link or a reload can open it. */
function drawerInAddress(): Drawer {
  return DRAWERS.find((drawer) => `#${drawer}` === location.hash) ?? null;
}

/** The page: the conversation first, the talk control under it, the status beside it; settings and models in drawers. */
export function App() {
  const [drawer, setDrawerState] = useState<Drawer>(drawerInAddress);
  const setDrawer = (next: Drawer) => {
    setDrawerState(next);
    const url = new URL(location.href);
    url.hash = next ?? '';
    history.replaceState(history.state, '', url);
  };
  const close = () => setDrawer(null);
  return (
    <div className="app">
      <Header onConversations={() => setDrawer('conversations')} onModels={() => setDrawer('models')} onSettings={() => setDrawer('settings')} />
      <div className="notice-area">
        <UpdateNotice />
        <HostConfirmations />
        <KeyConfirmations />
        <NoticeList />
      </div>
      <main className="layout">
        <Conversation />
        <div className="dock">
          <TalkControl />
          <MessageForm />
        </div>
        <StatusCard onModels={() => setDrawer('models')} />
      </main>
      <SettingsDrawer open={drawer === 'settings'} onClose={close} />
      <ModelManager open={drawer === 'models'} onClose={close} />
      <ConversationsDrawer open={drawer === 'conversations'} onClose={close} />
    </div>
  );
}
