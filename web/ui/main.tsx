// Quorum's web app: the pages people use in a browser (sign-in, schedule, meetings, settings).
import { createRoot } from 'react-dom/client';
import { QuorumProvider } from '../../infra/ui/QuorumProvider.tsx';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <QuorumProvider>
    <App />
  </QuorumProvider>,
);
