import type { LoadProgress } from '../models/loadProgress';

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

/** The files of a model still downloading, each with its bytes so far. */
export function FileDownloads({ files }: { files: readonly LoadProgress[] }) {
  return files
    .filter((file) => !file.done)
    .map((file) => (
      <span key={file.file} className="file-progress">
        {' '}
        · {file.file.split('/').pop()}: {megabytes(file.loaded)}
        {file.total ? ` of ${megabytes(file.total)}` : ''} MB
      </span>
    ));
}
