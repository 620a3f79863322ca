/** The typed client over `window.desk`, which the carrier (Electron preload or test harness) provides. */
import type { DeskBridge } from '../../shared/ipc/contract';

declare global {
  interface Window {
    desk: DeskBridge;
  }
}

export function desk(): DeskBridge {
  if (!window.desk) throw new Error('The desk bridge is missing: the app must run inside Derm Review Desk.');
  return window.desk;
}

/** Electron wraps a handler's error as "Error invoking remote method '…': Error: <reason>"; keep the reason. */
export function reasonFrom(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}
