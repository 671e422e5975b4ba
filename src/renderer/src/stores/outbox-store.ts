/**
 * The outbox's messages, fed by `comms:outbox` and `comms:outbox-changed`.
 */
import { create } from 'zustand';
import type { OutboxMessage } from '../../../shared/contract';

export interface OutboxStoreState {
  messages: OutboxMessage[];
  setMessages(messages: OutboxMessage[]): void;
}

export const useOutboxStore = create<OutboxStoreState>((set) => ({
  messages: [],
  setMessages: (messages) => set({ messages }),
}));

/** Messages not delivered yet, and those a person must look at. */
export function outboxCounts(messages: OutboxMessage[]) {
  return {
    waiting: messages.filter((message) => ['queued', 'sending', 'retrying'].includes(message.state)).length,
    needsAttention: messages.filter((message) => message.state === 'uncertain' || message.state === 'rejected').length,
  };
}
