import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import './styles/app.css';
import './styles/crew.css';
import { App } from './App';
import { startHashSync } from './state/hash_sync';
import { registerServiceWorker } from './offline/service_worker_registration';

startHashSync();
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
