/**
 * Event payloads are stored deflate-compressed at level 1 (most of the ratio for a fraction of
 * level 6's CPU) with a preset dictionary of the keys and values every Sentry event repeats:
 * a 5 KB @sentry/node event shrinks 4.4× instead of 2.6× without it, and no slower (bench
 * figures in BENCHMARKS.md). Stored as a zlib stream whose header names the dictionary
 * (FDICT + its Adler-32), so a reader always knows how a payload was written; payloads from
 * before the dictionary are raw deflate and still decode.
 *
 * An event of a group that already has a reference payload (payload-references.ts: an earlier
 * payload of the same group, stored once) is compressed against that instead: the events of one
 * group differ in a few ids and timestamps, so a 4.6 KB @sentry/node event takes ~150 bytes
 * instead of ~1,170, and deflate, finding long matches, spends ~35% less CPU on it (21 against
 * 34 µs in-process); the smaller rows also cut what SQLite writes, checkpoints and evicts.
 * Stored as one marker byte, the reference's id (uint32, big-endian) and raw deflate; or, when
 * the payload is close to the reference (the common case), as a delta of the byte ranges that
 * differ (payload-delta.ts: ~18 bytes instead of ~200, and a few µs instead of ~35, since a zlib
 * handle with a 7 KB dictionary costs ~20 µs to set up before deflate reads a byte).
 */
import { deflateRawSync, deflateSync, inflateRawSync, inflateSync, constants } from 'node:zlib';
import { applyDelta, deltaReference, encodeDelta, type DeltaReference } from './payload-delta';

/**
 * NEVER edit these fragments: stored payloads depend on the exact bytes (their Adler-32 is in
 * every header). A better dictionary means a second constant, chosen by its id when decoding.
 * deflate looks back from the end, so the most common strings come last.
 */
const DICTIONARY_FRAGMENTS = [
  '"request":{"method":"GET","url":"http://localhost:3000/","query_string":"","headers":{"host":"localhost:3000","user-agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36","accept":"*/*","accept-encoding":"gzip, deflate, br","accept-language":"en-US,en;q=0.9","content-type":"application/json"}},',
  '"sdk":{"name":"sentry.python","version":"1.9.0","packages":[{"name":"pypi:sentry-sdk","version":"1.9.0"}]},"platform":"python","abs_path":"/usr/lib/python3/dist-packages/","vars":{},"pre_context":[],"post_context":[],"context_line":"',
  '"sdk":{"name":"sentry.javascript.browser","version":"11.12.0","packages":[{"name":"npm:@sentry/browser","version":"11.12.0"}],"integrations":["InboundFilters","FunctionToString","BrowserApiErrors","Breadcrumbs","GlobalHandlers","LinkedErrors","Dedupe","HttpContext","BrowserSession"]},"platform":"javascript","filename":"http://localhost:5173/assets/index.js","function":"HTMLButtonElement.onclick",',
  '"mechanism":{"type":"onuncaughtexception","handled":false},"mechanism":{"type":"auto.browser.global_handlers.onerror","handled":false},"mechanism":{"type":"onunhandledrejection","handled":false},"mechanism":{"type":"generic","handled":true,"synthetic":true},',
  '"modules":{"@sentry/node":"11.12.0","@sentry/core":"11.12.0","@sentry/opentelemetry":"11.12.0","@opentelemetry/api":"1.9.1","express":"4.21.2"},',
  '"sdk":{"integrations":["EventFilters","FunctionToString","LinkedErrors","Dedupe","RequestData","NodeSystemError","Console","Http","NodeFetch","OnUncaughtException","OnUnhandledRejection","ContextLines","LocalVariablesAsync","Context","ChildProcess","ProcessSession","Modules"],"name":"sentry.javascript.node","version":"11.12.0","packages":[{"name":"npm:@sentry/node","version":"11.12.0"}],"settings":{"infer_ip":"never"}},',
  '"contexts":{"trace":{"trace_id":"","span_id":"","parent_span_id":""},"runtime":{"name":"node","version":"v20.20.2"},"app":{"app_start_time":"2026-01-01T00:00:00.000Z","app_memory":104857600,"free_memory":1073741824},"os":{"kernel_version":"6.1.0","name":"Linux","version":"","build":""},"device":{"boot_time":"2026-01-01T00:00:00.000Z","arch":"x64","memory_size":8589934592,"free_memory":4294967296,"processor_count":8,"cpu_description":"","processor_frequency":0},"culture":{"locale":"en-US","timezone":"UTC"},"cloud_resource":{}},',
  '"user":{"id":"","email":"","username":"","ip_address":"{{auto}}"},"tags":{},"extra":{},"fingerprint":["{{ default }}"],"server_name":"","environment":"production","environment":"development","release":"',
  '"breadcrumbs":[{"timestamp":1700000000.000,"category":"console","level":"log","message":""},{"timestamp":1700000000.000,"category":"console","level":"warning","message":""},{"timestamp":1700000000.000,"type":"http","category":"http","level":"info","data":{"method":"GET","url":"https://","status_code":200}},{"timestamp":1700000000.000,"category":"navigation","message":"","data":{"from":"/","to":"/"},"level":"info"},{"timestamp":1700000000.000,"category":"query","message":"SELECT","data":{}},',
  '{"filename":"node:internal/process/task_queues","module":"task_queues","function":"process.processTicksAndRejections","lineno":95,"colno":5,"in_app":false},',
  '{"filename":"node:internal/main/run_main_module","module":"run_main_module","function":"?","lineno":28,"colno":49,"in_app":false},{"filename":"node:internal/modules/run_main","module":"run_main","function":"Function.executeUserEntryPoint [as runMain]","lineno":164,"colno":12,"in_app":false},{"filename":"node:internal/modules/cjs/loader","module":"loader","function":"Module._load","lineno":1091,"colno":12,"in_app":false},{"filename":"node:internal/modules/cjs/loader","module":"loader","function":"Module.load","lineno":1266,"colno":32,"in_app":false},{"filename":"node:internal/modules/cjs/loader","module":"loader","function":"Module._extensions..js","lineno":1623,"colno":10,"in_app":false},{"filename":"node:internal/modules/cjs/loader","module":"loader","function":"Module._compile","lineno":1521,"colno":14,"in_app":false},',
  '{"exception":{"values":[{"type":"TypeError","value":"Cannot read properties of undefined (reading \'","stacktrace":{"frames":[{"filename":"/app/src/index.js","module":"index","function":"","lineno":1,"colno":1,"in_app":true,"pre_context":["","",""],"context_line":"","post_context":["","",""]}]},"mechanism":{"type":"generic","handled":true}}]},"event_id":"","level":"error","platform":"node","timestamp":',
];

