import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';

/**
 * A drawer over the page (a modal dialog: focus stays in it, Escape closes it) with its title and
 * Close; `onOpen` runs each time it opens (to read what it shows afresh).
 */
export function Drawer({ open, onClose, onOpen, title, className, children }: { open: boolean; onClose: () => void; onOpen?: () => void; title: string; className: string; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const opened = useEffectEvent(() => onOpen?.());
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      opened();
    } else if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className={`drawer ${className}`} aria-labelledby={titleId} onClose={onClose}>
      <div className="drawer-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="drawer-close" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </dialog>
  );
}
