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
  }
  return lines.join('\n');
}
