/**
 * The timer's chime: three bright notes, made by oscillators (no file to download), through an
 * audio context of its own that closes once they have played.
 */
const NOTES_HZ = [880, 1174.66, 1760];
const NOTE_S = 0.22;
const GAP_S = 0.06;
/** About -12 dBFS: heard over a room, not startling. */
const AMPLITUDE = 0.25;

export function playChime(): void {
  if (typeof AudioContext === 'undefined') return;
  const context = new AudioContext();
  const start = context.currentTime + 0.02;
  NOTES_HZ.forEach((hz, index) => {
    const at = start + index * (NOTE_S + GAP_S);
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = hz;
    // A quick rise and an exponential fall: a bell, no clicks.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(AMPLITUDE, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.001, at + NOTE_S);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + NOTE_S);
  });
  const total = NOTES_HZ.length * (NOTE_S + GAP_S) + 0.1;
  setTimeout(() => void context.close(), total * 1000);
}
