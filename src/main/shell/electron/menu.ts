/** Menu specs (plain data) to Electron menus. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuItemSpec } from '../platform';

export function buildMenu(template: MenuItemSpec[]): Menu {
  return Menu.buildFromTemplate(template.map(toElectronItem));
}

function toElectronItem(spec: MenuItemSpec): MenuItemConstructorOptions {
  const item: MenuItemConstructorOptions = {};
  if (spec.label !== undefined) item.label = spec.label;
  if (spec.type !== undefined) item.type = spec.type;
  if (spec.role !== undefined) item.role = spec.role;
  if (spec.enabled !== undefined) item.enabled = spec.enabled;
  if (spec.checked !== undefined) item.checked = spec.checked;
  if (spec.submenu !== undefined) item.submenu = spec.submenu.map(toElectronItem);
  const click = spec.click;
  if (click !== undefined) item.click = () => click();
  return item;
}
