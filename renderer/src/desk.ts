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
