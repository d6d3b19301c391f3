// Builds Quorum's browser pages: the web app and the panels Zoom, Outlook and Teams embed.
// Each page is an HTML entry; they share components from infra/ui. The output is
// served by Quorum's own server under /ui/ (see infra/http/ui-pages.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Every browser page, by name. A page whose folder does not exist yet is skipped. */
export const UI_PAGES: Record<string, string> = {
  app: 'web/ui/index.html',
  zoom: 'addins/zoom/panel/index.html',
  outlook: 'addins/outlook/taskpane/index.html',
  'outlook-commands': 'addins/outlook/commands/index.html',
  teams: 'bots/teams/panel/index.html',
};

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/ui/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: '.quorum/ui',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: Object.fromEntries(
        Object.entries(UI_PAGES)
          .map(([name, file]) => [name, path.join(root, file)] as const)
          .filter(([, file]) => existsSync(file)),
      ),
    },
  },
});
