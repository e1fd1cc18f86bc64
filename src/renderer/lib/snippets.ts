/** Ready-to-paste setup snippets for the SDKs and exporters Stacktray accepts. Pure. */
import type { Project } from '../../shared/project';

export interface Snippet {
  id: string;
  label: string;
  language: string;
  code: string;
}

export function setupSnippets(project: Project, origin: string, otlpPort: number | null): Snippet[] {
  const dsn = project.dsn;
  const otlpEndpoint = otlpPort ? `http://127.0.0.1:${otlpPort}` : origin;
  return [
    {
      id: 'node',
      label: 'Node.js',
      language: 'js',
      code: `// npm install @sentry/node
const Sentry = require('@sentry/node');

Sentry.init({
  dsn: '${dsn}',
  // Your package.json's version (adjust the path if this file is not beside it).
  release: require('./package.json').version,
  environment: 'development',
});`,
    },
    {
      id: 'browser',
      label: 'Browser',
      language: 'js',
      code: `// npm install @sentry/browser
import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: '${dsn}',
  release: '1.0.0',
  environment: 'development',
});`,
    },
    {
      id: 'python',
      label: 'Python',
      language: 'python',
      code: `# pip install sentry-sdk
import sentry_sdk

sentry_sdk.init(
    dsn="${dsn}",
    release="1.0.0",
    environment="development",
)`,
    },
    {
      id: 'otlp',
      label: 'OpenTelemetry',
      language: 'sh',
      code: `# Any OTLP/HTTP exporter: exceptions recorded on spans and error logs become issues.
# The project is chosen by service.name; a name no project has creates one.
export OTEL_EXPORTER_OTLP_ENDPOINT=${otlpEndpoint}
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
export OTEL_SERVICE_NAME=${JSON.stringify(project.name)}`,
    },
    {
      id: 'curl',
      label: 'curl',
      language: 'sh',
      code: `# Send a test error without any SDK (Sentry's store endpoint)
curl -X POST '${origin}/api/${project.id}/store/?sentry_version=7&sentry_key=${project.publicKey}' \\
  -H 'Content-Type: application/json' \\
  -d '{"level":"error","message":"Hello from curl","platform":"other"}'`,
    },
  ];
}
