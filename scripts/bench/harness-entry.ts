// The real store and pipeline modules, re-exported so bench scripts (plain .mjs) can drive them
// in-process once build-harness.mjs has bundled this file. Nothing here is a copy.
export { openStore } from '../../src/main/store';
export { parseEnvelope } from '../../src/main/envelope/parse';
export { readEnvelopeItems } from '../../src/main/ingest/sentry/envelope-items';
export { normalizeEvent } from '../../src/main/pipeline/normalize';
export { groupEvent } from '../../src/main/pipeline/grouping';
export { encodePayload, decodePayload, referenceBytes } from '../../src/main/store/payload-codec';
export { aggregatedTags, issueSearchText, userKey } from '../../src/main/pipeline/event-aggregates';
export { IngestPipeline } from '../../src/main/pipeline/ingest-pipeline';
export { mapRequests } from '../../src/main/pipeline/symbolicate';
export { GitReleaseStep } from '../../src/main/pipeline/git-release';
export { GitReader } from '../../src/main/sources/git-reader';
export { SymbolicatingSink } from '../../src/main/pipeline/symbolicating-sink';
export { SourceMapLocator } from '../../src/main/sources/source-map-locator';
export { SourceReader } from '../../src/main/sources/source-reader';
export { LoopbackFetcher } from '../../src/main/sources/loopback-fetch';
