import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { useOutcome } from './store/outcome-store';
import './app/styles.css';

// What is being written is kept as typing pauses; closing the window keeps the rest at once.
window.addEventListener('pagehide', () => useOutcome.getState().keepNow());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
