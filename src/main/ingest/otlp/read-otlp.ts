/** Reads an export request (parsed JSON or decoded protobuf) into the flattened OTLP model. */
import type { OtlpLogRecord, OtlpLogs, OtlpScope, OtlpScopeBatch, OtlpSpan, OtlpTraces } from './otlp-types';
import { anyValue, attributes, emptyNotes, id, integer, list, optionalObject, text, unixNano, type Loose, type ReadNotes } from './read-values';

/** `notes` collects what reading had to change (values nested too deep, cut). */
export function readTraces(request: unknown, notes: ReadNotes = emptyNotes()): OtlpTraces {
  return readBatches(request, notes, 'resourceSpans', 'scopeSpans', 'instrumentationLibrarySpans', 'spans', readSpan);
}

export function readLogs(request: unknown, notes: ReadNotes = emptyNotes()): OtlpLogs {
  return readBatches(request, notes, 'resourceLogs', 'scopeLogs', 'instrumentationLibraryLogs', 'logRecords', readLogRecord);
}

function readBatches<T>(
  request: unknown,
  notes: ReadNotes,
  resourceKey: string,
  scopeKey: string,
  legacyScopeKey: string,
  itemKey: string,
  readItem: (item: Loose, path: string, notes: ReadNotes) => T,
): OtlpScopeBatch<T>[] {
  const root = optionalObject(request, 'request') ?? {};
  const batches: OtlpScopeBatch<T>[] = [];
  list(root[resourceKey], resourceKey).forEach((resourceEntry, r) => {
    const resourcePath = `${resourceKey}[${r}]`;
    const resourceGroup = optionalObject(resourceEntry, resourcePath) ?? {};
    const resource = optionalObject(resourceGroup['resource'], `${resourcePath}.resource`) ?? {};
    const resourceAttributes = attributes(resource['attributes'], `${resourcePath}.resource.attributes`, notes);
    // Senders before OTLP 0.19 used instrumentationLibrary*; receivers read it when scope* is absent.
    const useLegacy = resourceGroup[scopeKey] === undefined && resourceGroup[legacyScopeKey] !== undefined;
    const groupKey = useLegacy ? legacyScopeKey : scopeKey;
    list(resourceGroup[groupKey], `${resourcePath}.${groupKey}`).forEach((scopeEntry, s) => {
      const scopePath = `${resourcePath}.${groupKey}[${s}]`;
      const scopeGroup = optionalObject(scopeEntry, scopePath) ?? {};
      const scopeField = useLegacy ? 'instrumentationLibrary' : 'scope';
      const items = list(scopeGroup[itemKey], `${scopePath}.${itemKey}`).map((item, i) => {
        const itemPath = `${scopePath}.${itemKey}[${i}]`;
        return readItem(optionalObject(item, itemPath) ?? {}, itemPath, notes);
      });
      batches.push({ resource: resourceAttributes, scope: readScope(scopeGroup[scopeField], `${scopePath}.${scopeField}`), items });
    });
  });
  return batches;
}

function readScope(value: unknown, path: string): OtlpScope {
  const scope = optionalObject(value, path) ?? {};
  const result: OtlpScope = {};
  const name = text(scope['name'], `${path}.name`);
  const version = text(scope['version'], `${path}.version`);
  if (name) result.name = name;
  if (version) result.version = version;
  return result;
}

function readSpan(span: Loose, path: string, notes: ReadNotes): OtlpSpan {
  const status = optionalObject(span['status'], `${path}.status`) ?? {};
  return {
    traceId: id(span['traceId'], 16, `${path}.traceId`),
    spanId: id(span['spanId'], 8, `${path}.spanId`),
    parentSpanId: id(span['parentSpanId'], 8, `${path}.parentSpanId`),
    name: text(span['name'], `${path}.name`),
    kind: integer(span['kind'], `${path}.kind`),
    startTimeUnixNano: unixNano(span['startTimeUnixNano'], `${path}.startTimeUnixNano`),
    endTimeUnixNano: unixNano(span['endTimeUnixNano'], `${path}.endTimeUnixNano`),
    attributes: attributes(span['attributes'], `${path}.attributes`, notes),
    events: list(span['events'], `${path}.events`).map((entry, e) => {
      const eventPath = `${path}.events[${e}]`;
      const event = optionalObject(entry, eventPath) ?? {};
      return {
        name: text(event['name'], `${eventPath}.name`),
        timeUnixNano: unixNano(event['timeUnixNano'], `${eventPath}.timeUnixNano`),
        attributes: attributes(event['attributes'], `${eventPath}.attributes`, notes),
      };
    }),
    status: { code: integer(status['code'], `${path}.status.code`), message: text(status['message'], `${path}.status.message`) },
  };
}

function readLogRecord(record: Loose, path: string, notes: ReadNotes): OtlpLogRecord {
  return {
    timeUnixNano: unixNano(record['timeUnixNano'], `${path}.timeUnixNano`),
    observedTimeUnixNano: unixNano(record['observedTimeUnixNano'], `${path}.observedTimeUnixNano`),
    severityNumber: integer(record['severityNumber'], `${path}.severityNumber`),
    severityText: text(record['severityText'], `${path}.severityText`),
    // Only values below the body are cut (depth 0 never is): `?? null` just narrows the type.
    body: anyValue(record['body'], `${path}.body`, notes) ?? null,
    attributes: attributes(record['attributes'], `${path}.attributes`, notes),
    traceId: id(record['traceId'], 16, `${path}.traceId`),
    spanId: id(record['spanId'], 8, `${path}.spanId`),
    eventName: text(record['eventName'], `${path}.eventName`),
  };
}
