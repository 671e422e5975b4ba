import { Kbd, NavLink, Stack } from '@mantine/core';
import { useRef, type KeyboardEvent } from 'react';
import { useViewStore } from '../stores/view-store';
import { views } from '../views/view-catalog';

const modifierLabel = navigator.platform.toLowerCase().includes('mac') ? '⌘' : 'Ctrl';

/** The list of views; arrow keys move between entries, Enter opens one. */
export function NavigationBar() {
  const activeView = useViewStore((state) => state.activeView);
  const openView = useViewStore((state) => state.openView);
  const buttons = useRef<(HTMLAnchorElement | null)[]>([]);

  const moveFocus = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    const target = event.key === 'Home' ? 0 : event.key === 'End' ? views.length - 1 : index + step;
    if (target === index && step === 0 && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    buttons.current[(target + views.length) % views.length]?.focus();
  };

  return (
    <Stack gap={2} component="nav" aria-label="Views">
      {views.map((view, index) => (
        <NavLink
          key={view.id}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          href={`#${view.id}`}
          label={view.label}
          active={view.id === activeView}
          aria-current={view.id === activeView ? 'page' : undefined}
          rightSection={
            <Kbd size="xs" aria-label={`Shortcut ${modifierLabel} ${view.shortcutDigit}`}>
              {modifierLabel}+{view.shortcutDigit}
            </Kbd>
          }
          onClick={(event) => {
            event.preventDefault();
            openView(view.id);
          }}
          onKeyDown={(event) => moveFocus(event, index)}
        />
      ))}
    </Stack>
  );
}
