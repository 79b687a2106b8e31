import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './components/kit/kit.css';
import { App } from './App';
import { installBrowserBridge } from './bridge';
import { ServiceError, windowApi, type ApiSource } from './services/oras';
import { createServices } from './services/registries';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/react';

async function start(root: HTMLElement): Promise<void> {
  let problem: string | undefined;
  const source: ApiSource = () => {
    const api = windowApi();
    if (!api && problem) throw new ServiceError({ code: 'NETWORK', message: `Could not connect to ORAS Desktop: ${problem}` });
    return api;
  };
  const store = createAppStore({}, { services: createServices(source) });
  // Apply the saved theme before anything else, so a dark page never flashes white.
  document.documentElement.dataset.theme = store.getState().theme;

  // Electron's preload has installed window.oras already; in browser mode the shim does.
  problem = await installBrowserBridge(window);

  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void start(root);
