/** The page (its stores and session) for the components, and one hook per store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { KeptConversationsState } from '../app/conversationKeeper';
import type { ConversationState } from '../app/conversationStore';
import type { DeviceState } from '../app/deviceStore';
import type { ListeningState } from '../app/listeningStore';
import type { NoticesState } from '../app/noticesStore';
import type { Page } from '../app/page';
import type { TranscriptState } from '../app/transcriptStore';
import type { VoiceState } from '../app/voiceStore';
import type { TurnView } from '../pipeline/turnState';
import type { SettingsState } from '../settings/store';

export const PageContext = createContext<Page | null>(null);

export function usePage(): Page {
  const page = useContext(PageContext);
  if (!page) throw new Error('The components need the page: render them inside <PageContext value={page}>.');
  return page;
}

export const useSettings = <T>(selector: (state: SettingsState) => T): T => useStore(usePage().settings, selector);
export const useNotices = <T>(selector: (state: NoticesState) => T): T => useStore(usePage().notices, selector);
export const useListening = <T>(selector: (state: ListeningState) => T): T => useStore(usePage().listening, selector);
export const useTranscripts = <T>(selector: (state: TranscriptState) => T): T => useStore(usePage().transcripts, selector);
export const useConversation = <T>(selector: (state: ConversationState) => T): T => useStore(usePage().conversation, selector);
export const useVoice = <T>(selector: (state: VoiceState) => T): T => useStore(usePage().voice, selector);
export const useTurn = <T>(selector: (state: TurnView) => T): T => useStore(usePage().turn, selector);
export const useDevice = <T>(selector: (state: DeviceState) => T): T => useStore(usePage().device, selector);
export const useKept = <T>(selector: (state: KeptConversationsState) => T): T => useStore(usePage().kept.store, selector);
