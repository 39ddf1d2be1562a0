/**
 * The one settings table. Every setting the app has is one entry here, named as the reference's
 * command-line flag (without dashes) and with the reference's default unless its help says why
 * not. The store, the settings panel, validation and the command-line, JSON and URL codecs are all
 * derived from this table: a new argument is one new entry.
 */
import { LANGUAGE_CODES } from './languages';
import {
  baseUrl,
  bool,
  choice,
  float,
  genKwargs,
  int,
  intOneOf,
  modelId,
  modelPath,
  optional,
  text,
  urlList,
  type ChoiceAliases,
  type ValueType,
  webSocketUrl,
} from './valueTypes';

/** Sections of the settings panel, in the order shown. */
export const GROUPS = {
  assistant: 'Assistant',
  pipeline: 'Pipeline',
  realtime: 'Realtime server',
  listening: 'Listening and turn-taking',
  stt: 'Speech to text',
  llm: 'Language model',
  tts: 'Text to speech',
} as const;

export type GroupId = keyof typeof GROUPS;

/**
 * When a setting has an effect: every named setting must hold one of the listed values. Used to
 * show only the selected backends' settings and to warn about flags of backends not selected.
 */
export type AppliesTo = Readonly<Record<string, readonly (string | boolean)[]>>;

/**
 * When a change takes effect: at once; from the next reply (the language model and the voice are
 * set up for each reply); or when listening next starts (the microphone, the VAD and speech to
 * text are set up at start, so changing them in the middle of a turn could lose it).
 */
export type SettingEffect = 'now' | 'next-reply' | 'next-start';

/** The settings that name where an API key is sent. */
export type EndpointKey = 'responses_api_base_url' | 'openai_stt_base_url' | 'openai_tts_base_url' | 'talk_url' | 'mcp_servers';

export interface SettingEntry<V> {
  readonly label: string;
  readonly group: GroupId;
  readonly effect: SettingEffect;
  readonly type: ValueType<V>;
  readonly default: V;
  readonly help: string;
  readonly appliesTo?: AppliesTo;
  /** An API key: kept out of every export, URL and log. */
  readonly secret?: boolean;
  /** An API key's endpoint: the key is sent there only (see keyBinding). */
  readonly keyFor?: EndpointKey;
  /**
   * Names a host the page sends to or downloads from, and what of the user's goes there: a link
   * or an import may point it at a host only once the user confirms that host (see hostConsent).
   */
  readonly destination?: string;
  /** Shown as a multi-line text area in the panel. */
  readonly multiline?: boolean;
  /** For `*_gen_*` collections: the flag prefix each extra option is written with. */
  readonly genPrefix?: string;
  /** Values offered in the panel for a free-text setting, with a note each. */
  readonly suggestions?: readonly { readonly value: string; readonly note: string }[];
}

/** An entry whose value type comes from its `type` alone (a choice stays a union of its values). */
const entry = <V>(value: Omit<SettingEntry<V>, 'default'> & { readonly default: NoInfer<V> }): SettingEntry<V> => value;

const DEVICE_VALUES = ['auto', 'webgpu', 'wasm'] as const;
/** Reference device names, so a pasted reference command line keeps working. */
const DEVICE_ALIASES: ChoiceAliases = {
  cuda: { to: 'webgpu', why: 'the browser reaches the GPU through WebGPU' },
  mps: { to: 'webgpu', why: 'the browser reaches the GPU through WebGPU' },
  cpu: { to: 'wasm', why: 'the browser runs on the CPU through WebAssembly' },
};
const device = () => choice(DEVICE_VALUES, { aliases: DEVICE_ALIASES });

const DTYPE_VALUES = ['auto', 'fp32', 'fp16', 'q8', 'q4', 'q4f16'] as const;
const DTYPE_ALIASES: ChoiceAliases = {
  float32: { to: 'fp32', why: 'the browser names this dtype fp32' },
  float16: { to: 'fp16', why: 'the browser names this dtype fp16' },
  bfloat16: { to: 'fp16', why: 'browsers have no bfloat16; fp16 is the nearest' },
  int8: { to: 'q8', why: 'the browser names 8-bit quantized weights q8' },
};
const dtype = () => choice(DTYPE_VALUES, { aliases: DTYPE_ALIASES });

const WHISPER_ALIAS_WHY = 'the browser runs Whisper through transformers.js in its place';
const KOKORO_ALIAS_WHY = 'this TTS does not run in a browser yet; Kokoro is used instead';

const language = () => choice(LANGUAGE_CODES, { allowed: 'a Whisper language code such as en, fr, de or zh' });

const TRANSFORMERS_ONLY: AppliesTo = { llm_backend: ['transformers'] };
const API_LLMS: AppliesTo = { llm_backend: ['responses-api', 'chat-completions'] };
const AUDIO_INPUT: AppliesTo = { stt: ['none'], llm_backend: ['chat-completions'] };
const WHISPER: AppliesTo = { stt: ['whisper'] };
const OPENAI_STT: AppliesTo = { stt: ['openai'] };
const SMART_TURN: AppliesTo = { smart_turn: [true] };
const KOKORO: AppliesTo = { tts: ['kokoro'] };
const MMS: AppliesTo = { tts: ['facebookMMS'] };
const OPENAI_TTS: AppliesTo = { tts: ['openai'] };
const WEB_SPEECH: AppliesTo = { tts: ['web-speech'] };
const REALTIME: AppliesTo = { pipeline: ['realtime'] };
/** The sample rates the reference's `talk` client sends and receives at. */
const TALK_RATES = [16_000, 24_000];

