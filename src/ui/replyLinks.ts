/**
 * What a link in a reply may be. A model's text is not the user's: a link may only lead to a web
 * page or an e-mail address, shown with the host it goes to, and never loads anything by itself
 * (no script, no data, no image fetched from wherever the text points).
 */

/** The address a reply's link may open, or null: http(s) and mailto only, absolute. */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' || parsed.protocol === 'mailto:' ? parsed.href : null;
}

/** Where a link goes, as the page says it before the user leaves: the host, or the address for mail. */
export function linkDestination(href: string): string {
  const parsed = new URL(href);
  return parsed.protocol === 'mailto:' ? parsed.pathname : parsed.host;
}