const DICTIONARY = Buffer.from(DICTIONARY_FRAGMENTS.join(''), 'utf8');
const DEFLATE_OPTIONS = { level: constants.Z_BEST_SPEED, dictionary: DICTIONARY } as const;
const DICTIONARY_ID = adler32(DICTIONARY);

/**
 * Never the first byte of raw deflate (its block type bits read 11, which RFC 1951 reserves) nor
 * of a zlib stream with our dictionary (compression method 7, not 8).
 */
const REFERENCED = 0x07;
/** Stored as a delta against the reference (payload-delta.ts); also a reserved deflate block type. */
const DELTA = 0x06;
const REFERENCED_HEADER_BYTES = 5;
/** deflate looks back at most 32 KB: a longer reference payload is kept by its last 32 KB. */
export const MAX_REFERENCE_BYTES = 32 * 1024;
const MAX_REFERENCE_ID = 0xffffffff;

/** A group's reference payload, as stored in `payload_references`. */
export interface PayloadReference {
  id: number;
  data: Buffer;
}

/** Reads a reference's bytes by id (undefined when it is missing). */
export type ReferenceData = (id: number) => Buffer | undefined;

/** The reference bytes laid out for the delta walk, made once per cached reference. */
const deltaReferences = new WeakMap<PayloadReference, DeltaReference>();

/**
 * A delta when the payload is close to the reference (most of a group's events): about what
 * deflate against the reference stores, or less. Otherwise deflate against it.
 */
const maxDeltaBytes = (json: string): number => 256 + (json.length >>> 5);

export function encodePayload(json: string, reference?: PayloadReference | null): Buffer {
  if (!reference || reference.id > MAX_REFERENCE_ID) return deflateSync(json, DEFLATE_OPTIONS);
  let delta = deltaReferences.get(reference);
  if (delta === undefined) {
    delta = deltaReference(reference.data);
    deltaReferences.set(reference, delta);
  }
  const asDelta = encodeDelta(json, delta, maxDeltaBytes(json), REFERENCED_HEADER_BYTES);
  if (asDelta) {
    asDelta[0] = DELTA;
    asDelta.writeUInt32BE(reference.id, 1);
    return asDelta;
  }
  const deflated = deflateRawSync(json, { level: constants.Z_BEST_SPEED, dictionary: reference.data });
  const stored = Buffer.allocUnsafe(REFERENCED_HEADER_BYTES + deflated.length);
  stored[0] = REFERENCED;
  stored.writeUInt32BE(reference.id, 1);
  deflated.copy(stored, REFERENCED_HEADER_BYTES);
  return stored;
}

/** What a payload that becomes its group's reference is kept as (its last 32 KB). */
export function referenceBytes(json: string): Buffer {
  const bytes = Buffer.from(json, 'utf8');
  return bytes.length <= MAX_REFERENCE_BYTES ? bytes : Buffer.from(bytes.subarray(bytes.length - MAX_REFERENCE_BYTES));
}

/** The id of the reference a stored payload was compressed against, or null. */
export function referenceIdOf(stored: Buffer): number | null {
  return stored.length > REFERENCED_HEADER_BYTES && (stored[0] === REFERENCED || stored[0] === DELTA) ? stored.readUInt32BE(1) : null;
}

/** `referenceData` is needed for payloads stored against a reference (a Store reads it from its database). */
export function decodePayload(stored: Buffer, referenceData?: ReferenceData): string {
  const referenceId = referenceIdOf(stored);
  if (referenceId !== null) {
    const dictionary = referenceData?.(referenceId);
    if (!dictionary) throw new Error(`stored payload refers to reference payload ${referenceId}, which is missing`);
    if (stored[0] === DELTA) return applyDelta(stored.subarray(REFERENCED_HEADER_BYTES), dictionary).toString('utf8');
    return inflateRawSync(stored.subarray(REFERENCED_HEADER_BYTES), { dictionary }).toString('utf8');
  }
  if (namesOurDictionary(stored)) return inflateSync(stored, { dictionary: DICTIONARY }).toString('utf8');
  return inflateRawSync(stored).toString('utf8');
}

/** A zlib header (RFC 1950) with FDICT set and our dictionary's id; raw deflate never starts so. */
function namesOurDictionary(stored: Buffer): boolean {
  if (stored.length < 6) return false;
  const cmf = stored[0] ?? 0;
  const flg = stored[1] ?? 0;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) !== 0 && stored.readUInt32BE(2) === DICTIONARY_ID;
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
