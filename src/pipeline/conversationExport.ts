/**
 * The conversation as a file to keep: JSON (every exchange with its timings) or Markdown (who
 * said what). Interrupted replies are given as the words heard, as the model remembers them.
 */

export interface ExportedExchange {
  readonly user: string;
  readonly reply: string;
  readonly status: string;
  readonly heard: string | null;
  readonly language: string | null;
  readonly error: string | null;
  readonly firstTextMs: number | null;
  readonly firstAudioMs: number | null;
  /** The tools the model called for the reply, with what went back to it. */
  readonly toolCalls?: readonly { readonly name: string; readonly arguments: string; readonly result: string | null }[];
}

/** What the user heard of a reply: all of it, or up to where they spoke. */
function spokenReply(exchange: ExportedExchange): string {
  return exchange.status === 'interrupted' && exchange.heard !== null ? `${exchange.heard} …` : exchange.reply;
}

export function conversationJson(exchanges: readonly ExportedExchange[], exportedAt: Date): string {
  return JSON.stringify({ exportedAt: exportedAt.toISOString(), exchanges }, null, 2);
}

export function conversationMarkdown(exchanges: readonly ExportedExchange[], exportedAt: Date): string {
  const lines = [`# Conversation, ${exportedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`, ''];
  for (const exchange of exchanges) {
    lines.push(`**You:** ${exchange.user}`, '');
    if (exchange.error) lines.push(`**Assistant:** _(failed: ${exchange.error})_`, '');
    else lines.push(`**Assistant:** ${spokenReply(exchange)}${exchange.status === 'interrupted' ? ' _(interrupted)_' : ''}`, '');
    for (const call of exchange.toolCalls ?? []) {
      lines.push(`> Tool \`${call.name}\` with \`${call.arguments.trim() || '{}'}\`: ${call.result === null ? '_(did not finish)_' : call.result.replace(/\s*\n\s*/g, ' ')}`, '');
    }
  }
  return lines.join('\n');
}
