/**
 * The desktop app's menu, as desktop users expect it: File › Open platform…, Edit, View with each
 * view's shortcut, Window, Help › Documentation and About with the version. Menu items that act
 * on the window speak through the core's `app:menu` event, as every other message does.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { viewIds, viewLabels } from '../shared/views';

export interface MenuActions {
  send(command: { action: 'open-platform' | 'view'; view?: string }): void;
  openDocumentation(): void;
  showAbout(): void;
}

export function appMenuTemplate(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open platform…',
          accelerator: 'CmdOrCtrl+O',
          click: () => actions.send({ action: 'open-platform' }),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...viewIds.map((view, index): MenuItemConstructorOptions => ({
          label: viewLabels[view],
          accelerator: `CmdOrCtrl+${index + 1}`,
          click: () => actions.send({ action: 'view', view }),
        })),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Documentation', click: () => actions.openDocumentation() },
        { label: 'About Release Cockpit', click: () => actions.showAbout() },
      ],
    },
  ];
}
