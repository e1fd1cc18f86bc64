import { statusCommand } from './set-status';

export const ignoreCommand = statusCommand('ignore', 'ignored', 'ignore issues (no alerts for them until unignored)');
