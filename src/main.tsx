import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyLinkPreset, followOtherTabs } from './app/settings';
import { App } from './ui/App';
import './ui/styles.css';

applyLinkPreset();
followOtherTabs();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
