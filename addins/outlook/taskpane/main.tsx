// The Outlook task pane (and the page its sign-in dialog ends on: the same bundle).
import { createRoot } from 'react-dom/client';
import { QuorumProvider } from '../../../infra/ui/QuorumProvider.tsx';
import { App } from './App.tsx';
import { DialogDone } from './DialogDone.tsx';

createRoot(document.getElementById('root')!).render(
  <QuorumProvider>
    {location.pathname === '/outlook/auth-done' ? <DialogDone /> : <App />}
  </QuorumProvider>,
);