export const SCHEMA = {
  // --- Assistant: what the user changes first.
  init_chat_prompt: entry({
    label: 'System prompt',
    group: 'assistant',
    effect: 'next-reply',
    type: text(),
    multiline: true,
    default:
      'You are a helpful and friendly AI assistant. You are polite, respectful, and aim to provide concise responses of less than 20 words.',
    help: 'The instructions the assistant follows, sent as the first message of every conversation.',
  }),

  push_to_talk: entry({
    label: 'Push to talk',
    group: 'assistant',
    effect: 'now',
    type: bool(),
    default: false,
    help: 'Hold the talk button or the space bar while you speak; letting go ends your turn at once. Voice activity still trims the silence. Off: the page listens all the time and finds your turns itself. (Browser addition.)',
  }),
  thinking_cue: entry({
    label: 'Thinking sound',
    group: 'assistant',
    effect: 'now',
    type: bool(),
    default: true,
    help: 'A soft sound while the assistant has your turn but is not speaking yet, so you know you were heard. (Browser addition.)',
  }),
  thinking_cue_after_ms: entry({
    label: 'Thinking sound after',
    group: 'assistant',
    effect: 'now',
    type: int({ min: 0, max: 60_000 }),
    default: 1200,
    appliesTo: { thinking_cue: [true] },
    help: 'Milliseconds of silence, once the assistant has your turn, before the thinking sound starts. (Browser addition.)',
  }),

  builtin_tools: entry({
    label: 'Built-in tools',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: false,
    help: 'Offer the model the tools the page has itself: the current date, time and time zone, and timers ("remind me in ten minutes": a sound and a notification when due). A tool that only reads (the time, the list of timers) runs at once; one that acts (setting or cancelling a timer) is shown to you first. Off, as the reference without --tool-module: the model is offered no tools. (Browser addition.)',
  }),
  mcp_servers: entry({
    label: 'MCP servers',
    group: 'llm',
    effect: 'next-reply',
    type: urlList(),
    default: '',
    destination: 'the arguments of the tools you allow (your words, as the model put them)',
    help: 'MCP servers (Streamable HTTP) whose tools the model is offered, as URLs separated by spaces, such as http://localhost:3000/mcp. Their tools are listed at Start; each call is shown to you and runs only once you allow it. A server reached from a page must allow this site (CORS) and expose the mcp-session-id header. (Browser addition, like --tool-module.)',
  }),
  mcp_api_key: entry({
    label: 'MCP token',
    group: 'llm',
    effect: 'next-reply',
    type: optional(text()),
    default: null,
    secret: true,
    keyFor: 'mcp_servers',
    help: 'A bearer token for the MCP servers, sent only to the servers listed when it was entered, and never exported.',
  }),
  keep_conversations: entry({
    label: 'Keep conversations in this browser',
    group: 'assistant',
    effect: 'now',
    type: bool(),
    default: true,
    help: 'Each exchange is saved in this browser (IndexedDB) as it finishes, so a reload keeps the conversation and Conversations lists the earlier ones to continue or delete. Nothing of it leaves the device. Off: nothing more is saved (what was kept stays until you delete it there). (Browser addition.)',
  }),

  // --- Pipeline: which backend runs each stage, and what is shared.
  pipeline: entry({
    label: 'Where the pipeline runs',
    group: 'pipeline',
    effect: 'next-start',
    type: choice(['local', 'realtime']),
    default: 'local',
    help: 'local: this page runs voice detection, speech to text, the language model and the voice, as speech-to-speech local does. realtime: a speech-to-speech Realtime server runs them (speech-to-speech serve, on a GPU machine) and the page is its client, as speech-to-speech talk; nothing is downloaded into the page. (Browser addition: the reference picks this by its command.)',
  }),

  // --- Realtime server: the reference's `talk` client flags (speech-to-speech talk --url ...).
  talk_url: entry({
    label: 'Server URL',
    group: 'realtime',
    effect: 'next-start',
    type: webSocketUrl(),
    default: 'ws://127.0.0.1:8765/v1/realtime',
    appliesTo: REALTIME,
    destination: 'your voice, your words and the replies',
    help: 'The Realtime WebSocket endpoint of a speech-to-speech server, including /v1/realtime (talk --url).',
  }),
  talk_transport: entry({
    label: 'Transport',
    group: 'realtime',
    effect: 'next-start',
    type: choice(['websocket', 'webrtc']),
    default: 'websocket',
    appliesTo: REALTIME,
    help: 'websocket: audio and events over the WebSocket above. webrtc: audio over WebRTC, negotiated at the same server’s /v1/realtime/calls (servers installed with the [webrtc] extra; a server on another origin needs a same-origin proxy for it, see the README). (Browser addition.)',
  }),
  talk_model: entry({
    label: 'Model string',
    group: 'realtime',
    effect: 'next-start',
    type: text({ nonEmpty: true }),
    default: 'local',
    appliesTo: REALTIME,
    help: 'The model string the client sends; a speech-to-speech server ignores it (talk --model).',
  }),
  talk_api_key: entry({
    label: 'API key',
    group: 'realtime',
    effect: 'next-start',
    type: optional(text()),
    default: null,
    secret: true,
    keyFor: 'talk_url',
    appliesTo: REALTIME,
    help: 'Sent only to the server URL above and never exported (talk --api-key). A speech-to-speech server checks none. Never a standard OpenAI key: see the README.',
  }),
  talk_voice: entry({
    label: 'Voice',
    group: 'realtime',
    effect: 'next-start',
    type: optional(text()),
    default: null,
    appliesTo: REALTIME,
    help: 'The session’s output voice, one the server’s TTS knows (for example af_heart with Kokoro); empty: the server’s default (talk --voice).',
  }),
  talk_instructions: entry({
    label: 'Instructions',
    group: 'realtime',
    effect: 'next-start',
    type: optional(text()),
    default: null,
    multiline: true,
    appliesTo: REALTIME,
    help: 'The session’s instructions (talk --instructions); empty: the system prompt above is sent as the instructions.',
  }),
  talk_send_rate: entry({
    label: 'Send rate',
    group: 'realtime',
    effect: 'next-start',
    type: intOneOf(TALK_RATES),
    default: 16_000,
    appliesTo: REALTIME,
    help: 'Sample rate of the microphone audio sent to the server, in Hz (talk --send-rate).',
  }),
  talk_recv_rate: entry({
    label: 'Receive rate',
    group: 'realtime',
    effect: 'next-start',
    type: intOneOf(TALK_RATES),
    default: 16_000,
    appliesTo: REALTIME,
    help: 'Sample rate the server sends the assistant’s voice at, in Hz (talk --recv-rate).',
  }),
  talk_block_mic_during_playback: entry({
    label: 'Mute the microphone while the assistant speaks',
    group: 'realtime',
    effect: 'next-start',
    type: bool(),
    default: false,
    appliesTo: REALTIME,
    help: 'Half duplex: the server hears silence while a reply plays, so you cannot interrupt it (talk --block-mic-during-playback).',
  }),
  talk_connection_retry_timeout: entry({
    label: 'Wait for the server',
    group: 'realtime',
    effect: 'next-start',
    type: float({ min: 0, max: 3600 }),
    default: 30,
    appliesTo: REALTIME,
    help: 'Seconds to keep trying while the server cannot be reached, with a countdown (talk --connection-retry-timeout).',
  }),

  stt: entry({
    label: 'Speech to text',
    group: 'pipeline',
    effect: 'next-start',
    type: choice(['whisper', 'openai', 'none'], {
      aliases: {
        'parakeet-tdt': { to: 'whisper', why: 'Parakeet does not run in a browser yet; ' + WHISPER_ALIAS_WHY },
        'faster-whisper': { to: 'whisper', why: WHISPER_ALIAS_WHY },
        'whisper-mlx': { to: 'whisper', why: WHISPER_ALIAS_WHY },
        'mlx-audio-whisper': { to: 'whisper', why: WHISPER_ALIAS_WHY },
        paraformer: { to: 'whisper', why: 'Paraformer does not run in a browser; ' + WHISPER_ALIAS_WHY },
      },
    }),
    default: 'whisper',
    help: 'whisper runs in this page; openai posts each utterance to an OpenAI-compatible /audio/transcriptions endpoint; none sends the audio itself to an audio-capable chat-completions model. (The reference defaults to parakeet-tdt, which has no browser build yet.)',
  }),
  llm_backend: entry({
    label: 'Language model',
    group: 'pipeline',
    effect: 'next-reply',
    type: choice(['transformers', 'web-llm', 'responses-api', 'chat-completions'], {
      aliases: { 'mlx-lm': { to: 'web-llm', why: 'web-llm is the browser’s local compiled-kernel backend, as mlx-lm is on Apple Silicon' } },
    }),
    default: 'transformers',
    help: 'transformers and web-llm run the model in this page (web-llm needs WebGPU); responses-api and chat-completions stream from an OpenAI-compatible server. The reference defaults to responses-api; here the default stays on your device, so nothing leaves the page unless you choose an API.',
  }),
  tts: entry({
    label: 'Text to speech',
    group: 'pipeline',
    effect: 'next-reply',
    type: choice(['kokoro', 'facebookMMS', 'openai', 'web-speech'], {
      aliases: {
        qwen3: { to: 'kokoro', why: KOKORO_ALIAS_WHY },
        chatTTS: { to: 'kokoro', why: KOKORO_ALIAS_WHY },
        pocket: { to: 'kokoro', why: KOKORO_ALIAS_WHY },
        supertonic: { to: 'kokoro', why: KOKORO_ALIAS_WHY },
      },
    }),
    default: 'kokoro',
    help: 'kokoro and facebookMMS run in this page; openai posts to an OpenAI-compatible /audio/speech endpoint; web-speech uses the browser’s own voices (no download). The reference defaults to qwen3, which has no browser build yet.',
  }),
  device: entry({
    label: 'Device for every model',
    group: 'pipeline',
    effect: 'next-start',
    type: optional(device()),
    default: null,
    help: 'When set, overrides the device of every selected stage that has one: webgpu (the GPU), wasm (the CPU) or auto (probe the GPU once and choose per model). Empty: each stage uses its own device setting.',
  }),
  models_base_url: entry({
    label: 'Where models are downloaded from',
    group: 'pipeline',
    effect: 'next-start',
    type: baseUrl({ allowPath: true }),
    default: 'https://huggingface.co/',
    destination: 'every model download (the host sees which models this page loads)',
    help: 'The Hugging Face hub, or a folder in the hub’s layout (<org>/<model>/...) on your own server or on this site (such as /models/), for offline use.',
  }),
  enable_live_transcription: entry({
    label: 'Live transcription',
    group: 'pipeline',
    effect: 'next-start',
    type: bool(),
    default: true,
    help: 'Show partial transcripts while you speak.',
  }),
  live_transcription_update_interval: entry({
    label: 'Live transcription interval (s)',
    group: 'pipeline',
    effect: 'next-start',
    type: float({ min: 0.1, max: 10 }),
    default: 0.5,
    appliesTo: { enable_live_transcription: [true] },
    help: 'How often the partial transcript is refreshed while you speak, in seconds.',
  }),
  interrupt_response: entry({
    label: 'Interrupt by speaking',
    group: 'pipeline',
    effect: 'now',
    type: bool(),
    default: true,
    help: 'Speaking while the assistant talks or thinks cancels its reply (barge-in), as the reference’s turn_detection.interrupt_response.',
  }),
  backchannel_max_words: entry({
    label: 'Words a backchannel may have',
    group: 'pipeline',
    effect: 'now',
    type: int({ min: 0, max: 20 }),
    default: 2,
    help: 'Speech over the reply of at most this many words, not a question or an exclamation, and at most backchannel_max_ms long ("yeah, right", "okay") lets the reply go on and is not answered; anything else interrupts. 0: any confirmed speech interrupts at once, as the reference. (Browser addition, the rule of the reference’s PR #566.)',
  }),
  backchannel_max_ms: entry({
    label: 'Longest backchannel (ms)',
    group: 'pipeline',
    effect: 'now',
    type: int({ min: 0, max: 60_000 }),
    default: 2000,
    help: 'Speech over the reply longer than this interrupts as soon as it is this long, without waiting for its words. (Browser addition.)',
  }),
  local_audio_block_mic_during_playback: entry({
    label: 'Half duplex',
    group: 'pipeline',
    effect: 'now',
    type: bool(),
    default: false,
    help: 'Mute the microphone while the assistant speaks. Use it with loudspeakers that echo; it disables interrupting.',
  }),

  // --- Listening: the microphone, Silero VAD and Smart Turn.
  echo_cancellation: entry({
    label: 'Echo cancellation',
    group: 'listening',
    effect: 'next-start',
    type: bool(),
    default: true,
    help: 'The browser removes the assistant’s own voice from the microphone, so it does not interrupt itself on loudspeakers.',
  }),
  noise_suppression: entry({
    label: 'Noise suppression',
    group: 'listening',
    effect: 'next-start',
    type: bool(),
    default: true,
    help: 'The browser reduces steady background noise in the microphone.',
  }),
  auto_gain_control: entry({
    label: 'Automatic gain',
    group: 'listening',
    effect: 'next-start',
    type: bool(),
    default: true,
    help: 'The browser evens out the microphone level.',
  }),
  silero_vad_version: entry({
    label: 'Silero VAD version',
    group: 'listening',
    effect: 'next-start',
    type: choice(['v5', 'v6']),
    default: 'v5',
    help: 'v5, as the reference loads; v6 is newer. Both run in this page.',
  }),
  thresh: entry({
    label: 'Speech threshold',
    group: 'listening',
    effect: 'next-start',
    type: float({ min: 0, max: 1 }),
    default: 0.6,
    help: 'Silero speech probability above which audio counts as speech. A segment ends below thresh − 0.15.',
  }),
  min_silence_ms: entry({
    label: 'Silence to end a segment (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 64,
    help: 'Silence needed to close a speech segment.',
  }),
  min_speech_ms: entry({
    label: 'Speech to start a turn (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 384,
    help: 'Speech needed for a valid segment, for "speech started", and so for interrupting the assistant.',
  }),
  min_speech_continuation_ms: entry({
    label: 'Speech to continue a turn (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 192,
    help: 'Lower bar for speech that continues a turn that can still be reopened. Clamped to [100, min_speech_ms]; 0 turns it off.',
  }),
  max_speech_ms: entry({
    label: 'Longest segment (ms)',
    group: 'listening',
    effect: 'next-start',
    type: float({ min: 0, allowInfinity: true }),
    default: Infinity,
    help: 'A segment longer than this is discarded, not split. inf means no limit.',
  }),
  speech_pad_ms: entry({
    label: 'Pre-roll (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 10_000 }),
    default: 500,
    help: 'Audio kept from before speech was detected and prepended to the segment.',
  }),
  speculative_reopen_ms: entry({
    label: 'Reopen grace (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 800,
    help: 'After a segment ends, speaking again within this time reopens the same turn; the reply is held until it expires.',
  }),
  unanswered_reopen_ms: entry({
    label: 'Reopen an unanswered turn (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 600_000 }),
    default: 7000,
    help: 'Cap for reopening a turn that has not been answered yet. At least the reopen grace, and at least smart_turn_max_wait_ms with Smart Turn. Here a turn is answered as soon as its reply is released (the end of its grace), so the grace decides.',
  }),
  short_segment_merge_ms: entry({
    label: 'Merge short segments (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 500,
    help: 'If above 0, segments shorter than min_speech_ms (but with at least 100 ms of speech) are held and joined with the next one inside this window, so a short first word before a brief pause is kept. The reference’s default is 0 (such a word is dropped).',
  }),
  smart_turn: entry({
    label: 'Smart Turn',
    group: 'listening',
    effect: 'next-start',
    type: bool(),
    default: true,
    help: 'Use the Smart Turn v3.2 end-of-turn classifier; off, plain VAD ends the turn.',
  }),
  smart_turn_model_path: entry({
    label: 'Smart Turn model',
    group: 'listening',
    effect: 'next-start',
    type: optional(modelPath()),
    default: null,
    appliesTo: SMART_TURN,
    destination: 'the Smart Turn model download',
    help: 'An ONNX file (a URL, or a path under the models location); empty: pipecat-ai/smart-turn-v3/smart-turn-v3.2-cpu.onnx.',
  }),
  smart_turn_threshold: entry({
    label: 'Smart Turn threshold',
    group: 'listening',
    effect: 'next-start',
    type: float({ min: 0, max: 1 }),
    default: 0.5,
    appliesTo: SMART_TURN,
    help: 'The turn counts as complete when the classifier’s probability is above this.',
  }),
  smart_turn_max_wait_ms: entry({
    label: 'Wait on an incomplete turn (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 2000,
    appliesTo: SMART_TURN,
    help: 'How long the reply is held when Smart Turn says the turn is incomplete.',
  }),
  smart_turn_incomplete_delay_ms: entry({
    label: 'Delay on an incomplete turn (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 600,
    appliesTo: SMART_TURN,
    help: 'Delay before speech-to-text and the language model start on an incomplete turn.',
  }),
  smart_turn_confident_threshold: entry({
    label: 'Release early above',
    group: 'listening',
    effect: 'next-start',
    type: float({ min: 0, max: 1 }),
    default: 0.9,
    appliesTo: SMART_TURN,
    help: 'A turn Smart Turn calls complete with a probability above this is answered after smart_turn_confident_reopen_ms instead of speculative_reopen_ms. 1 turns it off, as the reference. (Browser addition.)',
  }),
  smart_turn_confident_reopen_ms: entry({
    label: 'Reopen grace when sure (ms)',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 0, max: 60_000 }),
    default: 300,
    appliesTo: SMART_TURN,
    help: 'The reopen grace of a turn Smart Turn is sure has ended (above smart_turn_confident_threshold); never longer than speculative_reopen_ms. (Browser addition.)',
  }),
  smart_turn_cpu_count: entry({
    label: 'Smart Turn threads',
    group: 'listening',
    effect: 'next-start',
    type: int({ min: 1, max: 16 }),
    default: 1,
    appliesTo: SMART_TURN,
    help: 'WebAssembly threads for the classifier (more than 1 needs a cross-origin isolated page).',
  }),

  // --- Speech to text.
  stt_model_name: entry({
    label: 'Whisper model',
    group: 'stt',
    effect: 'next-start',
    type: modelId(),
    default: 'onnx-community/whisper-base',
    appliesTo: WHISPER,
    suggestions: [
      { value: 'onnx-community/whisper-tiny.en', note: '39M parameters, English only' },
      { value: 'onnx-community/whisper-tiny', note: '39M parameters' },
      { value: 'onnx-community/whisper-base.en', note: '74M parameters, English only' },
      { value: 'onnx-community/whisper-base', note: '74M parameters' },
      { value: 'onnx-community/whisper-small.en', note: '244M parameters, English only' },
      { value: 'onnx-community/whisper-small', note: '244M parameters' },
      { value: 'onnx-community/whisper-large-v3-turbo', note: '809M parameters, WebGPU recommended' },
    ],
    help: 'A Whisper model in ONNX form on the hub: onnx-community/whisper-tiny(.en), whisper-base(.en), whisper-small(.en), whisper-large-v3-turbo, or any compatible id. (The reference’s distil-large-v3 is too large for most browsers.)',
  }),
  stt_device: entry({
    label: 'Whisper device',
    group: 'stt',
    effect: 'next-start',
    type: device(),
    default: 'auto',
    appliesTo: WHISPER,
    help: 'webgpu, wasm, or auto (WebGPU where it is usable and not a software fallback).',
  }),
  stt_torch_dtype: entry({
    label: 'Whisper weights',
    group: 'stt',
    effect: 'next-start',
    type: dtype(),
    default: 'auto',
    appliesTo: WHISPER,
    help: 'Weight precision; auto picks from the device (fp32 encoder with a quantized decoder on WebGPU, q8 on WASM).',
  }),
  language: entry({
    label: 'Language',
    group: 'stt',
    effect: 'next-start',
    type: choice(['auto', ...LANGUAGE_CODES], { allowed: 'auto, or a Whisper language code such as en, fr, de or zh' }),
    default: 'en',
    appliesTo: WHISPER,
    help: 'The language you speak, or auto to detect it for each utterance. .en models always hear English.',
  }),
  stt_gen_max_new_tokens: entry({
    label: 'Max tokens per utterance',
    group: 'stt',
    effect: 'next-start',
    type: int({ min: 1, max: 448 }),
    default: 128,
    appliesTo: WHISPER,
    help: 'Cap on the tokens Whisper generates for one utterance.',
  }),
  stt_gen_num_beams: entry({
    label: 'Beams',
    group: 'stt',
    effect: 'next-start',
    type: int({ min: 1, max: 16 }),
    default: 1,
    appliesTo: WHISPER,
    help: 'Beam search width; 1 is greedy and fastest.',
  }),
  stt_gen_return_timestamps: entry({
    label: 'Timestamps',
    group: 'stt',
    effect: 'next-start',
    type: bool(),
    default: false,
    appliesTo: WHISPER,
    help: 'Ask Whisper for timestamps.',
  }),
  stt_gen_task: entry({
    label: 'Task',
    group: 'stt',
    effect: 'next-start',
    type: choice(['transcribe', 'translate']),
    default: 'transcribe',
    appliesTo: WHISPER,
    help: 'transcribe keeps the spoken language; translate turns it into English.',
  }),
  stt_gen_kwargs: entry({
    label: 'More Whisper generation options',
    group: 'stt',
    effect: 'next-start',
    type: genKwargs('stt_gen_', ['max_new_tokens', 'num_beams', 'return_timestamps', 'task']),
    genPrefix: 'stt_gen_',
    default: {},
    appliesTo: WHISPER,
    help: 'Any other generate() option, forwarded as is. On the command line: --stt_gen_<name> <value>.',
  }),
  openai_stt_base_url: entry({
    label: 'Transcription server',
    group: 'stt',
    effect: 'next-start',
    type: baseUrl(),
    default: 'http://localhost:8000/v1',
    appliesTo: OPENAI_STT,
    destination: 'your recorded speech',
    help: 'Base URL including /v1; audio is posted to {base}/audio/transcriptions.',
  }),
  openai_stt_api_key: entry({
    label: 'Transcription API key',
    group: 'stt',
    effect: 'next-start',
    type: optional(text()),
    default: null,
    secret: true,
    keyFor: 'openai_stt_base_url',
    appliesTo: OPENAI_STT,
    help: 'Bearer token for the transcription server. Sent only to that server; never exported.',
  }),
  openai_stt_model: entry({
    label: 'Transcription model',
    group: 'stt',
    effect: 'next-start',
    type: text({ nonEmpty: true }),
    default: 'nvidia/parakeet-tdt-0.6b-v3',
    appliesTo: OPENAI_STT,
    help: 'The model field of the request (for example Qwen/Qwen3-ASR-1.7B on vLLM, or gpt-transcribe).',
  }),
  openai_stt_language: entry({
    label: 'Transcription language',
    group: 'stt',
    effect: 'next-start',
    type: optional(language()),
    default: null,
    appliesTo: OPENAI_STT,
    help: 'Language hint sent with each request; empty: the server detects it.',
  }),
  openai_stt_response_format: entry({
    label: 'Response format',
    group: 'stt',
    effect: 'next-start',
    type: choice(['json', 'text']),
    default: 'json',
    appliesTo: OPENAI_STT,
    help: 'json or text.',
  }),
  openai_stt_timeout: entry({
    label: 'Transcription timeout (s)',
    group: 'stt',
    effect: 'next-start',
    type: float({ min: 1, max: 600 }),
    default: 60,
    appliesTo: OPENAI_STT,
    help: 'How long to wait for one transcription.',
  }),

  // --- Language model, shared by every backend.
  model_name: entry({
    label: 'Model',
    group: 'llm',
    effect: 'next-reply',
    type: optional(text()),
    default: null,
    help: 'Model id (transformers: an ONNX model on the hub; web-llm: a model of its prebuilt list) or the provider’s model string. Empty: the backend’s default.',
  }),
  user_role: entry({
    label: 'User role',
    group: 'llm',
    effect: 'next-reply',
    type: text({ nonEmpty: true }),
    default: 'user',
    help: 'Role label of your messages.',
  }),
  init_chat_role: entry({
    label: 'System prompt role',
    group: 'llm',
    effect: 'next-reply',
    type: text({ nonEmpty: true }),
    default: 'system',
    help: 'Role under which the system prompt is sent (some models want developer).',
  }),
  chat_size: entry({
    label: 'Turns kept',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 1, max: 1000 }),
    default: 30,
    help: 'Your turns kept in the conversation before older ones are compacted or dropped (hard cap twice this).',
  }),
  stream_batch_sentences: entry({
    label: 'Sentences per speech chunk',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 1, max: 100 }),
    default: 3,
    help: 'Sentences gathered before they are spoken while the reply streams; 1 speaks sentence by sentence.',
  }),
  enable_lang_prompt: entry({
    label: 'Reply in my language',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: false,
    help: 'Add "Please reply to my message in <language>." when speech-to-text reports a language.',
  }),
  compact_history: entry({
    label: 'Compact history',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: true,
    help: 'Summarize older turns in the background with the same model, instead of dropping them.',
  }),
  llm_gen_max_new_tokens: entry({
    label: 'Max reply tokens',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 1, max: 131_072 }),
    default: 1024,
    help: 'Cap on the tokens of one reply.',
  }),
  llm_gen_min_new_tokens: entry({
    label: 'Min reply tokens',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 0, max: 131_072 }),
    default: 0,
    help: 'Least tokens of one reply.',
  }),
  llm_gen_temperature: entry({
    label: 'Temperature',
    group: 'llm',
    effect: 'next-reply',
    type: float({ min: 0, max: 2 }),
    default: 0,
    help: 'Sampling temperature; 0 is deterministic.',
  }),
  llm_gen_do_sample: entry({
    label: 'Sample',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: false,
    help: 'Sample tokens instead of always taking the most likely one.',
  }),
  llm_gen_kwargs: entry({
    label: 'More generation options',
    group: 'llm',
    effect: 'next-reply',
    type: genKwargs('llm_gen_', ['max_new_tokens', 'min_new_tokens', 'temperature', 'do_sample']),
    genPrefix: 'llm_gen_',
    default: {},
    help: 'Any other generation option (top_p, top_k, seed, stop, ...), forwarded to the model call or request. On the command line: --llm_gen_<name> <value>.',
  }),
  llm_device: entry({
    label: 'Model device',
    group: 'llm',
    effect: 'next-reply',
    type: device(),
    default: 'auto',
    appliesTo: TRANSFORMERS_ONLY,
    help: 'webgpu, wasm, or auto. (web-llm always runs on WebGPU.)',
  }),
  llm_torch_dtype: entry({
    label: 'Model weights',
    group: 'llm',
    effect: 'next-reply',
    type: dtype(),
    default: 'auto',
    appliesTo: TRANSFORMERS_ONLY,
    help: 'Weight precision; auto picks q4f16 where the GPU has shader-f16, q4 on other GPUs and q8 on WASM.',
  }),
  responses_api_base_url: entry({
    label: 'API base URL',
    group: 'llm',
    effect: 'next-reply',
    type: optional(baseUrl()),
    default: null,
    appliesTo: API_LLMS,
    destination: 'your words and the conversation so far',
    help: 'OpenAI-compatible server, such as http://localhost:8000/v1 (vLLM), http://127.0.0.1:8080/v1 (llama.cpp) or https://router.huggingface.co/v1. Empty: OpenAI.',
  }),
  responses_api_api_key: entry({
    label: 'API key',
    group: 'llm',
    effect: 'next-reply',
    type: optional(text()),
    default: null,
    secret: true,
    keyFor: 'responses_api_base_url',
    appliesTo: API_LLMS,
    help: 'Provider key, sent only to the API base URL and never exported. Empty with a local server: "none" is sent.',
  }),
  responses_api_stream: entry({
    label: 'Stream',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: true,
    appliesTo: API_LLMS,
    help: 'Stream the reply and speak it sentence batch by sentence batch; off, wait for the whole reply.',
  }),
  responses_api_disable_thinking: entry({
    label: 'Disable thinking',
    group: 'llm',
    effect: 'next-reply',
    type: bool(),
    default: true,
    appliesTo: API_LLMS,
    help: 'For non-OpenAI servers, send chat_template_kwargs.enable_thinking=false (only when no reasoning effort is set).',
  }),
  responses_api_reasoning_effort: entry({
    label: 'Reasoning effort',
    group: 'llm',
    effect: 'next-reply',
    type: optional(choice(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'])),
    default: null,
    appliesTo: API_LLMS,
    help: 'Sent as reasoning.effort (responses-api) or reasoning_effort (chat-completions). Empty: none for responses-api, not sent for chat-completions.',
  }),
  responses_api_audio_max_tokens: entry({
    label: 'Audio request max tokens',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 1, max: 131_072 }),
    default: 256,
    appliesTo: AUDIO_INPUT,
    help: 'max_tokens of requests that carry your audio (stt none).',
  }),
  responses_api_audio_temperature: entry({
    label: 'Audio request temperature',
    group: 'llm',
    effect: 'next-reply',
    type: float({ min: 0, max: 2 }),
    default: 0,
    appliesTo: AUDIO_INPUT,
    help: 'Temperature of requests that carry your audio (stt none).',
  }),
  responses_api_audio_content_type: entry({
    label: 'Audio content type',
    group: 'llm',
    effect: 'next-reply',
    type: choice(['input_audio', 'audio_url']),
    default: 'input_audio',
    appliesTo: AUDIO_INPUT,
    help: 'input_audio (base64 WAV) or audio_url (a data URL), whichever the server accepts.',
  }),
  responses_api_audio_history_turns: entry({
    label: 'Audio turns kept',
    group: 'llm',
    effect: 'next-reply',
    type: int({ min: 0, max: 100 }),
    default: 1,
    appliesTo: AUDIO_INPUT,
    help: 'Your latest turns kept as audio; older ones become a placeholder.',
  }),

  // --- Text to speech.
  kokoro_model_name: entry({
    label: 'Kokoro model',
    group: 'tts',
    effect: 'next-reply',
    type: optional(modelId()),
    default: null,
    appliesTo: KOKORO,
    help: 'Empty: onnx-community/Kokoro-82M-v1.0-ONNX.',
  }),
  kokoro_device: entry({
    label: 'Kokoro device',
    group: 'tts',
    effect: 'next-reply',
    type: device(),
    default: 'auto',
    appliesTo: KOKORO,
    help: 'webgpu (fp32), wasm (q8), or auto.',
  }),
  kokoro_voice: entry({
    label: 'Voice',
    group: 'tts',
    effect: 'next-reply',
    type: text({
      nonEmpty: true,
      allowed: 'a Kokoro voice id such as bm_fable, af_heart or am_michael',
      check: (value) => (/^[a-z]{2}_[a-z0-9]+$/.test(value) ? undefined : 'is not a voice id'),
    }),
    default: 'bm_fable',
    appliesTo: KOKORO,
    help: 'Kokoro voice id; the first letter is the accent (a US, b UK), the second the gender.',
  }),
  kokoro_lang_code: entry({
    label: 'Accent',
    group: 'tts',
    effect: 'next-reply',
    type: choice(['a', 'b', 'e', 'f', 'h', 'i', 'j', 'p', 'z']),
    default: 'b',
    appliesTo: KOKORO,
    help: 'a US English, b UK English, e Spanish, f French, h Hindi, i Italian, j Japanese, p Portuguese, z Chinese. Follows the language speech-to-text reports, with a default voice per language.',
  }),
  kokoro_speed: entry({
    label: 'Speed',
    group: 'tts',
    effect: 'next-reply',
    type: float({ min: 0.5, max: 2 }),
    default: 1,
    appliesTo: KOKORO,
    help: 'Speaking speed multiplier.',
  }),
  facebook_mms_model_name: entry({
    label: 'MMS model',
    group: 'tts',
    effect: 'next-reply',
    type: optional(modelId()),
    default: null,
    appliesTo: MMS,
    help: 'Empty: Xenova/mms-tts-<iso3> for the current language.',
  }),
  tts_language: entry({
    label: 'MMS language',
    group: 'tts',
    effect: 'next-reply',
    type: language(),
    default: 'en',
    appliesTo: MMS,
    help: 'Initial language; the model is reloaded when speech-to-text reports another one.',
  }),
  facebook_mms_device: entry({
    label: 'MMS device',
    group: 'tts',
    effect: 'next-reply',
    type: device(),
    default: 'auto',
    appliesTo: MMS,
    help: 'webgpu, wasm, or auto.',
  }),
  facebook_mms_torch_dtype: entry({
    label: 'MMS weights',
    group: 'tts',
    effect: 'next-reply',
    type: dtype(),
    default: 'auto',
    appliesTo: MMS,
    help: 'Weight precision; auto picks from the device.',
  }),
  openai_tts_base_url: entry({
    label: 'Speech server',
    group: 'tts',
    effect: 'next-reply',
    type: baseUrl(),
    default: 'http://localhost:8000/v1',
    appliesTo: OPENAI_TTS,
    destination: 'the replies’ text',
    help: 'Base URL including /v1; text is posted to {base}/audio/speech.',
  }),
  openai_tts_api_key: entry({
    label: 'Speech API key',
    group: 'tts',
    effect: 'next-reply',
    type: optional(text()),
    default: null,
    secret: true,
    keyFor: 'openai_tts_base_url',
    appliesTo: OPENAI_TTS,
    help: 'Bearer token for the speech server. Sent only to that server; never exported.',
  }),
  openai_tts_model: entry({
    label: 'Speech model',
    group: 'tts',
    effect: 'next-reply',
    type: text({ nonEmpty: true }),
    default: 'tts-1',
    appliesTo: OPENAI_TTS,
    help: 'The model field of the request.',
  }),
  openai_tts_voice: entry({
    label: 'Speech voice',
    group: 'tts',
    effect: 'next-reply',
    type: text({ nonEmpty: true }),
    default: 'alloy',
    appliesTo: OPENAI_TTS,
    help: 'The voice field of the request.',
  }),
  openai_tts_response_format: entry({
    label: 'Audio format',
    group: 'tts',
    effect: 'next-reply',
    type: choice(['pcm', 'wav', 'mp3', 'opus', 'aac', 'flac']),
    default: 'pcm',
    appliesTo: OPENAI_TTS,
    help: 'pcm (raw 24 kHz 16-bit) streams best; the others are decoded by the browser.',
  }),
  web_speech_voice: entry({
    label: 'Browser voice',
    group: 'tts',
    effect: 'next-reply',
    type: optional(text()),
    default: null,
    appliesTo: WEB_SPEECH,
    help: 'Name of one of the browser’s speechSynthesis voices; empty: its default voice.',
  }),
  web_speech_rate: entry({
    label: 'Browser voice rate',
    group: 'tts',
    effect: 'next-reply',
    type: float({ min: 0.1, max: 10 }),
    default: 1,
    appliesTo: WEB_SPEECH,
    help: 'Speaking rate of the browser voice.',
  }),
};

