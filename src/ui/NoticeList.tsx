import { useNotices } from './pageContext';

export function NoticeList() {
  const notices = useNotices((state) => state.notices);
  const dismiss = useNotices((state) => state.dismiss);
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
            {notice.actions.length > 0 && (
              <p className="notice-actions">
                {notice.actions.map((action) => (
                  <button
                    key={action.label}
                    type="button"
                    onClick={() => {
                      action.run();
                      dismiss(notice.id);
                    }}
                  >
                    {action.label}
                  </button>
                ))}
              </p>
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
