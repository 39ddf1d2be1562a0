/** A language model for conversation scripts: it answers each last message from a script, one word every WORD_MS. */
import { messageText, type LanguageModelBackend } from '../stages/llm';

export const WORD_MS = 10;

export function scriptedModel(replies: Record<string, string>, concurrent = true): LanguageModelBackend & { requests: string[][] } {
  const requests: string[][] = [];
  return {
    concurrent,
    streamed: true,
    description: 'a scripted model',
    configure: () => undefined,
    dispose: () => undefined,
    requests,
    async *stream(messages, signal) {
      requests.push(messages.map((message) => `${message.role}: ${messageText(message)}`));
      const last = messageText(messages.at(-1) ?? { role: 'user', content: '' });
      const reply = replies[last];
      if (reply === undefined) throw new Error(`the server failed (no script for "${last}")`);
      for (const word of reply.split(' ')) {
        await new Promise((resolve) => setTimeout(resolve, WORD_MS));
        if (signal.aborted) return;
        yield `${word} `;
      }
    },
  };
}
