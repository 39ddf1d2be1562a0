/** What the page shows of the conversation: the language model's load, and the exchanges as they stream. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadProgress } from '../models/loadProgress';
import type { Exchange, ExchangeChange } from '../pipeline/turnOrchestrator';

export interface ModelState {
  readonly status: 'off' | 'loading' | 'ready' | 'failed';
  readonly label: string;
  readonly detail: string | null;
  readonly files: Readonly<Record<string, LoadProgress>>;
  /** web-llm reports one overall fraction with a line of text. */
  readonly progress: { readonly fraction: number; readonly text: string } | null;
}

export interface ConversationState {
  readonly model: ModelState;
  readonly exchanges: readonly Exchange[];
  /** The user spoke over the assistant a moment ago: the talk control says "Interrupted". */
  readonly interrupted: boolean;
}

export type ConversationStore = StoreApi<ConversationState>;

export function createConversationStore(): ConversationStore {
  return createStore<ConversationState>()(() => ({ model: { status: 'off', label: '', detail: null, files: {}, progress: null }, exchanges: [], interrupted: false }));
}

/**
 * How many exchanges the page keeps (and shows, and saves): a conversation of hours stays as
 * light as one of minutes. The model sees far fewer anyway (`chat_size`).
 */
export const KEPT_EXCHANGES = 200;

/** The exchanges as the turn orchestrator keeps them: in this store. */
export function exchangeList(store: ConversationStore) {
  return {
    list: () => store.getState().exchanges,
    /** An id past every exchange shown (the orchestrator's and a Realtime server's share the list). */
    nextId: () => Math.max(0, ...store.getState().exchanges.map((exchange) => exchange.id)) + 1,
    add: (exchange: Exchange) => store.setState((state) => ({ exchanges: [...state.exchanges.slice(1 - KEPT_EXCHANGES), exchange] })),
    update: (id: number, change: ExchangeChange) =>
      store.setState((state) => ({
        exchanges: state.exchanges.map((exchange) => (exchange.id === id ? { ...exchange, ...(typeof change === 'function' ? change(exchange) : change) } : exchange)),
      })),
    clear: () => store.setState({ exchanges: [] }),
  };
}
