import { useListening } from './pageContext';

/** The microphone's level in dBFS, from -60 (empty) to 0 (full), and Silero's speech probability. */
export function LevelMeter() {
  const level = useListening((state) => state.level);
  const probability = useListening((state) => state.probability);
  const decibels = level > 0 ? 20 * Math.log10(level) : -Infinity;
  const fill = Math.max(0, Math.min(1, (decibels + 60) / 60));
  return (
    <div className="level-meter" aria-label="Input level">
      <meter min={0} max={1} value={fill} title={`${Number.isFinite(decibels) ? decibels.toFixed(0) : '-∞'} dBFS`} />
      <span className="speech-probability">speech {Math.round(probability * 100)}%</span>
    </div>
  );
}
