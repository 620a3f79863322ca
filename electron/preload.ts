/** Exposes the IPC contract as `window.desk`: one function per request, plus event listening. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, eventNames, requestChannel, requestNames, type DeskBridge, type EventName } from '../shared/ipc/contract';

const requests = Object.fromEntries(
  requestNames.map((name) => [name, (payload: unknown) => ipcRenderer.invoke(requestChannel(name), payload)]),
);

const bridge = {
  ...requests,
  onEvent(name: EventName, listener: (payload: unknown) => void) {
    if (!eventNames.includes(name)) throw new Error(`unknown event ${String(name)}`);
    const relay = (_event: IpcRendererEvent, message: { name: string; payload: unknown }): void => {
      if (message.name === name) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => void ipcRenderer.off(EVENT_CHANNEL, relay);
  },
} as unknown as DeskBridge;

contextBridge.exposeInMainWorld('desk', bridge);
