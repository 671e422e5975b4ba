import '@xterm/xterm/css/xterm.css';
import { ActionIcon, Button, Group, MultiSelect, Text, TextInput, Tooltip } from '@mantine/core';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { usePlatformStore } from '../../stores/platform-store';
import { attachTerminal, setTerminalView, terminalView } from '../../terminal/terminal-registry';

/** How matches are marked: every match, and the one the search is on. */
const matchDecorations = {
  matchBackground: '#5c4a00',
  activeMatchBackground: '#b08800',
  matchOverviewRuler: '#8a7300',
  activeMatchColorOverviewRuler: '#ffd43b',
};

/** Only web addresses leave the app; main shows the address and asks before opening it. */
function openWebLink(event: MouseEvent, uri: string) {
  event.preventDefault();
  try {
    const url = new URL(uri);
    if (url.protocol === 'https:' || url.protocol === 'http:') window.open(url.href, '_blank', 'noopener,noreferrer');
  } catch {
    // Not an address: nothing to open.
  }
}

/**
 * The live log: xterm.js with bounded scrollback (the full log is on disk), search, follow or
 * hold the view, copy, and web links that open only after main has shown the address.
 */
export function DeployTerminal() {
  const host = useRef<HTMLDivElement>(null);
  const terminalRef = useRef<Terminal>(undefined);
  const searchRef = useRef<SearchAddon>(undefined);
  const followRef = useRef(true);
  const [isFollowing, setIsFollowing] = useState(true);
  const [query, setQuery] = useState('');
  const [copied, setCopied] = useState<string>();
  const [matches, setMatches] = useState<{ index: number; count: number }>();
  const [view, setView] = useState(terminalView);
  const services = usePlatformStore((state) => state.current?.platform?.services);

  useEffect(() => {
    if (!host.current) return;
    const terminal = new Terminal({
      scrollback: 5_000,
      convertEol: false,
      disableStdin: true,
      fontSize: 12,
      // Search marks its matches with decorations.
      allowProposedApi: true,
      theme: { background: '#101113' },
      // OSC 8 hyperlinks: web addresses only, through the same confirmation.
      linkHandler: { activate: openWebLink, allowNonHttpProtocols: false },
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    terminal.loadAddon(fit);
    terminal.loadAddon(search);
    search.onDidChangeResults(({ resultIndex, resultCount }) => setMatches({ index: resultIndex, count: resultCount }));
    terminal.loadAddon(new WebLinksAddon(openWebLink));
    terminal.open(host.current);
    fit.fit();
    terminalRef.current = terminal;
    searchRef.current = search;
    const detach = attachTerminal({
      write: (text, parsed) =>
        terminal.write(text, () => {
          if (followRef.current) terminal.scrollToBottom();
          parsed?.();
        }),
      reset: () => terminal.reset(),
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      detach();
      terminal.dispose();
    };
  }, []);

  const setFollowing = (value: boolean) => {
    followRef.current = value;
    setIsFollowing(value);
    if (value) terminalRef.current?.scrollToBottom();
  };

  const find = (direction: 'next' | 'previous') => {
    if (!query) return;
    setFollowing(false);
    const options = { decorations: matchDecorations };
    if (direction === 'next') searchRef.current?.findNext(query, options);
    else searchRef.current?.findPrevious(query, options);
  };

  const changeView = (next: typeof view) => {
    setView(next);
    setTerminalView(next);
  };

  const copy = async () => {
    const terminal = terminalRef.current;
    if (!terminal) return;
    let text = terminal.getSelection();
    if (!text) {
      const lines: string[] = [];
      const buffer = terminal.buffer.active;
      for (let index = 0; index < buffer.length; index++)
        lines.push(buffer.getLine(index)?.translateToString(true) ?? '');
      text = lines.join('\n').trimEnd();
    }
    try {
      await navigator.clipboard.writeText(text);
      setCopied(terminal.hasSelection() ? 'Selection copied.' : 'Visible log copied.');
    } catch {
      setCopied('The clipboard refused the copy.');
    }
  };

  return (
    <div>
      <Group gap="xs" mb={4}>
        <TextInput
          size="xs"
          placeholder="Search the log"
          aria-label="Search the log"
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setMatches(undefined);
            if (!event.currentTarget.value) searchRef.current?.clearDecorations();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') find(event.shiftKey ? 'previous' : 'next');
          }}
          data-testid="terminal-search"
          w={220}
        />
        <Tooltip label="Previous match (Shift+Enter)">
          <ActionIcon variant="default" size="md" aria-label="Previous match" onClick={() => find('previous')}>
            ↑
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Next match (Enter)">
          <ActionIcon variant="default" size="md" aria-label="Next match" onClick={() => find('next')}>
            ↓
          </ActionIcon>
        </Tooltip>
        {query && matches && (
          <Text size="xs" c={matches.count === 0 ? 'red' : 'dimmed'} role="status" data-testid="terminal-matches">
            {matches.count === 0
              ? 'no match'
              : `${matches.index >= 0 ? matches.index + 1 : '?'} of ${matches.count}${matches.count >= 1_000 ? '+' : ''}`}
          </Text>
        )}
        <MultiSelect
          size="xs"
          placeholder={view.services.length === 0 ? 'All services' : undefined}
          aria-label="Show the lines of"
          data={[
            ...(services ?? []).map((service) => ({ value: service.id, label: service.name })),
            { value: 'cockpit', label: 'The cockpit' },
          ]}
          value={view.services}
          onChange={(chosen) => changeView({ ...view, services: chosen })}
          clearable
          w={220}
          data-testid="terminal-services"
        />
        <Tooltip label="When each line reached the cockpit">
          <Button
            size="xs"
            variant={view.showTimes ? 'light' : 'default'}
            onClick={() => changeView({ ...view, showTimes: !view.showTimes })}
            aria-pressed={view.showTimes}
            data-testid="terminal-times"
          >
            Times
          </Button>
        </Tooltip>
        <Button
          size="xs"
          variant={isFollowing ? 'light' : 'default'}
          onClick={() => setFollowing(!isFollowing)}
          aria-pressed={isFollowing}
          data-testid="terminal-follow"
        >
          {isFollowing ? 'Following' : 'Paused — follow'}
        </Button>
        <Button size="xs" variant="default" onClick={() => void copy()} data-testid="terminal-copy">
          Copy
        </Button>
        {copied && (
          <Text size="xs" c="dimmed" role="status">
            {copied}
          </Text>
        )}
      </Group>
      <div ref={host} style={{ height: 360, width: '100%' }} data-testid="deploy-terminal" />
    </div>
  );
}
