import { waitingDestinations } from '../settings/hostConsent';
import { endpointSetting, heldKeys, hostOf } from '../settings/keyBinding';
import { useSettings } from './pageContext';

/**
 * A stored API key whose endpoint a link, a command line or a file pointed at another host:
 * nothing is sent there until the user chooses here. Where the host itself waits to be allowed,
 * that one question covers the key too (see HostConfirmations).
 */
export function KeyConfirmations() {
  const settings = useSettings((state) => state.settings);
  const bindings = useSettings((state) => state.keyBindings);
  const confirm = useSettings((state) => state.confirmKeyHost);
  const restore = useSettings((state) => state.restoreKeyHost);
  const consent = useSettings((state) => state.hostConsent);
  const held = heldKeys(settings, bindings).filter((entry) => waitingDestinations(settings, consent, location.href, [endpointSetting(entry.key)]).length === 0);
  if (held.length === 0) return null;
  return (
    <section className="notices" aria-label="API keys to confirm">
      {held.map(({ key, enteredFor, endpoint }) => (
        <div key={key} className="notice notice-warning" role="alert" data-held-key={key}>
          <div className="notice-body">
            <strong>
              Send your {key} to {hostOf(endpoint)}?
            </strong>
            <ul>
              <li>
                It was entered for {hostOf(enteredFor)}, and {endpointSetting(key)} now points at {endpoint}. Nothing has been sent there, and nothing
                will be until you choose.
              </li>
            </ul>
            <p className="notice-actions">
              <button type="button" onClick={() => confirm(key)}>
                Send it to {hostOf(endpoint)}
              </button>
              <button type="button" onClick={() => restore(key)}>
                Go back to {hostOf(enteredFor)}
              </button>
            </p>
          </div>
        </div>
      ))}
    </section>
  );
}
