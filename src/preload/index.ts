import { contextBridge } from 'electron';
import { createBridge } from './api';

/** __ORAS_VERSION__ is package.json's version, inlined by electron.vite.config.ts. */
declare const __ORAS_VERSION__: string;

// Sandboxed preload (CommonJS, no Node APIs): expose one frozen object and nothing else.
contextBridge.exposeInMainWorld('oras', createBridge(__ORAS_VERSION__));
