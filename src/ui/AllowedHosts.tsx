import { siteOrigins } from '../settings/hostConsent';
import { hostOf } from '../settings/keyBinding';
import { useSettings } from './pageContext';

/** The hosts the page may send to or download from, and a way to take back the ones the user allowed. */
export function AllowedHosts() {
  const consent = useSettings((state) => state.hostConsent);
  const forget = useSettings((state) => state.forgetHost);
  const site = siteOrigins(location.href);
  const allowed = [...new Set([...consent.confirmed, ...Object.values(consent.typed)])].filter((origin): origin is string => typeof origin === 'string' && !site.has(origin));
  return (
    <div className="allowed-hosts">
      <p className="setting-help">
        A link, a pasted command line or an imported file can point a setting at another host; nothing goes there until you allow it. Always allowed: this site and the hosts of its
        defaults ({[...site].map(hostOf).join(', ')}).
      </p>
      {allowed.length === 0 ? (
        <p className="setting-help">No other host is allowed.</p>
      ) : (
        <ul aria-label="Hosts you allowed">
          {allowed.map((origin) => (
            <li key={origin}>
              {origin}{' '}
              <button type="button" onClick={() => forget(origin)} aria-label={`Remove ${hostOf(origin)}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
