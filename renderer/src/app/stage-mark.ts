/**
 * Marks a stage of opening a case (case opened, viewer created, first tile drawn…) in the
 * browser's performance timeline, where the benchmarks read them. Only the latest of each name
 * is kept, so a long session does not pile marks up.
 */
export type Stage = 'case-opened' | 'pyramid-ready' | 'preview-drawn' | 'viewer-created' | 'viewer-open' | 'first-tile-loaded' | 'first-tile';

export function markStage(stage: Stage): void {
  const name = `desk:${stage}`;
  performance.clearMarks(name);
  performance.mark(name);
}
