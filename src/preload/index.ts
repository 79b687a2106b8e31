import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './api';

/** __ORAS_VERSION__ is package.json's version, inlined by electron.vite.config.ts. */
declare const __ORAS_VERSION__: string;

// Sandboxed preload (CommonJS, no Node APIs): expose one frozen object and nothing else.
contextBridge.exposeInMainWorld(
  'oras',
  createBridge({
    version: __ORAS_VERSION__,
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe: (channel, listener) => {
      // The page gets the payload only, never the event (its `sender` is ipcRenderer).
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
    pathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
