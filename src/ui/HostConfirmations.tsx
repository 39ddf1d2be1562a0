import { endpointSetting, heldKeys, hostOf } from '../settings/keyBinding';
import { describeDestinationValue, waitingDestinations, type WaitingDestination } from '../settings/hostConsent';
import { entryOf } from '../settings/schema';
import { useSettings } from './pageContext';

/** What "Keep" puts back: the value the import replaced, or the default. */
function previousOf(destination: WaitingDestination): string {
  return describeDestinationValue(destination.key, destination.previous === undefined ? entryOf(destination.key).default : destination.previous, location.href);
}

/**
 * A link, a pasted command line or an imported file pointed a setting at a host the user has not
 * allowed: nothing goes there until they choose here, one decision per host.
 */
export function HostConfirmations() {
  const settings = useSettings((state) => state.settings);
  const consent = useSettings((state) => state.hostConsent);
  const bindings = useSettings((state) => state.keyBindings);
  const allow = useSettings((state) => state.allowHost);
  const keep = useSettings((state) => state.keepBeforeHost);
  const waiting = waitingDestinations(settings, consent, location.href);
  if (waiting.length === 0) return null;
  const byOrigin = new Map<string, WaitingDestination[]>();
  for (const destination of waiting) byOrigin.set(destination.origin, [...(byOrigin.get(destination.origin) ?? []), destination]);
  const held = heldKeys(settings, bindings);
  return (
    <section className="notices" aria-label="Hosts to allow">
      {[...byOrigin].map(([origin, destinations]) => {
        const host = destinations[0]?.host ?? origin;
        const keys = held.filter((entry) => destinations.some((destination) => destination.key === endpointSetting(entry.key)));
        const before = [...new Set(destinations.map(previousOf))];
        return (
          <div key={origin} className="notice notice-warning" role="alert" data-host-consent={host}>
            <div className="notice-body">
              <strong>Allow {host}?</strong>
              <ul>
                <li>
                  A link or an imported setting points this page at {origin}. Nothing has been sent there or fetched from there, and nothing will be until you choose. Allow
                  it only if you trust it.
                </li>
                {destinations.map((destination) => (
                  <li key={destination.key}>
                    {destination.key}: {previousOf(destination)} → {entryOf(destination.key).type.toText(settings[destination.key])}. What goes there: {entryOf(destination.key).destination}.
                  </li>
                ))}
                {keys.map((entry) => (
                  <li key={entry.key}>
                    Your {entry.key}, entered for {hostOf(entry.enteredFor)}, would be sent there too.
                  </li>
                ))}
              </ul>
              <p className="notice-actions">
                <button type="button" onClick={() => allow(origin)}>
                  Use {host}
                </button>
                <button type="button" onClick={() => keep(origin)}>
                  {before.length === 1 ? `Keep ${before[0]}` : 'Keep the values before'}
                </button>
              </p>
            </div>
          </div>
        );
      })}
    </section>
  );
}