export type SettingKey = keyof typeof SCHEMA;

type ValueOf<E> = E extends SettingEntry<infer V> ? V : never;

/** Every setting's value, typed from the table. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SCHEMA)[K]> };

/** The table as a list, in panel order. */
export const SETTING_KEYS = Object.keys(SCHEMA) as SettingKey[];

/** A deployment's own defaults, checked when the site was built (siteSettings.ts); null for none. */
declare const __SITE_SETTINGS__: Readonly<Record<string, unknown>> | null | undefined;
const SITE_DEFAULTS: Readonly<Record<string, unknown>> = (typeof __SITE_SETTINGS__ === 'undefined' ? null : __SITE_SETTINGS__) ?? {};

/** The entry with the site's default in place of its own, where the site gives one. */
export function withSiteDefault(key: string, entry: SettingEntry<unknown>, site: Readonly<Record<string, unknown>>): SettingEntry<unknown> {
  if (!Object.hasOwn(site, key)) return entry;
  const value = entry.type.fromJson(site[key]);
  return value.ok ? { ...entry, default: value.value } : entry;
}

/** Looks a name up without ever touching Object.prototype (`__proto__`, `constructor`, ...). */
const ENTRIES = new Map<string, SettingEntry<unknown>>((Object.entries(SCHEMA) as [string, SettingEntry<unknown>][]).map(([key, entry]) => [key, withSiteDefault(key, entry, SITE_DEFAULTS)]));

