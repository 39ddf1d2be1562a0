import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPage } from './app/page';
import { App } from './ui/App';
import { PageContext } from './ui/pageContext';
import './ui/styles.css';

const page = createPage();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <PageContext value={page}>
      <App />
    </PageContext>
  </StrictMode>,
);
