/**
 * The kit: small primitives every view composes (after Headlamp's common components),
 * each styled once in kit.css and seen in the screenshots.
 */
export { ConfirmDialog } from './ConfirmDialog';
export { CopyButton } from './CopyButton';
export { EmptyState } from './EmptyState';
export { ErrorBox } from './ErrorBox';
export { KeyValueTable } from './KeyValueTable';
export { Loading } from './Loading';
export { ProgressBar } from './ProgressBar';
export { formatDate, formatDuration, formatSize, shortDigest, visible } from './format';
