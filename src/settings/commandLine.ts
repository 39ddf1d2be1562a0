/**
 * The reference's command line, in and out: a user pastes `speech-to-speech serve --stt whisper ...`
 * and the settings take it, with the reference's parsing rules; the current settings come back out
 * as the equivalent command line (only what differs from the defaults, never an API key).
 */
import { parse as parseShell } from 'shell-quote';
import { SettingsImport, arityOf, defaultsKeepingSecrets, resolveFlag, type ImportResult } from './importer';
import { flagsDifferingFromDefaults } from './exportedFlags';
import { entryOf, type Settings } from './schema';
import { showValue } from './valueTypes';

/** The program and command an exported command line starts with. */
export const COMMAND_PREFIX = 'speech-to-speech serve';

/**
 * A shell line continuation (backslash, newline) outside quotes is a space. Escapes and quoted
 * text are matched first so a backslash inside them stays as it is.
 */
const CONTINUATION_OR_QUOTED = /\\\r?\n|\\[\s\S]|'[^']*'|"(?:\\[\s\S]|[^"\\])*"/g;

type Tokens = { readonly ok: true; readonly tokens: readonly string[] } | { readonly ok: false; readonly error: string };

/** Splits a pasted command line into words the way a POSIX shell would. */
function tokenize(line: string, variableMark: string): Tokens {
  const joined = line.replace(CONTINUATION_OR_QUOTED, (match) => (/^\\\r?\n$/.test(match) ? ' ' : match));
  // Shell variables cannot be read from a web page: mark them so the flag that uses one can say so.
  let parsed: ReturnType<typeof parseShell>;
  try {
    parsed = parseShell(joined, (name) => `${variableMark}${name}${variableMark}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The command line is not valid shell syntax (${reason}). Check its quotes and $ signs.` };
  }
  const tokens: string[] = [];
  for (const item of parsed) {
    if (typeof item === 'string') tokens.push(item);
    else if ('comment' in item) break;
    else if ('op' in item && item.op === 'glob') tokens.push(item.pattern);
    else {
      const operator = 'op' in item ? item.op : JSON.stringify(item);
      return { ok: false, error: `The command line contains the shell operator ${showValue(operator)}: paste a single speech-to-speech command.` };
    }
  }
  return { ok: true, tokens };
}

/** argparse treats "-5" and "-.5" as values, any other word starting with "-" as an option. */
const looksLikeOption = (token: string) => token.startsWith('-') && !/^-(\d|\.\d|inf)/i.test(token);

/**
 * Imports a reference command line. The result is the default settings (keeping the API keys of
 * `current`) with every flag of the line applied, or every error in the line.
 */
export function importCommandLine(line: string, current: Settings): ImportResult {
  const variableMark = `\u{E000}${Math.random().toString(36).slice(2)}\u{E000}`;
  const tokenized = tokenize(line, variableMark);
  if (!tokenized.ok) return { ok: false, errors: [tokenized.error], warnings: [] };
  const { tokens } = tokenized;
  const job = new SettingsImport(defaultsKeepingSecrets(current), (name) => `--${name}`);

  // Everything before the first --flag is the program and its command: "speech-to-speech serve",
  // "python s2s_pipeline.py", "uv run ...", environment assignments.
  let index = tokens.findIndex((token) => token.startsWith('--'));
  if (index < 0) index = tokens.length;
  const program = tokens.slice(0, index);
  if (program.includes('talk')) {
    job.error('This is a "talk" command: its flags configure the reference’s client, not the pipeline. Paste a "serve" or "local" command.');
  }
  if (tokens.length === 1 && /\.json$/i.test(tokens[0] as string)) {
    job.error(`${showValue(tokens[0])} is a JSON config path: a web page cannot read files by path. Use "Import JSON" and choose the file.`);
  }
  if (tokens.length === 0) job.error('The command line is empty: paste a speech-to-speech command, such as speech-to-speech serve --stt whisper.');

  while (index < tokens.length) {
    const token = tokens[index++] as string;
    if (!token.startsWith('--') || token === '--') {
      job.error(`${showValue(token)} is not a flag: write each setting as --name value.`);
      continue;
    }
    const equals = token.indexOf('=');
    const written = equals < 0 ? token.slice(2) : token.slice(2, equals);
    const inline = equals < 0 ? undefined : token.slice(equals + 1);
    const resolution = resolveFlag(written);
    const arity = arityOf(resolution);
    const next = tokens[index];
    let value = inline;
    if (arity === 'none') {
      if (inline !== undefined) {
        job.error(`--${written} takes no value.`);
        continue;
      }
    } else if (value === undefined && next !== undefined && !looksLikeOption(next)) {
      // A boolean takes the next word if it is not a flag, as argparse's nargs='?' does; so does a
      // flag nobody knows, so its value is not reported as a second mistake.
      value = next;
      index++;
    }
    if (value?.includes(variableMark)) {
      const variable = value.split(variableMark)[1] ?? '';
      job.error(`--${written} uses the shell variable $${variable}: this page cannot read your environment, so paste its value instead.`);
      continue;
    }
    job.assign(written, resolution, value === undefined ? { absent: true } : { text: value });
  }
  return job.finish();
}

/**
 * POSIX single quoting, which every shell and shell-quote's parser read back unchanged
 * (shell-quote's own quote() escapes backticks in a way its parser does not undo).
 */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_/.:,+=@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One flag and its value, quoted for a POSIX shell. Values starting with "-" use --flag=value, as argparse needs. */
function flagWithValue(name: string, value: string): string {
  return value.startsWith('-') ? shellWord(`--${name}=${value}`) : `--${name} ${shellWord(value)}`;
}

/** The settings as a reference command line: only what differs from the defaults, never an API key. */
export function exportCommandLine(settings: Settings): string {
  const words = flagsDifferingFromDefaults(settings).map(({ key, name, text }) => {
    if (entryOf(key).type.kind !== 'bool') return flagWithValue(name, text);
    return text === 'true' ? `--${name}` : `--no_${name}`;
  });
  return [COMMAND_PREFIX, ...words].join(' ');
}
