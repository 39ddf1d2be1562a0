import { useListening, usePage, useVoice } from './pageContext';

/** The microphone and (where the browser lets the page choose) the speakers. */
export function DevicePicker() {
  const { session } = usePage();
  const microphones = useListening((state) => state.microphones);
  const microphoneId = useListening((state) => state.microphoneId);
  const speakers = useVoice((state) => state.speakers);
  const speakerId = useVoice((state) => state.speakerId);
  return (
    <div className="device-picker">
      <label>
        <span>Microphone</span>
        <select value={microphoneId ?? ''} onChange={(event) => void session.selectMicrophone(event.target.value || null)}>
          <option value="">Default microphone</option>
          {microphones.map((microphone) => (
            <option key={microphone.deviceId} value={microphone.deviceId}>
              {microphone.label}
            </option>
          ))}
        </select>
      </label>
      {speakers !== null && (
        <label>
          <span>Speakers</span>
          <select value={speakerId ?? ''} onChange={(event) => void session.selectSpeaker(event.target.value || null)}>
            <option value="">Default speakers</option>
            {speakers.map((speaker) => (
              <option key={speaker.deviceId} value={speaker.deviceId}>
                {speaker.label}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
