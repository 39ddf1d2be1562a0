/**
 * The turn's state as the page shows it (the talk control's word and progress): kept by following
 * the stores the pipelines' events land in, so every component reads the same one.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { turnView, type TurnView } from '../pipeline/turnState';
import type { ConversationStore } from './conversationStore';
import type { ListeningStore } from './listeningStore';
import type { TranscriptStore } from './transcriptStore';
import type { VoiceStore } from './voiceStore';

export type TurnStore = StoreApi<TurnView>;

export function createTurnStore(stores: { readonly listening: ListeningStore; readonly transcripts: TranscriptStore; readonly conversation: ConversationStore; readonly voice: VoiceStore }): TurnStore {
  const current = (): TurnView => {
    const listening = stores.listening.getState();
    const transcripts = stores.transcripts.getState();
    const conversation = stores.conversation.getState();
    const voice = stores.voice.getState();
    return turnView({
      listening: listening.status,
      userSpeaking: listening.userSpeaking,
      understandingLoading: transcripts.status === 'loading',
      files: [...(listening.download ? [listening.download] : []), ...Object.values(transcripts.files), ...Object.values(conversation.model.files), ...Object.values(voice.files)],
      replying: conversation.exchanges.some((exchange) => exchange.status === 'waiting' || exchange.status === 'streaming'),
      askingUser: conversation.toolRequests.length > 0,
      assistantSpeaking: voice.assistantSpeaking,
      interrupted: conversation.interrupted,
    });
  };
  const store = createStore<TurnView>()(current);
  const follow = () => {
    const next = current();
    const shown = store.getState();
    if (next.state !== shown.state || next.label !== shown.label || next.percent !== shown.percent) store.setState(next, true);
  };
  for (const followed of [stores.listening, stores.transcripts, stores.conversation, stores.voice] as StoreApi<unknown>[]) followed.subscribe(follow);
  return store;
}
