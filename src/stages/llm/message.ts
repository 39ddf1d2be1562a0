/** The messages a language model is given: the conversation's, and each reply's request. */
import type { ToolCall } from './tools';

export type AudioContentPart =
  | { readonly type: 'input_audio'; readonly input_audio: { readonly data: string; readonly format: 'wav' } }
  | { readonly type: 'audio_url'; readonly audio_url: { readonly url: string } };

export type UserContentPart = AudioContentPart | { readonly type: 'text'; readonly text: string };

export interface Message {
  readonly role: string;
  /** Text, or (with `stt none`) content parts carrying the user's audio. */
  readonly content: string | readonly UserContentPart[];
  /** An assistant message that called tools: the calls, in order (their results follow as `tool` messages). */
  readonly tool_calls?: readonly ToolCall[];
  /** A `tool` message: the call it answers. */
  readonly tool_call_id?: string;
}

/** What is said in a message, for backends and summaries that take text only; audio is named, not sent. */
export function messageText(message: Message): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '[spoken audio]')).join(' ');
}
