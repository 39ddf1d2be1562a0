import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * The site's service worker keeps the page and onnxruntime's files for offline visits. A new
 * version waits until the user reloads here: it is never swapped in under a conversation.
 */
export function UpdateNotice() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError: (error: unknown) => console.warn('The page could not be kept for offline use:', error),
  });
  if (!needRefresh) return null;
  return (
    <section className="notices" aria-label="New version">
      <div className="notice" role="status" data-update-ready="true">
        <div className="notice-body">
          <strong>A new version of this page is ready.</strong>
          <ul>
            <li>Reload when you are done talking: the conversation on screen is not kept.</li>
          </ul>
          <p className="notice-actions">
            <button type="button" onClick={() => void updateServiceWorker(true)}>
              Reload
            </button>
            <button type="button" onClick={() => setNeedRefresh(false)}>
              Later
            </button>
          </p>
        </div>
      </div>
    </section>
  );
}
