// Types for packaged-app.mjs (imported by its unit tests).
export function packagedApp(os: NodeJS.Platform, distDir: string, productName?: string): { command: string; env: Record<string, string> };
export function packagedAppSettings(port: number): { port: number; otlpPort: number; desktop: { closeToTray: boolean; openAtLogin: boolean } };
