import { hostOf } from '../settings/keyBinding';
import { useListening, useSettings } from './pageContext';

/** In the status card while a Realtime server runs the pipeline: where it is, and whether the page is connected. */
export function RealtimeStatus() {
  const url = useSettings((state) => state.settings.talk_url);
  const transport = useSettings((state) => state.settings.talk_transport);
  const listening = useListening((state) => state.status);
  const state = listening === 'listening' ? 'connected' : listening === 'starting' ? 'connecting…' : listening === 'failed' ? 'not connected' : 'not connected yet';
  return (
    <div className="realtime-status" data-realtime={listening}>
      <p>
        <strong>Realtime server</strong> {hostOf(url)} ({transport === 'webrtc' ? 'WebRTC' : 'WebSocket'}): {state}.
      </p>
      <p className="setting-help">Voice detection, speech to text, the language model and the voice run on that server; this page downloads no model.</p>
    </div>
  );
}