export function isSettingKey(name: string): name is SettingKey {
  return ENTRIES.has(name);
}

export function entryOf(key: SettingKey): SettingEntry<unknown> {
  return ENTRIES.get(key) as SettingEntry<unknown>;
}

export function defaultSettings(): Settings {
  const settings: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = entryOf(key).default;
    settings[key] = typeof value === 'object' && value !== null ? { ...value } : value;
  }
  return settings as Settings;
}

/** The settings a stage or worker uses, and nothing else: what crosses a boundary is chosen by key. */
export function pickSettings<S extends Partial<Settings>, K extends keyof S & SettingKey>(settings: S, keys: readonly K[]): Pick<S, K> {
  const picked: Partial<Pick<S, K>> = {};
  for (const key of keys) picked[key] = settings[key];
  return picked as Pick<S, K>;
}

/** The settings that name a host the page sends to or downloads from. */
export const DESTINATION_KEYS = SETTING_KEYS.filter((key) => entryOf(key).destination !== undefined);

/** The settings whose changes wait for the next start. */
export const NEXT_START_KEYS = SETTING_KEYS.filter((key) => entryOf(key).effect === 'next-start');

/** The API keys, each with the setting that names its endpoint. */
export const SECRET_KEYS = SETTING_KEYS.filter((key) => entryOf(key).secret);

/** The genKwargs entries, by the flag prefix their options are written with. */
export const GEN_KWARGS_KEYS = SETTING_KEYS.filter((key) => entryOf(key).genPrefix !== undefined);

/** True when the setting has an effect with the current selection of backends and switches. */
export function isActive(key: SettingKey, settings: Settings): boolean {
  const appliesTo = entryOf(key).appliesTo;
  if (!appliesTo) return true;
  return Object.entries(appliesTo).every(([name, values]) =>
    isSettingKey(name) ? values.includes(settings[name] as string | boolean) : false,
  );
}

/** "stt is openai", "stt is none and llm_backend is chat-completions": when a setting applies. */
export function describeAppliesTo(key: SettingKey): string {
  const appliesTo = entryOf(key).appliesTo ?? {};
  return Object.entries(appliesTo)
    .map(([name, values]) => `${name} is ${values.map(String).join(' or ')}`)
    .join(' and ');
}
