export { mapRequests, debugIdsByFile, frameFile, frameFiles, localFilePath, topInAppFrame, type MapRequest } from './candidates';
export { symbolicateEvent, readableSourceName, enclosingFunctionName, type LoadedSourceMap, type MapLookup, type SymbolicateResult } from './symbolicate';
