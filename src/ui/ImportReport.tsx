import type { ImportOutcome } from '../app/pageSettings';

/** What an import did: every error (and that nothing changed), or what changed and every warning. */
export function ImportReport({ outcome }: { outcome: ImportOutcome }) {
  const { result, source, undo } = outcome;
  return (
    <div className={`import-report ${result.ok ? 'import-ok' : 'import-failed'}`} role={result.ok ? 'status' : 'alert'}>
      {result.ok ? (
        <p>
          {source} applied: {result.changed.length} setting{result.changed.length === 1 ? '' : 's'} set, {result.others ?? 'all others at their defaults'}.{' '}
          {undo && (
            <button type="button" onClick={undo}>
              Undo
            </button>
          )}
        </p>
      ) : (
        <>
          <p>{source} was not applied; nothing changed. Fix these and apply again:</p>
          <ul className="import-errors">
            {result.errors.map((error, index) => (
              <li key={index}>{error}</li>
            ))}
          </ul>
        </>
      )}
      {result.warnings.length > 0 && (
        <ul className="import-warnings">
          {result.warnings.map((warning, index) => (
            <li key={index}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
