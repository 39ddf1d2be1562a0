import { describe, expect, it } from 'vitest';
import type { Exchange } from '../pipeline/exchange';
import { KEPT_EXCHANGES, createConversationStore, exchangeList } from './conversationStore';
import { createListeningStore } from './listeningStore';
import { KEPT_TURNS, createTranscriptStore, updateTurn } from './transcriptStore';
import { createTurnStore } from './turnStore';
import { createVoiceStore } from './voiceStore';

function exchange(id: number): Exchange {
  return {
    id, turn: id, user: `question ${id}`, language: null, reply: '', batches: [], status: 'completed', error: null, firstTextMs: null, firstBatchMs: null,
    firstAudioMs: null, heard: null, speechError: null, synthesisMs: null, turnEndedAt: null, latency: { transcriptMs: null, firstTextMs: null, firstAudioMs: null },
  };
}

describe('the page stores over a long session', () => {
  it('keep the newest KEPT_EXCHANGES exchanges, and updates still reach the newest', () => {
    const store = createConversationStore();
    const list = exchangeList(store);
    for (let id = 1; id <= KEPT_EXCHANGES + 50; id++) list.add(exchange(id));
    const ids = list.list().map((kept) => kept.id);
    expect(ids).toHaveLength(KEPT_EXCHANGES);
    expect(ids[0]).toBe(51);
    expect(ids.at(-1)).toBe(KEPT_EXCHANGES + 50);
    list.update(KEPT_EXCHANGES + 50, { reply: 'done' });
    expect(list.list().at(-1)?.reply).toBe('done');
  });

  it('keep the transcripts of the newest KEPT_TURNS turns', () => {
    const store = createTranscriptStore();
    for (let turn = 1; turn <= 100; turn++) updateTurn(store, turn, 0, { final: `turn ${turn}` });
    const turns = store.getState().turns.map((kept) => kept.turn);
    expect(turns).toHaveLength(KEPT_TURNS);
    expect(turns.at(-1)).toBe(100);
    // A later revision of a kept turn updates it in place.
    updateTurn(store, 100, 1, { final: 'turn 100, heard again' });
    expect(store.getState().turns).toHaveLength(KEPT_TURNS);
    expect(store.getState().turns.at(-1)?.final).toBe('turn 100, heard again');
  });
});

describe('the turn store', () => {
  it('follows the stores the pipelines write: listening, hearing you, thinking, speaking, and an exchange id never given twice', () => {
    const stores = { listening: createListeningStore(), transcripts: createTranscriptStore(), conversation: createConversationStore(), voice: createVoiceStore() };
    const turn = createTurnStore(stores);
    expect(turn.getState().state).toBe('idle');
    stores.listening.setState({ status: 'listening' });
    expect(turn.getState().state).toBe('listening');
    stores.listening.setState({ userSpeaking: true });
    expect(turn.getState()).toMatchObject({ state: 'hearing', label: 'Hearing you' });
    stores.listening.setState({ userSpeaking: false });
    const list = exchangeList(stores.conversation);
    list.add({ ...exchange(list.nextId()), status: 'streaming' });
    expect(turn.getState().state).toBe('thinking');
    stores.voice.setState({ assistantSpeaking: true });
    expect(turn.getState().state).toBe('speaking');
    // A new conversation: the list is empty, and the next id is still past the one given.
    list.clear();
    expect(list.nextId()).toBe(2);
  });
});
