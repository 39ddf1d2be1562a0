/** The listening stage (microphone, Silero VAD, Smart Turn, turn-taking), as the rest of the app sees it. */
export { Listener, type ListenerEvent } from './listener';
export { LISTENER_SETTINGS, listenerConfig, type ListenerConfig, type ListenerSettings } from './listenerConfig';
export { ListeningError } from './errors';
export type { TurnEvent } from './turnDetector';
