/**
 * Messages for the user that are not tied to one control: problems with saved settings, what a
 * link applied, a host to confirm. Each says what happened and, where there is something to do,
 * offers it as a button.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

export type NoticeLevel = 'error' | 'warning' | 'info';

/** A choice a notice offers; choosing it also dismisses the notice. */
export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly title: string;
  readonly details: readonly string[];
  readonly actions: readonly NoticeAction[];
}

export interface NoticesState {
  readonly notices: readonly Notice[];
  readonly push: (level: NoticeLevel, title: string, details?: readonly string[], actions?: readonly NoticeAction[]) => number;
  readonly dismiss: (id: number) => void;
}

export type NoticesStore = StoreApi<NoticesState>;

export function createNoticesStore(): NoticesStore {
  let nextId = 1;
  return createStore<NoticesState>()((set) => ({
    notices: [],
    push: (level, title, details = [], actions = []) => {
      const id = nextId++;
      set((state) => ({ notices: [...state.notices, { id, level, title, details, actions }] }));
      return id;
    },
    dismiss: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
  }));
}
