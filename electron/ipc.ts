/**
 * One ipcMain handler per contract entry. Each checks that the request comes from the desk's
 * own window and top frame, then lets the contract check the payload.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { EVENT_CHANNEL, requestChannel, requestNames, type DeskHandlers, type EventName, type EventPayload } from '../shared/ipc/contract';
import { dispatch } from '../shared/ipc/dispatch';

export function registerIpc(handlers: DeskHandlers, window: BrowserWindow): void {
  const trusted = (event: IpcMainInvokeEvent): boolean =>
    event.sender === window.webContents && event.senderFrame === window.webContents.mainFrame;

  for (const name of requestNames) {
    ipcMain.handle(requestChannel(name), (event, payload: unknown) => {
      if (!trusted(event)) throw new Error(`refused ${name}: not from the desk window`);
      return dispatch(handlers, name, payload);
    });
  }
}

export function sendEvent<E extends EventName>(window: BrowserWindow, name: E, payload: EventPayload<E>): void {
  if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { name, payload });
}
