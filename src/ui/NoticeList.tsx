import { useStore } from 'zustand';
import { noticesStore } from '../app/notices';

export function NoticeList() {
  const notices = useStore(noticesStore, (state) => state.notices);
  const dismiss = useStore(noticesStore, (state) => state.dismiss);
  if (notices.length === 0) return null;
  return (
    <section className="notices" aria-label="Notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
          <div className="notice-body">
            <strong>{notice.title}</strong>
            {notice.details.length > 0 && (
              <ul>
                {notice.details.map((detail, index) => (
                  <li key={index}>{detail}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" className="notice-dismiss" onClick={() => dismiss(notice.id)} aria-label={`Dismiss: ${notice.title}`}>
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
