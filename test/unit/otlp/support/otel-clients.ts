/** Real OpenTelemetry JS SDK pipelines (0.223.1 exporters) pointed at a test server. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SpanStatusCode, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';

type ExporterOptions = NonNullable<ConstructorParameters<typeof JsonTraceExporter>[0]>;
type Compression = ExporterOptions['compression'];

export interface ExporterChoice {
  encoding: 'json' | 'protobuf';
  gzip?: boolean;
  /** Defaults to `/v1/traces` or `/v1/logs`. */
  path?: string;
  headers?: Record<string, string>;
}

/** The fixture application: its functions throw real errors with real Node stacks. */
export interface CheckoutApp {
  calculateTax(orderId: number): never;
  reserveStock(sku: string, quantity: number): never;
  caught(fn: () => unknown): Error;
}
export const checkoutApp = createRequire(__filename)(join(__dirname, '../../../fixtures/otlp/app/checkout.cjs')) as CheckoutApp;

function options(baseUrl: string, signal: 'traces' | 'logs', choice: ExporterChoice): ExporterOptions {
  return {
    url: `${baseUrl}${choice.path ?? `/v1/${signal}`}`,
    compression: (choice.gzip ? 'gzip' : 'none') as Compression,
    headers: choice.headers ?? {},
  };
}

export function traceExporter(baseUrl: string, choice: ExporterChoice): SpanExporter {
  const config = options(baseUrl, 'traces', choice);
  return choice.encoding === 'json' ? new JsonTraceExporter(config) : new ProtoTraceExporter(config);
}

export function logExporter(baseUrl: string, choice: ExporterChoice): LogRecordExporter {
  const config = options(baseUrl, 'logs', choice);
  return choice.encoding === 'json' ? new JsonLogExporter(config) : new ProtoLogExporter(config);
}

/** The SDK's default resource (telemetry.sdk.*, a default service name) plus ours. */
export const checkoutResource = (extra: Record<string, string> = {}) =>
  defaultResource().merge(resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.4.1', 'deployment.environment.name': 'staging', ...extra }));

/** Batched and sent only on flush, so one request per exporter keeps the spans in the order they ended. */
const FLUSH_ONLY = { scheduledDelayMillis: 60_000 };

/** A tracer whose spans go, in one request per flush, to each exporter given. */
export function tracing(exporters: SpanExporter[], resource = checkoutResource()) {
  const provider = new BasicTracerProvider({ resource, spanProcessors: exporters.map((exporter) => new BatchSpanProcessor(exporter, FLUSH_ONLY)) });
  const tracer = provider.getTracer('checkout-service', '2.4.1');
  return {
    /** One span that records `error` as an exception event and ends with error status. */
    failSpan(name: string, error: Error): void {
      const span = tracer.startSpan(name, { attributes: { 'http.request.method': 'POST' } });
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.end();
    },
    statusOnlySpan(name: string): void {
      tracer.startSpan(name).setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' }).end();
    },
    async flush(): Promise<void> {
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}

/** A logger whose records go, batched into one request per flush, to each exporter given. */
export function logging(exporters: LogRecordExporter[], resource = checkoutResource()) {
  const provider = new LoggerProvider({ resource, processors: exporters.map((exporter) => new BatchLogRecordProcessor({ exporter, ...FLUSH_ONLY })) });
  const logger = provider.getLogger('checkout-logger', '2.4.1');
  const inTrace = (traceId: string, spanId: string): Context => trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
  return {
    info(message: string, traceId: string, atMs: number): void {
      logger.emit({ timestamp: atMs, context: inTrace(traceId, 'eee19b7ec3c1b174'), severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: message });
    },
    error(message: string, error: Error, traceId: string, atMs: number, severityNumber = SeverityNumber.ERROR): void {
      logger.emit({
        timestamp: atMs,
        context: inTrace(traceId, 'eee19b7ec3c1b174'),
        severityNumber,
        body: message,
        attributes: { 'exception.type': error.name, 'exception.message': error.message, 'exception.stacktrace': error.stack ?? '' },
      });
    },
    async flush(): Promise<void> {
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}
