/**
 * The kinds of value a setting can hold. Each kind reads a value from text (a command line, a URL,
 * a field of the settings panel) and from JSON (an imported file, the saved settings), writes it
 * back, and says in words what it allows, so every error can name what is allowed.
 */
import { modelIdProblem, modelPathProblem } from './modelPaths';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ParseResult<V> =
  | { readonly ok: true; readonly value: V; readonly warning?: string }
  | { readonly ok: false; readonly error: string };

export type ValueKind = 'bool' | 'int' | 'float' | 'text' | 'choice' | 'genKwargs';

export interface ValueType<V> {
  readonly kind: ValueKind;
  /** What is allowed, in words: "a number from 0 to 1", "one of: a, b". */
  readonly allowed: string;
  /** True where `null` means "not set" (the reference's `None` defaults). */
  readonly optional: boolean;
  /** The values of a choice, in order. */
  readonly values?: readonly string[];
  fromText(text: string): ParseResult<V>;
  fromJson(value: unknown): ParseResult<V>;
  toText(value: V): string;
  toJson(value: V): JsonValue;
  equals(a: V, b: V): boolean;
}

/** Long enough for any system prompt, short enough that a pasted file cannot freeze the page. */
export const MAX_TEXT_LENGTH = 100_000;

const ok = <V>(value: V, warning?: string): ParseResult<V> =>
  warning === undefined ? { ok: true, value } : { ok: true, value, warning };
const fail = (error: string): ParseResult<never> => ({ ok: false, error });

/** Quotes a user-supplied value for an error message, cut short so a huge paste stays readable. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const identical = <V>(a: V, b: V): boolean => Object.is(a, b);

/** Python's `string_to_bool` spellings, which the reference's parser accepts. */
const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0']);

export function bool(): ValueType<boolean> {
  return {
    kind: 'bool',
    allowed: 'true or false (also yes/no, 1/0)',
    optional: false,
    fromText(text) {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return ok(true);
      if (FALSE_WORDS.has(word)) return ok(false);
      return fail(`${showValue(text)} is not true or false`);
    },
    fromJson(value) {
      return typeof value === 'boolean' ? ok(value) : fail(`${jsonTypeName(value)} is not true or false`);
    },
    toText: (value) => String(value),
    toJson: (value) => value,
    equals: identical,
  };
}

interface Range {
  readonly min?: number;
  readonly max?: number;
}

function rangeWords(range: Range): string {
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function checkRange<V extends number>(value: V, range: Range, allowed: string): ParseResult<V> {
  if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
    return fail(`${value === Infinity ? 'inf' : value} is out of range (expected ${allowed})`);
  }
  return ok(value);
}

export function int(range: Range = {}): ValueType<number> {
  const allowed = `a whole number${rangeWords(range)}`;
  return {
    kind: 'int',
    allowed,
    optional: false,
    fromText(text) {
      const trimmed = text.trim();
      if (!/^[+-]?\d+$/.test(trimmed)) return fail(`${showValue(text)} is not a whole number (expected ${allowed})`);
      const value = Number(trimmed);
      if (!Number.isSafeInteger(value)) return fail(`${showValue(text)} is too large (expected ${allowed})`);
      return checkRange(value, range, allowed);
    },
    fromJson(value) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        return fail(`${typeof value === 'number' ? String(value) : jsonTypeName(value)} is not a whole number (expected ${allowed})`);
      }
      return checkRange(value, range, allowed);
    },
    toText: (value) => String(value),
    toJson: (value) => value,
    equals: identical,
  };
}

/** Python's float() syntax, without nan. */
const FLOAT_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INFINITY_WORDS = new Set(['inf', '+inf', 'infinity', '+infinity']);

export function float(range: Range & { readonly allowInfinity?: boolean } = {}): ValueType<number> {
  const allowed = `a number${rangeWords(range)}${range.allowInfinity ? ', or inf' : ''}`;
  return {
    kind: 'float',
    allowed,
    optional: false,
    fromText(text) {
      const trimmed = text.trim().toLowerCase();
      if (range.allowInfinity && INFINITY_WORDS.has(trimmed)) return ok(Infinity);
      if (!FLOAT_PATTERN.test(trimmed)) return fail(`${showValue(text)} is not a number (expected ${allowed})`);
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return fail(`${showValue(text)} is too large (expected ${allowed})`);
      // -0 and 0 are the same setting; keep one of them so saved and exported values agree.
      return checkRange(value === 0 ? 0 : value, range, allowed);
    },
    fromJson(value) {
      if (typeof value === 'string' && range.allowInfinity && INFINITY_WORDS.has(value.toLowerCase())) return ok(Infinity);
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(`${typeof value === 'string' ? showValue(value) : jsonTypeName(value)} is not a number (expected ${allowed})`);
      }
      return checkRange(value === 0 ? 0 : value, range, allowed);
    },
    // JSON has no infinity; the reference's own spelling, "inf", is used in both forms.
    toText: (value) => (value === Infinity ? 'inf' : String(value)),
    toJson: (value) => (value === Infinity ? 'inf' : value),
    equals: identical,
  };
}

