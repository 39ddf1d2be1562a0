/**
 * Tools the page offers itself, needing no server. Each says whether it only reads (then it may
 * run without asking) and runs with the arguments the model gave, already parsed.
 */
import type { Tool } from '../stages/llm';

/** `get_current_time`: the date, the time and the time zone of this device. */
export function currentTimeTool(now: () => Date = () => new Date(), timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone): Tool {
  return {
    spec: {
      name: 'get_current_time',
      description: 'The current date, time and time zone where the user is.',
      parameters: { type: 'object', properties: {}, additionalProperties: false },
    },
    readOnly: true,
    host: 'this page',
    run: () => {
      const date = now();
      const local = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(date);
      return Promise.resolve(JSON.stringify({ local, time_zone: timeZone, iso: date.toISOString() }));
    },
  };
}
