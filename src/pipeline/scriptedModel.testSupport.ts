/**
 * A language model for conversation scripts: it answers each last message from a script, one word
 * every WORD_MS; a script's `<call NAME>` calls that tool (no arguments) once the words before it
 * are out, and a tool's answer is a last message like any other.
 */
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
      const call = /<call ([a-z_]+)>/.exec(reply);
      const words = reply.replace(/<call [a-z_]+>/, '').trim();
      for (const word of words === '' ? [] : words.split(' ')) {
        await new Promise((resolve) => setTimeout(resolve, WORD_MS));
        if (signal.aborted) return;
        yield `${word} `;
      }
      if (call?.[1]) yield { toolCall: { id: `call_${requests.length}`, name: call[1], arguments: '{}' } };
    },
  };
}