interface TextOptions {
  /** An empty value is an error. */
  readonly nonEmpty?: boolean;
  /** Extra check of the value's form; returns an error sentence or undefined. */
  readonly check?: (value: string) => string | undefined;
  readonly allowed?: string;
}

function checkText(value: string, options: TextOptions, allowed: string): ParseResult<string> {
  if (value.length > MAX_TEXT_LENGTH) return fail(`the text is ${value.length} characters long (at most ${MAX_TEXT_LENGTH})`);
  if (options.nonEmpty && value.trim() === '') return fail(`it must not be empty (expected ${allowed})`);
  const problem = options.check?.(value);
  return problem === undefined ? ok(value) : fail(`${showValue(value)} ${problem} (expected ${allowed})`);
}

export function text(options: TextOptions = {}): ValueType<string> {
  const allowed = options.allowed ?? (options.nonEmpty ? 'a non-empty text' : 'any text');
  return {
    kind: 'text',
    allowed,
    optional: false,
    fromText: (value) => checkText(value, options, allowed),
    fromJson(value) {
      return typeof value === 'string' ? checkText(value, options, allowed) : fail(`${jsonTypeName(value)} is not a text (expected ${allowed})`);
    },
    toText: (value) => value,
    toJson: (value) => value,
    equals: identical,
  };
}

/** A value the user may leave unset (`null`), as the reference's `None` defaults. Empty text unsets it. */
export function optional<V>(inner: ValueType<V>): ValueType<V | null> {
  return {
    ...(inner.values ? { values: inner.values } : {}),
    kind: inner.kind,
    allowed: `${inner.allowed}, or empty for the default`,
    optional: true,
    fromText: (value) => (value.trim() === '' ? ok(null) : inner.fromText(value)),
    fromJson: (value) => (value === null || (typeof value === 'string' && value.trim() === '') ? ok(null) : inner.fromJson(value)),
    toText: (value) => (value === null ? '' : inner.toText(value)),
    toJson: (value) => (value === null ? null : inner.toJson(value)),
    equals: (a, b) => (a === null || b === null ? a === b : inner.equals(a, b)),
  };
}

/** Reference values that the browser maps onto one of its own, with why. */
export type ChoiceAliases = Readonly<Record<string, { readonly to: string; readonly why: string }>>;

export function choice<const T extends string>(
  values: readonly T[],
  options: { readonly aliases?: ChoiceAliases; readonly allowed?: string } = {},
): ValueType<T> {
  const allowed = options.allowed ?? `one of: ${values.join(', ')}`;
  const known = new Map<string, T>(values.map((v) => [v, v]));
  const aliases = new Map(Object.entries(options.aliases ?? {}));
  const pick = (raw: string): ParseResult<T> => {
    const exact = known.get(raw);
    if (exact !== undefined) return ok(exact);
    const alias = aliases.get(raw);
    const target = alias && known.get(alias.to);
    if (alias && target !== undefined) return ok(target, `${showValue(raw)} is taken as ${showValue(target)}: ${alias.why}`);
    return fail(`${showValue(raw)} is not allowed (expected ${allowed})`);
  };
  return {
    kind: 'choice',
    allowed,
    optional: false,
    values,
    fromText: (value) => pick(value.trim()),
    fromJson: (value) => (typeof value === 'string' ? pick(value) : fail(`${jsonTypeName(value)} is not allowed (expected ${allowed})`)),
    toText: (value) => value,
    toJson: (value) => value,
    equals: identical,
  };
}

/** Any absolute http(s) URL; with `allowPath`, also a path on the page's own origin ("/models/"). */
export function baseUrl(options: { readonly allowPath?: boolean } = {}): ValueType<string> {
  const allowed = options.allowPath
    ? 'an http(s) URL, or a path on this site starting with /'
    : 'an http(s) URL such as http://localhost:8000/v1';
  return url(['http:', 'https:'], allowed, options.allowPath ?? false);
}

/** A model's hub id (`org/name`), never an address (see modelPaths). */
export function modelId(): ValueType<string> {
  return text({ nonEmpty: true, allowed: 'a model id such as onnx-community/whisper-base', check: modelIdProblem });
}

/** A model file: an http(s) URL, or `<org>/<model>/<file>` under the models location (see modelPaths). */
export function modelPath(): ValueType<string> {
  return text({ nonEmpty: true, allowed: 'an http(s) URL, or <org>/<model>/<file> under the models location', check: modelPathProblem });
}

