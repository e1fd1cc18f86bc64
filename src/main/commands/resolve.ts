import { statusCommand } from './set-status';

export const resolveCommand = statusCommand('resolve', 'resolved', 'mark issues resolved');
