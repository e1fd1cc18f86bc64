/**
 * The part of ua-parser-js 1.x (MIT, ships no types) that user-agent.ts uses. Every field is
 * optional: the parser leaves out what it cannot recognize.
 */
declare module 'ua-parser-js' {
  interface UAParserBrowser {
    name?: string;
    version?: string;
  }
  interface UAParserOs {
    name?: string;
    version?: string;
  }
  interface UAParserDevice {
    vendor?: string;
    model?: string;
    type?: string;
  }
  interface UAParserInstance {
    getBrowser(): UAParserBrowser;
    getOS(): UAParserOs;
    getDevice(): UAParserDevice;
  }
  const UAParser: new (userAgent?: string) => UAParserInstance;
  export default UAParser;
}
