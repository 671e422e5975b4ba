import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { CockpitBridge } from '../../shared/bridge-api';
import { App } from './App';
import { createClient } from './ipc/client';

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'sm' });

/** Renders the cockpit into `#root`, talking to the core through `bridge`. */
export function bootstrap(bridge: CockpitBridge | undefined): void {
  const client = createClient(bridge);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <App client={client} />
      </MantineProvider>
    </StrictMode>,
  );
}
