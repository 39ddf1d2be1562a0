/**
 * Messages for the user that are not tied to one control: problems with saved settings, what a
 * link applied. Each says what happened and, where there is something to do, what to do.
 */
import { createStore } from 'zustand/vanilla';

export type NoticeLevel = 'error' | 'warning' | 'info';

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly title: string;
  readonly details: readonly string[];
}

interface NoticesState {
  readonly notices: readonly Notice[];
  readonly push: (level: NoticeLevel, title: string, details?: readonly string[]) => void;
  readonly dismiss: (id: number) => void;
}

let nextId = 1;

export const noticesStore = createStore<NoticesState>()((set) => ({
  notices: [],
  push: (level, title, details = []) => set((state) => ({ notices: [...state.notices, { id: nextId++, level, title, details }] })),
  dismiss: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
}));
