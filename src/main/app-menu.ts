/**
 * The desktop app's menu, as desktop users expect it: File › Open platform…, Edit, View with each
 * view's shortcut, Window, Help › Documentation and About with the version. Menu items that act
 * on the window speak through the core's `app:menu` event, as every other message does.
 */
import type { MenuItemConstructorOptions } from 'electron';

/** The views in navigation order, with the digit of their Ctrl (⌘) shortcut. */
const viewMenu: { id: string; label: string }[] = [
  { id: 'matrix', label: 'Matrix' },
  { id: 'releases', label: 'Releases' },
  { id: 'deploy', label: 'Deploy' },
  { id: 'rollback', label: 'Rollback' },
  { id: 'ledger', label: 'Ledger' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'settings', label: 'Settings' },
];

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
        ...viewMenu.map((view, index): MenuItemConstructorOptions => ({
          label: view.label,
          accelerator: `CmdOrCtrl+${index + 1}`,
          click: () => actions.send({ action: 'view', view: view.id }),
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