/** A WebSocket URL (ws: or wss:), such as a Realtime server's ws://127.0.0.1:8765/v1/realtime. */
export function webSocketUrl(): ValueType<string> {
  return url(['ws:', 'wss:'], 'a ws:// or wss:// URL such as ws://127.0.0.1:8765/v1/realtime', false);
}

function url(protocols: readonly string[], allowed: string, allowPath: boolean): ValueType<string> {
  return text({
    nonEmpty: true,
    allowed,
    check(value) {
      if (/\s/.test(value)) return 'contains spaces';
      if (allowPath && value.startsWith('/') && !value.startsWith('//')) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        return 'is not a URL';
      }
      if (!protocols.includes(parsed.protocol)) return `uses ${parsed.protocol}, not ${protocols.join(' or ')}`;
      // Credentials in a URL would travel into exports and logs; keys have their own setting.
      if (parsed.username || parsed.password) return 'has a user name or password in it; put the key in the API key setting instead';
      return undefined;
    },
  });
}

/** http(s) URLs separated by spaces or commas (MCP servers); empty: none. */
export function urlList(): ValueType<string> {
  const one = baseUrl();
  return text({
    allowed: 'http(s) URLs separated by spaces, such as http://localhost:3000/mcp',
    check(value) {
      for (const item of splitUrlList(value)) {
        const checked = one.fromText(item);
        if (!checked.ok) return `${item} ${checked.error}`;
      }
      return undefined;
    },
  });
}

/** The URLs of a `urlList` value, in order, each once. */
export function splitUrlList(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((item) => item !== ''))];
}

/** A whole number that must be one of `values` (sample rates a protocol allows). */
export function intOneOf(values: readonly number[]): ValueType<number> {
  const allowed = `one of: ${values.join(', ')}`;
  const inner = int();
  const check = (result: ParseResult<number>): ParseResult<number> =>
    result.ok && !values.includes(result.value) ? fail(`${result.value} is not allowed (expected ${allowed})`) : result;
  return { ...inner, allowed, fromText: (value) => check(inner.fromText(value)), fromJson: (value) => check(inner.fromJson(value)) };
}

export type GenKwargs = Readonly<Record<string, JsonValue>>;

/** Names that `*_gen_<name>` keys may use; also keeps `__proto__` and friends out. */
export const GEN_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/**
 * Reads one `*_gen_<name>` value written as text: JSON where it parses as JSON (numbers, booleans,
 * lists such as stop sequences), otherwise the text itself.
 */
export function genValueFromText(raw: string): JsonValue {
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}

/** Writes one `*_gen_<name>` value as text that `genValueFromText` reads back unchanged. */
export function genValueToText(value: JsonValue): string {
  if (typeof value === 'string') {
    const reread = genValueFromText(value);
    return typeof reread === 'string' && reread === value ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 8) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value === 'object') {
    return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every((item) => isJsonValue(item, depth + 1));
  }
  return false;
}

/**
 * Extra generation options forwarded to the model call, stored under their short name
 * (`top_p` for `--llm_gen_top_p`). In the settings panel they are edited as one JSON object.
 */
export function genKwargs(prefix: string, ownSettings: readonly string[]): ValueType<GenKwargs> {
  const allowed = 'a JSON object of generation options, such as {"top_p": 0.9}';
  // Options with a setting of their own (llm_gen_temperature) are set there, so the two never disagree.
  const reserved = new Set([...ownSettings, 'kwargs']);
  const check = (value: unknown): ParseResult<GenKwargs> => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fail(`${jsonTypeName(value)} is not a JSON object (expected ${allowed})`);
    }
    const entries: [string, JsonValue][] = [];
    for (const [name, item] of Object.entries(value)) {
      if (!GEN_NAME_PATTERN.test(name)) return fail(`${showValue(name)} is not a generation option name (lower-case letters, digits and _)`);
      if (reserved.has(name)) return fail(`${showValue(name)} has a setting of its own, ${prefix}${name}`);
      if (!isJsonValue(item)) return fail(`the value of ${showValue(name)} is not plain JSON`);
      entries.push([name, item]);
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return ok(Object.fromEntries(entries));
  };
  return {
    kind: 'genKwargs',
    allowed,
    optional: false,
    fromText(value) {
      if (value.trim() === '') return ok({});
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return fail(`${showValue(value)} is not valid JSON (expected ${allowed})`);
      }
      return check(parsed);
    },
    fromJson: check,
    toText: (value) => (Object.keys(value).length === 0 ? '' : JSON.stringify(value)),
    toJson: (value) => ({ ...value }),
    equals: (a, b) => canonicalJson(a) === canonicalJson(b),
  };
}
