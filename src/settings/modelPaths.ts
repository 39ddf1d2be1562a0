/**
 * Model ids and model paths are names under the models location, never addresses of their own: a
 * value a URL parser could read as another host (`//host/x`, `\\host\x`, `host:x`) would send a
 * download, and whatever it reveals, to a host no one confirmed. Such values are refused wherever
 * they come from; a model file on another host is named by a full http(s) URL, which goes through
 * the host consent like every other address (see hostConsent).
 */

/** One part of a hub id: letters, digits, `-`, `_`, `.`, not `.` or `..` alone. */
const PART = /^[A-Za-z0-9_][\w.-]{0,95}$/;

function partsProblem(parts: readonly string[], what: string): string | undefined {
  for (const part of parts) {
    if (part === '' ) return `has an empty part: ${what}`;
    if (part === '.' || part === '..') return `has a "${part}" part, which would leave the models location: ${what}`;
    if (!PART.test(part)) return `has a part "${part}" with characters other than letters, digits, -, _ and .: ${what}`;
  }
  return undefined;
}

/** Why `value` is not the form every address is built from; undefined when it is a plain name. */
function addressProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'contains spaces';
  if (value.includes('\\')) return 'has a backslash, which a browser reads as / (so \\\\host would be another host)';
  if (value.startsWith('/')) return 'starts with /, which a browser reads as a place on a host of its own (//host) or of this site';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return 'starts with a scheme (such as https: or data:)';
  return undefined;
}

/** Why `value` is not a model id (`org/name`, or a name alone); undefined when it is one. */
export function modelIdProblem(value: string): string | undefined {
  const form = 'a model id is org/name, such as onnx-community/whisper-base';
  const address = addressProblem(value);
  if (address !== undefined) return `${address}: ${form}`;
  const parts = value.split('/');
  if (parts.length > 2) return `has more than one /: ${form}`;
  return partsProblem(parts, form);
}

/** Why `value` is neither an http(s) URL nor a path `<org>/<model>/<file>` under the models location. */
export function modelPathProblem(value: string): string | undefined {
  const form = 'a model file is an http(s) URL, or <org>/<model>/<file> under the models location';
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `is not a URL: ${form}`;
    }
    if (url.username || url.password) return 'has a user name or password in it';
    return undefined;
  }
  const address = addressProblem(value);
  if (address !== undefined) return `${address}: ${form}`;
  const parts = value.split('/');
  if (parts.length < 3) return `is not <org>/<model>/<file>: ${form}`;
  return partsProblem(parts, form);
}
