/**
 * The one place a pipeline's events become what the page shows: each event, whichever pipeline
 * sent it, is written into the stores the components read.
 */
import type { PipelineEvent } from '../pipeline/pipeline';
import type { ConversationStore } from './conversationStore';
import type { ListeningStore } from './listeningStore';
import type { NoticesStore } from './noticesStore';
import { updateTurn, type TranscriptStore } from './transcriptStore';
import type { VoiceStore } from './voiceStore';

/** How many of the latest soft ends of turns the page keeps to show. */
const KEPT_SEGMENTS = 24;
/** How long the page says "Interrupted" after the user spoke over the assistant. */
export const INTERRUPTED_MS = 2000;

export interface ProjectedStores {
  readonly notices: NoticesStore;
  readonly listening: ListeningStore;
  readonly transcripts: TranscriptStore;
  readonly conversation: ConversationStore;
  readonly voice: VoiceStore;
}

export interface Projector {
  readonly project: (event: PipelineEvent) => void;
  /** Clears what only lasts a moment (the "Interrupted" flag). */
  readonly reset: () => void;
}

export function pipelineProjector(stores: ProjectedStores): Projector {
  const { listening, transcripts, conversation, voice, notices } = stores;
  let interruptedTimer: ReturnType<typeof setTimeout> | null = null;
  const clearInterrupted = () => {
    if (interruptedTimer !== null) clearTimeout(interruptedTimer);
    interruptedTimer = null;
    if (conversation.getState().interrupted) conversation.setState({ interrupted: false });
  };
  const model = (change: Partial<ReturnType<ConversationStore['getState']>['model']>) => conversation.setState((state) => ({ model: { ...state.model, ...change } }));

  const project = (event: PipelineEvent): void => {
    switch (event.kind) {
      case 'listening':
        listening.setState({
          status: event.status,
          detail: event.detail ?? null,
          ...(event.sampleRate === undefined ? {} : { sampleRate: event.sampleRate }),
          ...(event.status === 'starting' || event.status === 'suspended' ? {} : { download: null }),
        });
        return;
      case 'listening_download':
        listening.setState({ download: event.progress });
        return;
      case 'listening_notice':
        listening.setState({ notice: event.message });
        return;
      case 'level':
        listening.setState((state) => ({ level: event.rms, probability: event.probability, framesHeard: state.framesHeard + 1 }));
        return;
      case 'user_started_speaking':
        listening.setState({ userSpeaking: true });
        // The turn shows as soon as its speech starts; its words follow.
        updateTurn(transcripts, event.turn, event.revision, {});
        return;
      case 'user_stopped_speaking':
        listening.setState({ userSpeaking: false });
        return;
      case 'segment':
        // The recent soft ends only: a long session stays flat.
        listening.setState((state) => ({ segments: [...state.segments.slice(1 - KEPT_SEGMENTS), event.segment] }));
        return;
      case 'turn_released':
        listening.setState((state) => ({
          segments: state.segments.map((segment) => (segment.turn === event.turn && segment.revision === event.revision ? { ...segment, released: true } : segment)),
        }));
        return;
      case 'microphone_switched':
        listening.setState({ notice: event.message, microphoneId: null });
        return;
      case 'microphones':
        listening.setState({ microphones: event.microphones });
        return;
      case 'user_transcript':
        if (event.final) updateTurn(transcripts, event.turn, event.revision, { final: event.text, language: event.language ?? null, inferenceMs: event.inferenceMs ?? null });
        else updateTurn(transcripts, event.turn, event.revision, { partial: event.text });
        return;
      case 'backchannel':
        updateTurn(transcripts, event.turn, 'latest', { backchannel: true });
        return;
      case 'stage': {
        const detail = event.detail ?? null;
        const fresh = event.status === 'loading' || event.status === 'off' ? { files: {} } : {};
        if (event.stage === 'stt') transcripts.setState({ status: event.status, detail, ...fresh, ...(event.status === 'ready' && event.label !== undefined ? { runtime: event.label } : {}), ...(event.status === 'loading' || event.status === 'off' ? { runtime: null } : {}) });
        else if (event.stage === 'llm') model({ status: event.status, detail, ...fresh, progress: null, ...(event.label === undefined ? {} : { label: event.label }) });
        else voice.setState({ status: event.status, detail, ...fresh });
        return;
      }
      case 'stage_file': {
        const { progress } = event;
        if (event.stage === 'stt') transcripts.setState((state) => ({ files: { ...state.files, [progress.file]: progress } }));
        else if (event.stage === 'llm') conversation.setState((state) => ({ model: { ...state.model, files: { ...state.model.files, [progress.file]: progress } } }));
        else voice.setState((state) => ({ files: { ...state.files, [progress.file]: progress } }));
        return;
      }
      case 'stage_step':
        model({ progress: { fraction: event.fraction, text: event.text } });
        return;
      case 'voice_notice':
        if (voice.getState().notice !== event.message) voice.setState({ notice: event.message });
        return;
      case 'assistant_audio':
        voice.setState({ assistantSpeaking: event.speaking });
        return;
      case 'assistant_played':
        voice.setState((state) => ({ samplesPlayed: state.samplesPlayed + event.samples, outputLevel: event.level, cueSamplesPlayed: state.cueSamplesPlayed + event.cueSamples }));
        return;
      case 'speakers_suspended':
        voice.setState({ suspended: event.suspended });
        return;
      case 'speakers':
        voice.setState({ speakers: event.speakers, ...(event.speakerId === undefined ? {} : { speakerId: event.speakerId }), ...(event.notice === undefined ? {} : { notice: event.notice }) });
        return;
      case 'interrupted':
        conversation.setState({ interrupted: true });
        if (interruptedTimer !== null) clearTimeout(interruptedTimer);
        interruptedTimer = setTimeout(clearInterrupted, INTERRUPTED_MS);
        return;
      case 'tool_answer':
        updateTurn(transcripts, event.turn, 'latest', { toolAnswer: event.decision });
        return;
      case 'alert':
        notices.getState().push(event.alert.level, event.alert.title, [...event.alert.lines], event.alert.actions ? [...event.alert.actions] : undefined);
        return;
    }
  };
  return { project, reset: clearInterrupted };
}
