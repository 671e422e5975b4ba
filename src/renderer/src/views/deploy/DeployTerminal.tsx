import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { attachTerminal } from '../../terminal/terminal-registry';

/** The live log: xterm.js with bounded scrollback (the full log is on disk). */
export function DeployTerminal() {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const terminal = new Terminal({
      scrollback: 5_000,
      convertEol: false,
      disableStdin: true,
      fontSize: 12,
      theme: { background: '#101113' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(host.current);
    fit.fit();
    const detach = attachTerminal(terminal);
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      detach();
      terminal.dispose();
    };
  }, []);
  return <div ref={host} style={{ height: 360, width: '100%' }} data-testid="deploy-terminal" />;
}
