/** The keys that open the help list and the command palette, and lock the desk, bound the same way on every screen. */
import { useDesk } from '../../store/desk-store';
import type { KeyHandlers } from './active-commands';

export const OVERLAY_KEYS: KeyHandlers = {
  'help.open': () => useDesk.setState({ helpOpen: true }),
  'palette.open': () => useDesk.setState({ paletteOpen: true }),
  'session.lock': () => useDesk.getState().lock(),
};
