// The real store and pipeline modules, re-exported so bench scripts (plain .mjs) can drive them
// in-process once build-harness.mjs has bundled this file. Nothing here is a copy.
export { openStore } from '../../src/main/store';
export { parseEnvelope } from '../../src/main/envelope/parse';
export { readEnvelopeItems } from '../../src/main/ingest/sentry/envelope-items';
export { normalizeEvent } from '../../src/main/pipeline/normalize';
export { groupEvent } from '../../src/main/pipeline/grouping';
export { encodePayload, decodePayload } from '../../src/main/store/payload-codec';
export { IngestPipeline } from '../../src/main/pipeline/ingest-pipeline';
