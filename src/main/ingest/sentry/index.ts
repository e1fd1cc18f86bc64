export { sentryIngestRoutes } from './routes';
