/** Schema migrations in order: migration N brings user_version N-1 to N. Never edit a released one. */
import type { Db } from '../db';
import { initialSchema } from './0001-initial';

export type Migration = (db: Db) => void;

export const MIGRATIONS: readonly Migration[] = [initialSchema];
