/**
 * The headers and Content-Security-Policy of the built site, in one place: the build writes them
 * into index.html (the policy, as a meta tag) and dist/_headers (for hosts that read it), and the
 * preview server sends them, so the tests run under the same policy as a host.
 */

/** Lets onnxruntime-web use several WebAssembly threads; without it, one (the page still works). */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * What the page may load and run. No inline script and no eval: only WebAssembly compilation
 * ('wasm-unsafe-eval'), which onnxruntime-web and web-llm need. Scripts, workers and WebAssembly
 * come from the site itself. connect-src admits the model hosts (any https origin: the Hugging
 * Face hub redirects to its CDNs, web-llm reads GitHub) and the endpoints a user may enter: any
 * https or wss server, and plain http on this machine (local servers). An https page cannot reach
 * plain http elsewhere anyway; a site served over plain http on a LAN adds its hosts here.
 */
const DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'", 'https:', 'wss:', 'http://localhost:*', 'http://127.0.0.1:*', 'ws://localhost:*', 'ws://127.0.0.1:*', 'data:', 'blob:'],
  'img-src': ["'self'", 'data:', 'blob:'],
  'media-src': ["'self'", 'blob:', 'data:'],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** The policy as a meta tag carries it (frame-ancestors is ignored there; it is a header only). */
export function contentSecurityPolicy(extra: Readonly<Record<string, readonly string[]>> = {}): string {
  return Object.entries({ ...DIRECTIVES, ...extra })
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** The policy as a header: the page may not be framed by another site. */
export const CONTENT_SECURITY_POLICY_HEADER = contentSecurityPolicy({ 'frame-ancestors': ["'self'"] });

/** dist/_headers, for Netlify and Cloudflare Pages. */
export function headersFile(): string {
  const headers = { ...CROSS_ORIGIN_ISOLATION, 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER, 'X-Content-Type-Options': 'nosniff' };
  return ['# Written by the build from sitePolicy.ts (Netlify and Cloudflare Pages read this file).', '/*', ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`), ''].join('\n');
}
